"""Two editors on one case: the second save is refused and told, never silently lost."""

import re

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases.models import CaseStatus, CaseStudy
from learn.extensions import db
from tests.cases.factories import CLEAN_BODY, case_meta, make_case
from tests.cases.test_workflow import _form
from tests.conftest import login
from tests.factories import make_user

BASE_RE = re.compile(r'name="base_revision"[^>]*value="(\d+)"')
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _open_editor(client, case_id: str) -> dict:
    """Load the edit form like a browser: its CSRF token and base revision."""
    page = client.get(f"/cases/{case_id}/edit").get_data(as_text=True)
    return {"csrf_token": CSRF_RE.search(page).group(1), "base_revision": BASE_RE.search(page)[1]}


def _body(case_id: str) -> str:
    db.session.expire_all()
    return db.session.get(CaseStudy, case_id).body


def test_second_editor_is_told_and_the_first_text_is_kept(app):
    first, second = app.test_client(), app.test_client()
    make_user("bianji", Role.CASE_EDITOR, name="江书言")
    make_user("bianji2", Role.CASE_EDITOR, name="林知远")
    make_case(status=CaseStatus.DRAFT, id="two-01")
    login(first, "bianji")
    login(second, "bianji2")
    form_a, form_b = _open_editor(first, "two-01"), _open_editor(second, "two-01")
    assert form_a["base_revision"] == form_b["base_revision"] == "1"

    text_a = CLEAN_BODY + "\n2. 甲补充的启示。\n"
    text_b = CLEAN_BODY + "\n2. 乙补充的启示。\n"
    saved = first.post("/cases/two-01/edit", data=_form(case_id="two-01", body=text_a, **form_a))
    assert saved.status_code == 302
    refused = second.post("/cases/two-01/edit", data=_form(case_id="two-01", body=text_b, **form_b))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "已被他人修改" in page and "江书言" in page and "第 2 版" in page
    assert "乙补充的启示" in page, "the refused text stays in the form for the editor"
    assert _body("two-01") == text_a.strip()

    # The re-rendered form now carries the newer revision: saving again is deliberate.
    retry = {**form_b, "base_revision": BASE_RE.search(page)[1]}
    assert retry["base_revision"] == "2"
    again = second.post("/cases/two-01/edit", data=_form(case_id="two-01", body=text_b, **retry))
    assert again.status_code == 302
    assert _body("two-01") == text_b.strip()


def test_api_reports_the_revision_and_refuses_a_stale_base(client):
    editor = make_user("bianji", Role.CASE_EDITOR)
    _row, clear = accounts.issue_token(editor, "test", "write")
    make_case(status=CaseStatus.DRAFT, id="api-two")
    db.session.commit()
    headers = {"Authorization": f"Bearer {clear}"}
    read = client.get("/api/v1/cases/api-two", headers=headers).get_json()
    assert read["revision"] == 1

    payload = {**case_meta(id="api-two"), "body": CLEAN_BODY + "\n2. 第一次。\n"}
    first = client.put(
        "/api/v1/cases/api-two", json={**payload, "base_revision": 1}, headers=headers
    )
    assert first.status_code == 200 and first.get_json()["revision"] == 2

    payload["body"] = CLEAN_BODY + "\n2. 第二次。\n"
    stale = client.put(
        "/api/v1/cases/api-two", json={**payload, "base_revision": 1}, headers=headers
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.get_json()["error"]
    bad = client.put(
        "/api/v1/cases/api-two", json={**payload, "base_revision": "1"}, headers=headers
    )
    assert bad.status_code == 400 and "base_revision" in bad.get_json()["error"]
    assert "第一次" in _body("api-two")
