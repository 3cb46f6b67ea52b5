"""Editorial workflow in the browser pages: write, check, fix, submit, review, publish, withdraw;
every revision kept with who and when."""

import re

from sqlalchemy import select

from learn.accounts import Role
from learn.cases.models import CaseStatus, CaseStudy
from learn.extensions import db
from learn.notifications import Notification
from tests.cases.factories import CLEAN_BODY, make_case
from tests.cases.test_anonymize import _id_number
from tests.conftest import login, post_form
from tests.factories import make_user

LEAKY_BODY = CLEAN_BODY.replace("张某，男", "张建军，男，身份证号{id}").replace(
    "张某利用", "张建军利用"
)


def _form(**overrides) -> dict:
    data = {
        "case_id": "web-case-01",
        "title": "某镇农业服务中心原主任收受财物问题剖析",
        "year": "2022",
        "categories": ["廉洁纪律"],
        "form_type": "第二种形态",
        "subject_level": "站所负责人",
        "domains": ["乡村振兴"],
        "outcome": "党内警告处分",
        "tags": "农机补贴、收受财物",
        "body": CLEAN_BODY,
        "action": "save",
    }
    data.update(overrides)
    return data


def _case(case_id: str = "web-case-01") -> CaseStudy:
    db.session.expire_all()
    return db.session.get(CaseStudy, case_id)


def _people():
    editor = make_user("bianji", Role.CASE_EDITOR, name="江书言")
    reviewer = make_user("shenhe", Role.CASE_REVIEWER, name="顾清和")
    reader = make_user("xueyuan", name="林一帆")
    return editor, reviewer, reader


def test_editor_writes_sees_findings_fixes_and_submits(client):
    _people()
    login(client, "bianji")
    id_number = _id_number()
    body = LEAKY_BODY.format(id=id_number)
    response = post_form(client, "/cases/new", _form(body=body), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "案例草稿已保存" in page
    assert "发现 3 处可能识别个人的信息" in page
    assert re.search(r'<mark class="finding"[^>]*>张建军', page)
    assert id_number in page

    refused = post_form(client, "/cases/web-case-01/submit", token_from="/cases/web-case-01/edit")
    assert _case().status == CaseStatus.DRAFT
    assert "仍有 3 处" in client.get(refused.headers["Location"]).get_data(as_text=True)

    fix_page = client.get("/cases/web-case-01/fix").get_data(as_text=True)
    assert "<del>建军</del><ins>某</ins>" in fix_page or "<del>张建军</del>" in fix_page
    entries = {
        "entries-0-original": "张建军",
        "entries-0-kind": "name",
        "entries-0-replacement": "张某",
        "entries-0-accept": "y",
        "entries-1-original": id_number,
        "entries-1-kind": "id_number",
        "entries-1-replacement": "*" * 18,
        "entries-1-accept": "y",
    }
    response = post_form(client, "/cases/web-case-01/fix", entries, follow_redirects=True)
    assert "已采用 2 项匿名化修改" in response.get_data(as_text=True)
    case = _case()
    assert "张建军" not in case.body and id_number not in case.body
    assert [r.note for r in case.revisions] == ["新建", "采用匿名化修改建议"]

    response = post_form(
        client,
        "/cases/web-case-01/submit",
        token_from="/cases/web-case-01/edit",
        follow_redirects=True,
    )
    assert "已提交审核" in response.get_data(as_text=True)
    assert _case().status == CaseStatus.IN_REVIEW


def test_preview_shows_findings_without_saving(client):
    _people()
    login(client, "bianji")
    body = CLEAN_BODY.replace("张某，男", "张建军，男")
    page = post_form(client, "/cases/new", _form(body=body, action="preview")).get_data(
        as_text=True
    )
    assert "预览" in page and "张建军" in page and "发现 1 处" in page
    assert _case() is None


def test_format_problems_are_shown_under_their_fields(client):
    _people()
    login(client, "bianji")
    page = post_form(
        client, "/cases/new", _form(case_id="Bad_ID", year="1980", categories=[])
    ).get_data(as_text=True)
    assert "只能用小写字母" in page
    assert "超出范围" in page
    assert "至少填写一项" in page
    assert _case("Bad_ID") is None
    page = post_form(client, "/cases/new", _form(year="二〇二二")).get_data(as_text=True)
    assert "须为整数年份" in page
    assert _case() is None


def test_reviewer_approves_and_the_case_is_published(client, app):
    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.IN_REVIEW, id="review-01")
    db.session.expire_all()
    login(client, "shenhe")
    page = client.get("/cases/review-01/review").get_data(as_text=True)
    assert "通过并发布" in page
    response = post_form(
        client,
        "/cases/review-01/review",
        {"action": "approve", "comment": "同意发布。"},
        follow_redirects=True,
    )
    assert "已审核通过" in response.get_data(as_text=True)
    case = _case("review-01")
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert case.steps[-1].comment == "同意发布。" and case.steps[-1].user_name == "顾清和"


def test_reviewer_returns_with_comments_and_the_editor_is_told(client):
    editor, _reviewer, _reader = _people()
    case = make_case(editor, CaseStatus.DRAFT, id="return-01")
    login_editor = client.application.test_client()
    login(login_editor, "bianji")
    post_form(login_editor, "/cases/return-01/submit", token_from="/cases/return-01/edit")
    login(client, "shenhe")
    response = post_form(client, "/cases/return-01/review", {"action": "return", "comment": ""})
    assert "退回时请写明" in response.get_data(as_text=True)
    post_form(
        client, "/cases/return-01/review", {"action": "return", "comment": "请补充问题剖析。"}
    )
    case = _case("return-01")
    assert case.status == CaseStatus.RETURNED
    note = db.session.scalar(select(Notification).where(Notification.user_id == editor.id))
    assert note.title == "案例被退回修改" and "补充问题剖析" in note.body
    edit_page = login_editor.get("/cases/return-01/edit").get_data(as_text=True)
    assert "请补充问题剖析。" in edit_page


def test_every_revision_is_kept_with_who_and_when(client):
    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.DRAFT, id="rev-01")
    login(client, "bianji")
    for n in range(2):
        post_form(
            client,
            "/cases/rev-01/edit",
            _form(case_id="rev-01", body=CLEAN_BODY + f"\n2. 第{n}次补充。\n", note=f"补充{n}"),
        )
    unchanged = post_form(
        client,
        "/cases/rev-01/edit",
        _form(case_id="rev-01", body=CLEAN_BODY + "\n2. 第1次补充。\n"),
        follow_redirects=True,
    )
    assert "内容没有变化" in unchanged.get_data(as_text=True)
    case = _case("rev-01")
    assert [(r.number, r.note, r.author_name) for r in case.revisions] == [
        (1, "新建", "江书言"),
        (2, "补充0", "江书言"),
        (3, "补充1", "江书言"),
    ]
    assert all(r.created_at.tzinfo is not None for r in case.revisions)
    history = client.get("/cases/rev-01/history").get_data(as_text=True)
    assert "第 3 版" in history and "补充1" in history
    diff = client.get("/cases/rev-01/history/3").get_data(as_text=True)
    assert "<del>0</del><ins>1</ins>" in diff
    assert "第0次补充" in client.get("/cases/rev-01/history/2").get_data(as_text=True)


def test_editing_a_published_case_keeps_it_published_and_notes_the_search_outbox(client):
    from learn.search.outbox import SearchOutbox

    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.PUBLISHED, id="live-01")
    before = db.session.scalar(select(db.func.count()).select_from(SearchOutbox))
    login(client, "bianji")
    post_form(
        client, "/cases/live-01/edit", _form(case_id="live-01", title="某镇站所负责人受贿问题剖析")
    )
    case = _case("live-01")
    assert case.status == CaseStatus.PUBLISHED and case.title == "某镇站所负责人受贿问题剖析"
    after = db.session.scalars(select(SearchOutbox.doc_id).order_by(SearchOutbox.id)).all()
    assert len(after) == before + 1 and after[-1] == "live-01"


def test_a_published_case_cannot_be_edited_into_a_leak(client):
    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.PUBLISHED, id="live-02")
    login(client, "bianji")
    response = post_form(
        client,
        "/cases/live-02/edit",
        _form(case_id="live-02", body=CLEAN_BODY.replace("张某，男", "张建军，男")),
    )
    assert "仍有" in response.get_data(as_text=True)
    case = _case("live-02")
    assert "张建军" not in case.body and len(case.revisions) == 1


def test_editors_cannot_change_a_case_under_review(client):
    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.IN_REVIEW, id="locked-01")
    login(client, "bianji")
    response = post_form(
        client,
        "/cases/locked-01/edit",
        _form(case_id="locked-01", title="改个标题试试"),
    )
    assert "正在审核中" in response.get_data(as_text=True)
    assert _case("locked-01").title != "改个标题试试"


def test_withdraw_takes_a_case_out_of_the_library(client):
    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.PUBLISHED, id="wd-01")
    login(client, "shenhe")
    post_form(client, "/cases/wd-01/withdraw", {"reason": ""}, token_from="/cases/wd-01")
    assert _case("wd-01").status == CaseStatus.PUBLISHED
    post_form(
        client, "/cases/wd-01/withdraw", {"reason": "案情表述需核实"}, token_from="/cases/wd-01"
    )
    assert _case("wd-01").status == CaseStatus.WITHDRAWN
    other = client.application.test_client()
    login(other, "xueyuan")
    assert other.get("/cases/wd-01").status_code == 404
    assert "wd-01" not in other.get("/cases/").get_data(as_text=True)


def test_submitting_notifies_the_reviewers(client):
    editor, reviewer, _reader = _people()
    make_case(editor, CaseStatus.DRAFT, id="note-01")
    login(client, "bianji")
    post_form(client, "/cases/note-01/submit", token_from="/cases/note-01/edit")
    note = db.session.scalar(select(Notification).where(Notification.user_id == reviewer.id))
    assert note.title == "有案例待审核" and note.link == "/cases/note-01/review"


def test_desk_lists_cases_by_state(client):
    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.IN_REVIEW, id="desk-01", title="某县待审核案例剖析")
    make_case(editor, CaseStatus.DRAFT, id="desk-02", title="某县草稿案例剖析")
    login(client, "shenhe")
    page = client.get("/cases/desk").get_data(as_text=True)
    assert "某县待审核案例剖析" in page and "某县草稿案例剖析" not in page
    assert "待审核（1）" in page and "草稿（1）" in page
    drafts = client.get("/cases/desk?status=draft").get_data(as_text=True)
    assert "某县草稿案例剖析" in drafts


def test_home_panel_shows_the_review_queue(client):
    editor, _reviewer, _reader = _people()
    make_case(editor, CaseStatus.IN_REVIEW, id="panel-01", title="某县待审核案例剖析")
    login(client, "shenhe")
    page = client.get("/").get_data(as_text=True)
    assert "待审核的案例" in page and "某县待审核案例剖析" in page
