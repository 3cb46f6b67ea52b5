"""The JSON API: reading, writing through the workflow, the checker, and errors as JSON."""

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases.models import CaseStatus, CaseStudy
from learn.extensions import db
from tests.cases.factories import CLEAN_BODY, case_meta, make_case
from tests.factories import make_user


def _token(username: str, *roles, scope: str = "write") -> dict:
    user = make_user(username, *roles)
    _token_row, clear = accounts.issue_token(user, "test", scope)
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


def _payload(**overrides) -> dict:
    return {**case_meta(id="api-01"), "body": CLEAN_BODY, **overrides}


def test_list_and_read_published_cases(client):
    headers = _token("reader", scope="read")
    make_case(status=CaseStatus.PUBLISHED, id="api-pub", year=2021)
    make_case(status=CaseStatus.DRAFT, id="api-draft")
    listing = client.get("/api/v1/cases", headers=headers).get_json()
    assert [c["id"] for c in listing["cases"]] == ["api-pub"]
    assert client.get("/api/v1/cases?year=2020", headers=headers).get_json()["total"] == 0
    bad = client.get("/api/v1/cases?category=不存在", headers=headers)
    assert bad.status_code == 400 and "error" in bad.get_json()
    case = client.get("/api/v1/cases/api-pub", headers=headers).get_json()
    assert case["body"].startswith("## 基本案情") and case["status"] == "published"


def test_editor_creates_and_submits_through_the_api(client):
    headers = _token("editor", Role.CASE_EDITOR)
    response = client.post("/api/v1/cases", json=_payload(), headers=headers)
    assert response.status_code == 201, response.get_json()
    assert (
        client.post("/api/v1/cases/api-01/submit", headers=headers).get_json()["status"]
        == "in_review"
    )


def test_format_problems_and_leaks_are_json_errors(client):
    headers = _token("editor", Role.CASE_EDITOR)
    bad = client.post("/api/v1/cases", json=_payload(year=1800), headers=headers)
    assert bad.status_code == 400 and "年份" in bad.get_json()["error"]
    assert client.post("/api/v1/cases", data="x", headers=headers).status_code == 400
    leaky = _payload(body=CLEAN_BODY.replace("张某，男", "张建军，男"))
    assert client.post("/api/v1/cases", json=leaky, headers=headers).status_code == 201
    refused = client.post("/api/v1/cases/api-01/submit", headers=headers)
    assert refused.status_code == 409 and "张建军" in refused.get_json()["error"]


def test_checker_endpoint(client):
    headers = _token("editor", Role.CASE_EDITOR)
    found = client.post(
        "/api/v1/cases/check",
        json={"title": "李建国案", "body": "村民李建国，手机13812345678。"},
        headers=headers,
    ).get_json()["findings"]
    assert {(f["field"], f["rule"], f["text"]) for f in found} == {
        ("title", "姓名", "李建国"),
        ("body", "姓名", "李建国"),
        ("body", "手机号", "13812345678"),
    }


def test_cadres_cannot_write(client):
    headers = _token("cadre")
    assert client.post("/api/v1/cases", json=_payload(), headers=headers).status_code == 403
    assert client.post("/api/v1/cases/check", json={"body": ""}, headers=headers).status_code == 403
    make_case(status=CaseStatus.IN_REVIEW, id="api-02")
    assert client.post("/api/v1/cases/api-02/approve", headers=headers).status_code == 403


def test_read_tokens_cannot_write(client):
    headers = _token("editor", Role.CASE_EDITOR, scope="read")
    assert client.post("/api/v1/cases", json=_payload(), headers=headers).status_code == 403


def test_reviewer_approves_returns_and_withdraws(client):
    headers = _token("reviewer", Role.CASE_REVIEWER)
    make_case(status=CaseStatus.IN_REVIEW, id="api-03")
    make_case(status=CaseStatus.IN_REVIEW, id="api-04")
    assert (
        client.post("/api/v1/cases/api-03/approve", headers=headers).get_json()["status"]
        == "published"
    )
    assert client.post("/api/v1/cases/api-04/return", json={}, headers=headers).status_code == 400
    returned = client.post(
        "/api/v1/cases/api-04/return", json={"comment": "补充细节"}, headers=headers
    )
    assert returned.get_json()["status"] == "returned"
    gone = client.post("/api/v1/cases/api-03/withdraw", json={"reason": "核实"}, headers=headers)
    assert gone.get_json()["status"] == "withdrawn"
    again = client.post("/api/v1/cases/api-03/approve", headers=headers)
    assert again.status_code == 409


def test_update_through_the_api_is_a_new_revision(client):
    headers = _token("editor", Role.CASE_EDITOR)
    make_case(status=CaseStatus.DRAFT, id="api-05")
    response = client.put(
        "/api/v1/cases/api-05",
        json=_payload(id="api-05", title="某县某局干部问题剖析"),
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    case = db.session.get(CaseStudy, "api-05")
    assert case.title == "某县某局干部问题剖析" and len(case.revisions) == 2
