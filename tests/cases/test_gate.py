"""The publish gate: no path publishes a case with an unresolved finding."""

import pytest
from sqlalchemy import select

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases import case_document, published_case_ids, services
from learn.cases.anonymize import scan
from learn.cases.library import check_files
from learn.cases.models import CaseStatus, CaseStudy
from learn.cases.services import UnresolvedFindings
from learn.extensions import db
from learn.search.outbox import SearchOutbox
from tests.cases.factories import CLEAN_BODY, case_file, make_case, write_case
from tests.conftest import login, post_form
from tests.factories import make_user

LEAK = CLEAN_BODY.replace("张某，男", "张某，男，手机13912345678，其妻王秀兰")


def _leaky_case(case_id: str, status=CaseStatus.IN_REVIEW) -> CaseStudy:
    return make_case(status=status, id=case_id, body=LEAK)


def _status(case_id: str) -> str:
    db.session.expire_all()
    return db.session.get(CaseStudy, case_id).status


def test_ui_approval_is_refused(client):
    make_user("shenhe", Role.CASE_REVIEWER)
    _leaky_case("gate-ui")
    login(client, "shenhe")
    page = client.get("/cases/gate-ui/review").get_data(as_text=True)
    assert "disabled" in page and "13912345678" in page
    response = post_form(
        client, "/cases/gate-ui/review", {"action": "approve"}, follow_redirects=True
    )
    assert "仍有 2 处" in response.get_data(as_text=True)
    assert _status("gate-ui") == CaseStatus.IN_REVIEW


def test_api_approval_is_refused(client):
    user = make_user("shenhe", Role.CASE_REVIEWER)
    _token, clear = accounts.issue_token(user, "t", "write")
    db.session.commit()
    _leaky_case("gate-api")
    response = client.post(
        "/api/v1/cases/gate-api/approve", headers={"Authorization": f"Bearer {clear}"}
    )
    assert response.status_code == 409 and "13912345678" in response.get_json()["error"]
    assert _status("gate-api") == CaseStatus.IN_REVIEW


def test_import_publish_is_refused_whole(runner, tmp_path):
    make_user("root", Role.ADMIN)
    write_case(tmp_path, id="gate-clean")
    write_case(tmp_path, LEAK, id="gate-import")
    result = runner.invoke(args=["cases", "import", str(tmp_path), "--publish", "--user", "root"])
    assert result.exit_code != 0
    assert db.session.scalars(select(CaseStudy)).all() == []


def test_services_refuse_to_publish_or_submit(app):
    reviewer = make_user("shenhe", Role.CASE_REVIEWER)
    editor = make_user("bianji", Role.CASE_EDITOR)
    case = _leaky_case("gate-svc")
    with pytest.raises(UnresolvedFindings):
        services.approve_case(reviewer, case)
    db.session.rollback()
    draft = _leaky_case("gate-draft", CaseStatus.DRAFT)
    with pytest.raises(UnresolvedFindings):
        services.submit_case(editor, draft)
    db.session.rollback()
    admin = make_user("root", Role.ADMIN)
    with pytest.raises(UnresolvedFindings):
        services.import_cases(admin, [case_file(LEAK, id="gate-imp2")], publish=True)
    db.session.rollback()
    assert db.session.get(CaseStudy, "gate-imp2") is None


def test_setting_the_status_by_hand_is_refused_at_flush(app):
    case = _leaky_case("gate-flush")
    case.status = CaseStatus.PUBLISHED
    with pytest.raises(UnresolvedFindings):
        db.session.commit()
    db.session.rollback()
    assert _status("gate-flush") == CaseStatus.IN_REVIEW


def test_a_published_case_cannot_gain_a_leak_by_any_write(app):
    case = make_case(status=CaseStatus.PUBLISHED, id="gate-live")
    case.body = LEAK
    with pytest.raises(UnresolvedFindings):
        db.session.commit()
    db.session.rollback()
    assert "13912345678" not in db.session.get(CaseStudy, "gate-live").body


def _distinct_clean_files(folder, prefix: str, count: int):
    """Clean files whose texts all differ, so that no checker answer serves two of them."""
    for number in range(1, count + 1):
        body = CLEAN_BODY.replace("现金2万元", f"现金{number + 10}万元")
        write_case(folder, body, id=f"{prefix}-{number}")
    report = check_files([folder])
    assert report.ok
    return report.cases


def _checker_runs() -> int:
    return scan._fields_findings.cache_info().misses


def test_a_checked_import_does_not_run_the_checker_again(app, tmp_path):
    admin = make_user("root", Role.ADMIN)
    checked = _distinct_clean_files(tmp_path / "checked", "once", 3)
    runs = _checker_runs()
    services.import_cases(admin, checked, publish=True, checked=True)
    db.session.commit()
    assert _checker_runs() == runs
    assert published_case_ids() == ["once-1", "once-2", "once-3"]

    unchecked = _distinct_clean_files(tmp_path / "unchecked", "twice", 3)
    runs = _checker_runs()
    services.import_cases(admin, unchecked, publish=True)
    db.session.commit()
    assert _checker_runs() == runs + 3


def test_a_checked_import_vouches_only_for_the_text_it_checked(app, tmp_path):
    admin = make_user("root", Role.ADMIN)
    services.import_cases(
        admin, _distinct_clean_files(tmp_path, "vouch", 1), publish=True, checked=True
    )
    db.session.commit()
    case = db.session.get(CaseStudy, "vouch-1")
    case.body = LEAK
    with pytest.raises(UnresolvedFindings):
        db.session.commit()
    db.session.rollback()
    assert "13912345678" not in db.session.get(CaseStudy, "vouch-1").body


def test_a_clean_case_passes_the_gate(app):
    reviewer = make_user("shenhe", Role.CASE_REVIEWER)
    case = make_case(status=CaseStatus.IN_REVIEW, id="gate-ok")
    services.approve_case(reviewer, case)
    db.session.commit()
    assert _status("gate-ok") == CaseStatus.PUBLISHED


def test_search_interface(app):
    reader = make_user("lingdao")
    reviewer = make_user("shenhe", Role.CASE_REVIEWER)
    make_case(status=CaseStatus.PUBLISHED, id="doc-01", readers=[reader], restricted=True)
    make_case(status=CaseStatus.DRAFT, id="doc-02")
    assert published_case_ids() == ["doc-01"]
    doc = case_document("doc-01")
    assert set(doc) == {
        "id",
        "title",
        "year",
        "categories",
        "form",
        "subject_level",
        "domains",
        "tags",
        "outcome",
        "text",
        "restricted",
        "reader_ids",
    }
    assert doc["restricted"] is True and doc["reader_ids"] == [reader.id]
    assert "基本案情" in doc["text"] and "##" not in doc["text"] and "**" not in doc["text"]
    assert case_document("doc-02") is None and case_document("missing") is None

    def outbox() -> list[str]:
        return list(db.session.scalars(select(SearchOutbox.doc_id).order_by(SearchOutbox.id)))

    before = len(outbox())
    case = db.session.get(CaseStudy, "doc-01")
    services.set_access(reviewer, case, False, [])
    services.withdraw_case(reviewer, case, "复核")
    db.session.commit()
    assert outbox()[before:] == ["doc-01", "doc-01"]
    assert case_document("doc-01") is None
