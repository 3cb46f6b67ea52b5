"""Every case view, search, export and edit is in the audit log; a reviewer sees who read a case."""

from sqlalchemy import select

from learn.accounts import Role
from learn.audit import AuditEvent
from learn.cases.models import CaseStatus
from learn.extensions import db
from tests.cases.factories import CLEAN_BODY, make_case
from tests.conftest import login, post_form
from tests.factories import make_user


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def test_views_are_audited_and_reviewers_see_who_read(client):
    make_user("xueyuan", name="林一帆")
    make_user("shenhe", Role.CASE_REVIEWER, name="顾清和")
    make_case(status=CaseStatus.PUBLISHED, id="aud-01")
    login(client, "xueyuan")
    client.get("/cases/aud-01")
    client.get("/cases/aud-01")
    client.get("/api/v1/cases/aud-01")
    views = _events("case_viewed")
    assert [(e.username, e.target_type, e.target_id) for e in views] == [
        ("xueyuan", "case", "aud-01")
    ] * 3
    reviewer = client.application.test_client()
    login(reviewer, "shenhe")
    page = reviewer.get("/cases/aud-01/viewers").get_data(as_text=True)
    assert "林一帆" in page and "<td>3</td>" in page


def test_filtering_the_library_is_audited_as_a_search(client):
    make_user("xueyuan")
    login(client, "xueyuan")
    client.get("/cases/")
    assert _events("case_search") == []
    client.get("/cases/?category=廉洁纪律&year=2022")
    (event,) = _events("case_search")
    assert "廉洁纪律" in event.detail and "2022" in event.detail


def test_edits_and_workflow_steps_are_audited(client):
    editor = make_user("bianji", Role.CASE_EDITOR)
    make_user("shenhe", Role.CASE_REVIEWER)
    make_case(editor, CaseStatus.DRAFT, id="aud-02")
    login(client, "bianji")
    form = {
        "title": "某县某局干部违规收受礼金问题剖析",
        "year": "2022",
        "categories": ["廉洁纪律"],
        "subject_level": "一般干部",
        "domains": ["作风建设"],
        "body": CLEAN_BODY,
        "note": "调整标题",
    }
    post_form(client, "/cases/aud-02/edit", form)
    post_form(client, "/cases/aud-02/submit", token_from="/cases/aud-02/edit")
    reviewer = client.application.test_client()
    login(reviewer, "shenhe")
    post_form(reviewer, "/cases/aud-02/review", {"action": "approve"})
    post_form(reviewer, "/cases/aud-02/access", {"restricted": "y", "readers": "bianji"})
    post_form(
        reviewer, "/cases/aud-02/withdraw", {"reason": "需要复核"}, token_from="/cases/aud-02"
    )
    for action, who in (
        ("case_created", "bianji"),
        ("case_edited", "bianji"),
        ("case_submitted", "bianji"),
        ("case_approved", "shenhe"),
        ("case_access_changed", "shenhe"),
        ("case_withdrawn", "shenhe"),
    ):
        events = _events(action)
        assert events and events[-1].target_id == "aud-02", action
        assert events[-1].username == who, action
    assert _events("case_edited")[-1].detail == "调整标题"


def test_exports_and_imports_are_audited(runner, tmp_path):
    make_case(status=CaseStatus.PUBLISHED, id="aud-03")
    runner.invoke(args=["cases", "export", str(tmp_path / "out")])
    (event,) = _events("case_exported")
    assert event.target_id == "aud-03" and event.username == "cli"
    runner.invoke(args=["cases", "import", str(tmp_path / "out")])
    (event,) = _events("cases_imported")
    assert "未变 1" in event.detail
