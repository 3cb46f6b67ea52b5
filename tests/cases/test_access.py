"""Who may read and manage cases: published, restricted and unpublished cases; every page
refuses the wrong user."""

import pytest

from learn.accounts import Role
from learn.cases import can_read
from learn.cases.models import CaseStatus
from tests.cases.factories import make_case
from tests.conftest import login, post_form
from tests.factories import make_user

ROLES = {
    "cadre": (),
    "editor": (Role.CASE_EDITOR,),
    "reviewer": (Role.CASE_REVIEWER,),
    "admin": (Role.ADMIN,),
    "named": (),
    "trainer": (Role.TRAINER,),
}


@pytest.fixture
def people(app):
    return {name: make_user(name, *roles) for name, roles in ROLES.items()}


class Anonymous:
    is_authenticated = False


@pytest.mark.parametrize(
    ("status", "restricted", "allowed"),
    [
        (CaseStatus.PUBLISHED, False, {"cadre", "editor", "reviewer", "admin", "named", "trainer"}),
        (CaseStatus.PUBLISHED, True, {"editor", "reviewer", "admin", "named"}),
        (CaseStatus.DRAFT, False, {"editor", "reviewer", "admin"}),
        (CaseStatus.IN_REVIEW, False, {"editor", "reviewer", "admin"}),
        (CaseStatus.RETURNED, False, {"editor", "reviewer", "admin"}),
        (CaseStatus.WITHDRAWN, True, {"editor", "reviewer", "admin"}),
    ],
)
def test_can_read(people, status, restricted, allowed):
    case = make_case(status=status, restricted=restricted, readers=[people["named"]])
    assert {name for name, user in people.items() if can_read(user, case)} == allowed
    assert not can_read(Anonymous(), case)
    assert not can_read(None, case)


def test_restricted_case_page_and_list(people, client):
    make_case(status=CaseStatus.PUBLISHED, id="open-01", title="某县公开案例剖析")
    make_case(
        status=CaseStatus.PUBLISHED,
        id="secret-01",
        title="某县受限案例剖析",
        restricted=True,
        readers=[people["named"]],
    )
    for name, sees in (("cadre", False), ("named", True), ("editor", True), ("reviewer", True)):
        other = client.application.test_client()
        login(other, name)
        listing = other.get("/cases/").get_data(as_text=True)
        assert ("某县受限案例剖析" in listing) is sees, name
        assert "某县公开案例剖析" in listing
        assert other.get("/cases/secret-01").status_code == (200 if sees else 404), name
        api = other.get("/api/v1/cases/secret-01")
        assert api.status_code == (200 if sees else 404), name
        ids = [c["id"] for c in other.get("/api/v1/cases").get_json()["cases"]]
        assert ("secret-01" in ids) is sees


def test_unpublished_cases_are_hidden_from_staff(people, client):
    make_case(status=CaseStatus.DRAFT, id="draft-01")
    login(client, "cadre")
    assert client.get("/cases/draft-01").status_code == 404
    assert client.get("/api/v1/cases/draft-01").status_code == 404
    assert client.get("/cases/no-such-case").status_code == 404


EDITOR_PAGES = [
    "/cases/desk",
    "/cases/new",
    "/cases/c-01/edit",
    "/cases/c-01/fix",
    "/cases/c-01/history",
    "/cases/c-01/history/1",
]
REVIEWER_PAGES = ["/cases/c-01/review", "/cases/c-01/viewers", "/cases/c-01/access"]


def test_editorial_pages_refuse_cadres_and_trainers(people, client):
    make_case(status=CaseStatus.IN_REVIEW, id="c-01")
    for name in ("cadre", "trainer"):
        other = client.application.test_client()
        login(other, name)
        for url in EDITOR_PAGES + REVIEWER_PAGES:
            assert other.get(url).status_code == 403, (name, url)
        for url in (
            "/cases/c-01/submit",
            "/cases/c-01/withdraw",
            "/cases/c-01/review",
            "/cases/c-01/access",
            "/cases/c-01/fix",
            "/cases/c-01/edit",
        ):
            response = post_form(
                other, url, {"reason": "x", "action": "approve"}, token_from="/cases/"
            )
            assert response.status_code == 403, (name, url)


def test_reviewer_pages_refuse_editors(people, client):
    make_case(status=CaseStatus.IN_REVIEW, id="c-01")
    login(client, "editor")
    for url in EDITOR_PAGES:
        assert client.get(url).status_code == 200, url
    for url in ("/cases/c-01/review", "/cases/c-01/viewers", "/cases/c-01/access"):
        assert client.get(url).status_code == 403, url
    response = post_form(
        client, "/cases/c-01/review", {"action": "approve"}, token_from="/cases/desk"
    )
    assert response.status_code == 403


def test_reviewer_and_admin_pages_open(people, client):
    make_case(status=CaseStatus.IN_REVIEW, id="c-01")
    login(client, "reviewer")
    for url in EDITOR_PAGES + REVIEWER_PAGES:
        assert client.get(url).status_code == 200, url
    admin = client.application.test_client()
    login(admin, "admin")
    for url in ("/cases/desk", "/cases/c-01/viewers", "/cases/c-01/access", "/cases/c-01/history"):
        assert admin.get(url).status_code == 200, url
    assert admin.get("/cases/c-01/edit").status_code == 403  # admins manage, editors write


def test_reviewer_restricts_a_case_to_named_readers(people, client):
    case = make_case(status=CaseStatus.PUBLISHED, id="acc-01")
    login(client, "reviewer")
    response = post_form(
        client, "/cases/acc-01/access", {"restricted": "y", "readers": "named、nobody"}
    )
    assert "找不到这些用户名：nobody" in response.get_data(as_text=True)
    post_form(client, "/cases/acc-01/access", {"restricted": "y", "readers": "named"})
    from learn.extensions import db

    db.session.expire_all()
    assert case.restricted and case.reader_ids == [people["named"].id]
    cadre = client.application.test_client()
    login(cadre, "cadre")
    assert cadre.get("/cases/acc-01").status_code == 404
    named = client.application.test_client()
    login(named, "named")
    assert named.get("/cases/acc-01").status_code == 200


def test_nav_shows_the_library_to_everyone_and_the_desk_to_editorial_staff(people, client):
    login(client, "cadre")
    page = client.get("/").get_data(as_text=True)
    assert "案例库" in page and "案例编审" not in page
    editor = client.application.test_client()
    login(editor, "editor")
    assert "案例编审" in editor.get("/").get_data(as_text=True)


def test_anonymous_users_are_sent_to_login(client, app):
    make_case(status=CaseStatus.PUBLISHED, id="anon-01")
    assert client.get("/cases/anon-01").status_code == 302
    assert client.get("/api/v1/cases/anon-01").status_code == 401
