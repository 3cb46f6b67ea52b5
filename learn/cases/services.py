"""Case library use cases: write, review, publish, withdraw, restrict, read, import, export.

Services add and flush; the view, API endpoint or command commits. Publishing
always goes through ``_publish``, which refuses a case with an unresolved
anonymization finding; ``learn.cases.gate`` repeats that check on every flush
so that no other path can publish one either.
"""

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nh3
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from learn.accounts import Role, User
from learn.audit import AuditEvent, record_event
from learn.cases.access import can_edit, can_manage_access, can_read, can_review, is_editorial
from learn.cases.anonymize import Finding, find_problems_in_fields
from learn.cases.library import case_fields, write_case_file
from learn.cases.models import (
    CaseCategory,
    CaseReader,
    CaseRevision,
    CaseStatus,
    CaseStep,
    CaseStudy,
)
from learn.content.cases import CaseFile
from learn.core.db import utcnow
from learn.core.markdown import render_markdown
from learn.errors import Conflict, LearnError, NotFound, PermissionDenied
from learn.extensions import db
from learn.notifications import notify
from learn.search import record_change

EDITABLE_BY_EDITORS = (
    CaseStatus.DRAFT,
    CaseStatus.RETURNED,
    CaseStatus.WITHDRAWN,
    CaseStatus.PUBLISHED,
)
SUBMITTABLE = (CaseStatus.DRAFT, CaseStatus.RETURNED, CaseStatus.WITHDRAWN)
# Ids that would collide with the library's own pages (/cases/desk, /cases/new).
RESERVED_IDS = frozenset({"desk", "new"})


class UnresolvedFindings(LearnError):
    """The case still contains something that could identify a person."""

    status = 409

    def __init__(self, case_id: str, findings: dict[str, list[Finding]]):
        items = [f"“{f.text}”（{f.rule}）" for found in findings.values() for f in found]
        shown = "、".join(items[:5]) + ("等" if len(items) > 5 else "")
        super().__init__(
            f"案例 {case_id} 仍有 {len(items)} 处可能识别个人的信息未处理：{shown}。"
            "请在编辑页使用“匿名化修改建议”处理后再提交或发布。"
        )
        self.findings = findings


# ---------------------------------------------------------------- reading


def get_case(case_id: str) -> CaseStudy:
    case = db.session.get(CaseStudy, case_id)
    if case is None:
        raise NotFound("案例不存在或已被删除。")
    return case


def readable_case(user, case_id: str) -> CaseStudy:
    """The case if ``user`` may read it; otherwise "not found", so its existence stays hidden."""
    case = db.session.get(CaseStudy, case_id)
    if case is None or not can_read(user, case):
        raise NotFound("案例不存在，或您没有阅读权限。")
    return case


def case_findings(case: CaseStudy) -> dict[str, list[Finding]]:
    """Anonymization findings per field (title, outcome, tags, body)."""
    return find_problems_in_fields(case_fields(case.meta(), case.body))


def unresolved_findings(case: CaseStudy) -> dict[str, list[Finding]]:
    """Only the fields that have findings."""
    return {k: v for k, v in case_findings(case).items() if v}


# Where an import notes, on a case's instance state, the text the checker found clean.
_CHECKED_CLEAN = "learn.cases.checked_clean"


def _checked_text(fields: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(fields.items())


def _note_checked_clean(case: CaseStudy, data: CaseFile) -> None:
    """Remember that ``data``'s text, now the case's, was checked clean before the import."""
    inspect(case).info[_CHECKED_CLEAN] = _checked_text(case_fields(data.meta(), data.body))


def _was_checked_clean(case: CaseStudy) -> bool:
    """True while the case still holds exactly the text an import found clean."""
    checked = inspect(case).info.get(_CHECKED_CLEAN)
    return checked is not None and checked == _checked_text(case_fields(case.meta(), case.body))


def ensure_publishable(case: CaseStudy) -> None:
    """Raise ``UnresolvedFindings`` unless the case is clean.

    Text an import has just checked clean (``import_cases(checked=True)``) is
    not checked again; any other text, or the same case once edited, is.
    """
    if _was_checked_clean(case):
        return
    findings = unresolved_findings(case)
    if findings:
        raise UnresolvedFindings(case.id, findings)


def plain_text(markdown: str) -> str:
    """The words of a Markdown body, without markup."""
    return html.unescape(nh3.clean(render_markdown(markdown), tags=set())).strip()


def published_case_ids() -> list[str]:
    """Ids of every published case (restricted ones included), sorted."""
    return list(
        db.session.scalars(
            select(CaseStudy.id)
            .where(CaseStudy.status == CaseStatus.PUBLISHED)
            .order_by(CaseStudy.id)
        )
    )


def case_document(case_id: str) -> dict | None:
    """What the search indexer stores for a published case; None for any other case."""
    case = db.session.get(CaseStudy, case_id)
    if case is None or not case.is_published:
        return None
    return {
        "id": case.id,
        "title": case.title,
        "year": case.year,
        "categories": list(case.categories),
        "form": case.form,
        "subject_level": case.subject_level,
        "domains": list(case.domains),
        "tags": list(case.tags),
        "outcome": case.outcome,
        "text": plain_text(case.body),
        "restricted": case.restricted,
        "reader_ids": case.reader_ids if case.restricted else [],
    }


def record_view(user, case: CaseStudy) -> None:
    record_event("case_viewed", user, target_type="case", target_id=case.id)


@dataclass(frozen=True)
class Viewer:
    username: str
    name: str
    views: int
    last_at: datetime


def case_viewers(case_id: str) -> list[Viewer]:
    """Who opened a case, how often and when last (from the audit log)."""
    rows = db.session.execute(
        select(
            AuditEvent.username,
            func.count(AuditEvent.id),
            func.max(AuditEvent.at),
        )
        .where(
            AuditEvent.action == "case_viewed",
            AuditEvent.target_type == "case",
            AuditEvent.target_id == case_id,
        )
        .group_by(AuditEvent.username)
        .order_by(func.max(AuditEvent.at).desc())
    ).all()
    names = dict(
        db.session.execute(
            select(User.username, User.name).where(User.username.in_([r[0] for r in rows]))
        ).all()
    )
    return [
        Viewer(username, names.get(username, username), count, last)
        for username, count, last in rows
    ]


def revisions_of(case: CaseStudy) -> list[CaseRevision]:
    return list(reversed(case.revisions))


def get_revision(case: CaseStudy, number: int) -> CaseRevision:
    revision = db.session.scalar(
        select(CaseRevision).where(CaseRevision.case_id == case.id, CaseRevision.number == number)
    )
    if revision is None:
        raise NotFound("该修订版本不存在。")
    return revision


def cases_in(statuses: Iterable[str]) -> list[CaseStudy]:
    """Cases in any of ``statuses``, most recently changed first (the editorial desk)."""
    return list(
        db.session.scalars(
            select(CaseStudy)
            .where(CaseStudy.status.in_([str(s) for s in statuses]))
            .order_by(CaseStudy.updated_at.desc(), CaseStudy.id)
        )
    )


def status_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(CaseStudy.status, func.count()).group_by(CaseStudy.status)
    ).all()
    return {status: count for status, count in rows}


def library_query(user, *, category: str = "", year: int | None = None):
    """Select the published cases ``user`` may read, newest first, filtered from the database."""
    stmt = select(CaseStudy).where(CaseStudy.status == CaseStatus.PUBLISHED)
    if not is_editorial(user):
        allowed = select(CaseReader.case_id).where(CaseReader.user_id == user.id)
        stmt = stmt.where((CaseStudy.restricted.is_(False)) | CaseStudy.id.in_(allowed))
    if category:
        stmt = stmt.where(
            CaseStudy.id.in_(select(CaseCategory.case_id).where(CaseCategory.category == category))
        )
    if year:
        stmt = stmt.where(CaseStudy.year == year)
    return stmt.order_by(CaseStudy.year.desc(), CaseStudy.published_at.desc(), CaseStudy.id)


def library_years() -> list[int]:
    return list(
        db.session.scalars(
            select(CaseStudy.year)
            .where(CaseStudy.status == CaseStatus.PUBLISHED)
            .distinct()
            .order_by(CaseStudy.year.desc())
        )
    )


# ---------------------------------------------------------------- writing


def _apply_content(case: CaseStudy, data: CaseFile) -> None:
    case.title = data.title
    case.year = data.year
    case.set_categories(list(data.categories))
    case.form = data.form
    case.subject_level = data.subject_level
    case.domains = list(data.domains)
    case.outcome = data.outcome
    case.tags = list(data.tags)
    case.body = data.body
    case.content_hash = data.content_hash


def _add_revision(case: CaseStudy, actor, note: str, base: int | None = None) -> CaseRevision:
    revision = CaseRevision(
        case_id=case.id,
        number=(current_revision(case) if base is None else base) + 1,
        meta=case.meta(),
        body=case.body,
        content_hash=case.content_hash,
        author_id=getattr(actor, "id", None),
        author_name=getattr(actor, "name", "") or "命令行",
        note=note[:200],
    )
    db.session.add(revision)
    return revision


def _step(case: CaseStudy, actor, to_status: CaseStatus, comment: str = "") -> None:
    db.session.add(
        CaseStep(
            case_id=case.id,
            from_status=case.status,
            to_status=to_status,
            user_id=getattr(actor, "id", None),
            user_name=getattr(actor, "name", "") or "命令行",
            comment=comment,
        )
    )
    case.status = to_status


def _require(allowed: bool, message: str = "您没有权限进行此操作。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def create_case(actor, data: CaseFile, note: str = "新建") -> CaseStudy:
    """Start a draft from validated content; the id must be new."""
    _require(actor is None or can_edit(actor))
    _check_not_reserved([data])
    if db.session.get(CaseStudy, data.id) is not None:
        raise Conflict(f"编号 {data.id} 已被其他案例使用，请换一个编号。")
    case = CaseStudy(id=data.id, status=CaseStatus.DRAFT, created_by_id=getattr(actor, "id", None))
    _apply_content(case, data)
    db.session.add(case)
    db.session.flush()
    _add_revision(case, actor, note, base=0)
    record_event("case_created", actor, target_type="case", target_id=case.id)
    db.session.flush()
    return case


def _check_not_reserved(cases: Iterable[CaseFile]) -> None:
    taken = sorted({c.id for c in cases} & RESERVED_IDS)
    if taken:
        raise LearnError(f"编号 {'、'.join(taken)} 是系统保留字，请换一个编号。")


def current_revision(case: CaseStudy) -> int:
    """The number of the case's latest revision (0 before the first save)."""
    return (
        db.session.scalar(
            select(func.max(CaseRevision.number)).where(CaseRevision.case_id == case.id)
        )
        or 0
    )


def _check_not_stale(case: CaseStudy, base_revision: int | None) -> None:
    """Refuse a save based on an older revision than the current one (lost update)."""
    if base_revision is None:
        return
    latest = current_revision(case)
    if base_revision != latest:
        author = get_revision(case, latest).author_name if latest else ""
        raise Conflict(
            f"保存失败：在您编辑期间，该案例已被他人修改（{author}，第 {latest} 版），"
            f"您是在第 {base_revision} 版上修改的。您的内容仍保留在下方，"
            "请先在修订历史中查看对方的修改，确认后再保存。"
        )


def update_case(
    actor,
    case: CaseStudy,
    data: CaseFile,
    note: str = "编辑",
    base_revision: int | None = None,
) -> bool:
    """Save new content as a revision; False when nothing changed.

    ``base_revision`` is the revision the editor started from: when someone else
    saved in between, the save is refused instead of silently overwriting theirs.
    Two saves racing past that check collide on the unique revision number, and
    the loser is refused the same way. A published case stays published only if
    the new text is clean.
    """
    _require(actor is None or can_edit(actor))
    if data.id != case.id:
        raise LearnError("案例编号不能修改。")
    if actor is not None and not can_review(actor) and case.status not in EDITABLE_BY_EDITORS:
        raise Conflict("案例正在审核中，暂不能修改；如需修改，请联系审核人退回。")
    _check_not_stale(case, base_revision)
    if data.content_hash == case.content_hash:
        return False
    _apply_content(case, data)
    if case.is_published:
        ensure_publishable(case)
        record_change("case", case.id)
    _add_revision(case, actor, note, base_revision)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "保存失败：该案例刚刚被他人修改。您的内容仍保留在下方，"
            "请先在修订历史中查看对方的修改，确认后再保存。"
        ) from exc
    record_event("case_edited", actor, target_type="case", target_id=case.id, detail=note)
    db.session.flush()
    return True


def _reviewers() -> list[User]:
    return [
        u
        for u in db.session.scalars(select(User).where(User.active.is_(True)))
        if u.has_role(Role.CASE_REVIEWER)
    ]


def submit_case(actor, case: CaseStudy) -> None:
    """Send a draft (or returned/withdrawn case) to the reviewers; it must be clean first."""
    _require(can_edit(actor))
    if case.status not in SUBMITTABLE:
        raise Conflict(f"案例当前状态为“{case.status_label}”，不能提交审核。")
    ensure_publishable(case)
    _step(case, actor, CaseStatus.IN_REVIEW)
    record_event("case_submitted", actor, target_type="case", target_id=case.id)
    for reviewer in _reviewers():
        if reviewer.id != actor.id:
            notify(
                reviewer.id,
                "有案例待审核",
                f"{actor.name} 提交了案例《{case.title}》。",
                f"/cases/{case.id}/review",
            )
    db.session.flush()


def _publish(actor, case: CaseStudy) -> None:
    ensure_publishable(case)
    case.published_at = utcnow()
    _step(case, actor, CaseStatus.PUBLISHED)
    record_change("case", case.id)


def _submitter_id(case: CaseStudy) -> int | None:
    submitted = [s for s in case.steps if s.to_status == CaseStatus.IN_REVIEW]
    return submitted[-1].user_id if submitted else case.created_by_id


def approve_case(actor, case: CaseStudy, comment: str = "") -> None:
    """审核通过: publish a case that is in review."""
    _require(can_review(actor), "只有案例审核人员可以审核案例。")
    if case.status != CaseStatus.IN_REVIEW:
        raise Conflict(f"案例当前状态为“{case.status_label}”，不在审核中。")
    _publish(actor, case)
    if comment:
        case.steps[-1].comment = comment
    record_event("case_approved", actor, target_type="case", target_id=case.id)
    submitter = _submitter_id(case)
    if submitter and submitter != actor.id:
        notify(submitter, "案例已发布", f"《{case.title}》已审核通过并发布。", f"/cases/{case.id}")
    db.session.flush()


def return_case(actor, case: CaseStudy, comment: str) -> None:
    """退回修改, with the reviewer's reasons."""
    _require(can_review(actor), "只有案例审核人员可以审核案例。")
    if case.status != CaseStatus.IN_REVIEW:
        raise Conflict(f"案例当前状态为“{case.status_label}”，不在审核中。")
    comment = (comment or "").strip()
    if not comment:
        raise LearnError("退回时请写明需要修改的地方。")
    _step(case, actor, CaseStatus.RETURNED, comment)
    record_event("case_returned", actor, target_type="case", target_id=case.id, detail=comment)
    submitter = _submitter_id(case)
    if submitter and submitter != actor.id:
        notify(submitter, "案例被退回修改", comment[:200], f"/cases/{case.id}/edit")
    db.session.flush()


def withdraw_case(actor, case: CaseStudy, reason: str) -> None:
    """Take a published case out of the library (it can be edited and resubmitted)."""
    _require(can_manage_access(actor), "只有案例审核人员或系统管理员可以撤回案例。")
    if not case.is_published:
        raise Conflict("只有已发布的案例可以撤回。")
    reason = (reason or "").strip()
    if not reason:
        raise LearnError("请写明撤回原因。")
    _step(case, actor, CaseStatus.WITHDRAWN, reason)
    record_change("case", case.id)
    record_event("case_withdrawn", actor, target_type="case", target_id=case.id, detail=reason)
    db.session.flush()


def set_access(actor, case: CaseStudy, restricted: bool, reader_ids: Iterable[int]) -> bool:
    """Restrict a case to editorial staff and named readers (or open it); False if unchanged."""
    _require(can_manage_access(actor), "只有案例审核人员或系统管理员可以设置阅读范围。")
    wanted = set(reader_ids) if restricted else set()
    known = set(db.session.scalars(select(User.id).where(User.id.in_(wanted))))
    if known != wanted:
        raise LearnError("指定的读者中有不存在的用户，请重新选择。")
    if restricted == case.restricted and wanted == set(case.reader_ids):
        return False
    case.restricted = restricted
    keep = {r.user_id: r for r in case.reader_rows}
    case.reader_rows = [keep.get(uid) or CaseReader(user_id=uid) for uid in sorted(wanted)]
    if case.is_published:
        record_change("case", case.id)
    detail = "受限阅读" if restricted else "全员可读"
    if wanted:
        detail += "；指定读者 " + "、".join(
            db.session.scalars(
                select(User.username).where(User.id.in_(wanted)).order_by(User.username)
            )
        )
    record_event("case_access_changed", actor, target_type="case", target_id=case.id, detail=detail)
    db.session.flush()
    return True


# ---------------------------------------------------------------- files


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)


def import_cases(
    actor, cases: list[CaseFile], *, publish: bool = False, checked: bool = False
) -> ImportResult:
    """Create or revise every case; all of them, or (on any error) none once rolled back.

    Without ``publish`` new and changed cases wait in the review queue; with it
    (系统管理员 only) they are published at once — each still through the gate.
    ``checked`` says that ``cases`` come from a clean ``check_files`` report: the
    gate then trusts that check for their text instead of running the checker a
    second time (validation only strips outer whitespace, which finds nothing).
    """
    if publish:
        _require(
            actor is not None and actor.has_role(Role.ADMIN), "只有系统管理员可以导入并直接发布。"
        )
    _check_not_reserved(cases)
    result = ImportResult()
    for data in cases:
        case = db.session.get(CaseStudy, data.id)
        if case is not None and case.content_hash == data.content_hash:
            if checked:
                _note_checked_clean(case, data)
            if publish and not case.is_published:
                _publish(actor, case)
                result.published.append(case.id)
            result.unchanged.append(data.id)
            continue
        new = case is None
        if new:
            case = CaseStudy(
                id=data.id, status=CaseStatus.DRAFT, created_by_id=getattr(actor, "id", None)
            )
            _apply_content(case, data)
            db.session.add(case)
            db.session.flush()
            result.created.append(case.id)
        else:
            _apply_content(case, data)
            result.updated.append(case.id)
        if checked:
            _note_checked_clean(case, data)
        _add_revision(case, actor, "导入", base=0 if new else None)
        if publish:
            if case.is_published:
                ensure_publishable(case)
                record_change("case", case.id)
            else:
                _publish(actor, case)
            result.published.append(case.id)
        elif case.status != CaseStatus.IN_REVIEW:
            _step(case, actor, CaseStatus.IN_REVIEW, "导入")
            if case.id in result.updated:
                record_change("case", case.id)
        db.session.flush()
    record_event(
        "cases_imported",
        actor,
        username="" if actor else "cli",
        target_type="case",
        detail=(
            f"新增 {len(result.created)}，更新 {len(result.updated)}，"
            f"未变 {len(result.unchanged)}，发布 {len(result.published)}"
        ),
    )
    db.session.flush()
    return result


def export_cases(actor, folder: Path, *, include_restricted: bool = False) -> list[str]:
    """Write every published case to ``folder`` in the file format; return their ids."""
    stmt = select(CaseStudy).where(CaseStudy.status == CaseStatus.PUBLISHED).order_by(CaseStudy.id)
    if not include_restricted:
        stmt = stmt.where(CaseStudy.restricted.is_(False))
    written = []
    for case in db.session.scalars(stmt):
        write_case_file(folder, case.meta(), case.body)
        record_event(
            "case_exported",
            actor,
            username="" if actor else "cli",
            target_type="case",
            target_id=case.id,
            detail=str(folder),
        )
        written.append(case.id)
    db.session.flush()
    return written
