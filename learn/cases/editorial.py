"""Editorial pages of the case library (案例编审): the desk, the editor with the checker's
findings, the anonymization fix, review, withdrawal, access, history and who read a case.

Templates live beside the reading pages in ``templates/cases/``.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from learn.accounts import User
from learn.cases import services
from learn.cases.access import can_edit, can_manage_access, can_review, is_editorial
from learn.cases.anonymize import (
    Replacement,
    apply_fix,
    diff_lines,
    find_problems_in_fields,
    propose_fix,
)
from learn.cases.forms import (
    RULE_FIELDS,
    AccessForm,
    CaseForm,
    FixForm,
    ReviewForm,
    SubmitForm,
    WithdrawForm,
    split_list,
)
from learn.cases.library import case_fields
from learn.cases.models import CaseStatus
from learn.cases.rendering import highlighted_lines, render_case_body
from learn.content import ContentProblems
from learn.content.cases import CaseFile, validate_case
from learn.errors import LearnError
from learn.extensions import db

bp = Blueprint("case_desk", __name__, url_prefix="/cases")

DESK_TABS = (
    CaseStatus.IN_REVIEW,
    CaseStatus.DRAFT,
    CaseStatus.RETURNED,
    CaseStatus.PUBLISHED,
    CaseStatus.WITHDRAWN,
)


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _extra_domains() -> tuple[str, ...]:
    return tuple(current_app.config.get("CASES_EXTRA_DOMAINS", ()))


@bp.get("/<case_id>/viewers")
def viewers(case_id: str):
    _require(can_manage_access(current_user))
    case = services.get_case(case_id)
    return render_template("cases/viewers.html", case=case, viewers=services.case_viewers(case.id))


@bp.get("/<case_id>/history")
def history(case_id: str):
    _require(is_editorial(current_user))
    case = services.get_case(case_id)
    return render_template(
        "cases/history.html",
        case=case,
        revisions=services.revisions_of(case),
        steps=list(reversed(case.steps)),
    )


@bp.get("/<case_id>/history/<int:number>")
def revision(case_id: str, number: int):
    _require(is_editorial(current_user))
    case = services.get_case(case_id)
    current = services.get_revision(case, number)
    previous = services.get_revision(case, number - 1) if number > 1 else None
    changes = diff_lines(previous.body, current.body) if previous else []
    return render_template(
        "cases/revision.html",
        case=case,
        revision=current,
        previous=previous,
        changes=changes,
    )


@bp.get("/desk")
def desk():
    _require(is_editorial(current_user))
    status = request.args.get("status", CaseStatus.IN_REVIEW)
    if status not in {s.value for s in DESK_TABS}:
        status = CaseStatus.IN_REVIEW
    return render_template(
        "cases/desk.html",
        tabs=DESK_TABS,
        status=CaseStatus(status),
        counts=services.status_counts(),
        cases=services.cases_in([status]),
        may_edit=can_edit(current_user),
    )


def _case_from_form(form: CaseForm) -> CaseFile | None:
    """Validate the form as a case file; put each problem under its field."""
    try:
        return validate_case(form.meta_dict(), form.body.data or "", extra_domains=_extra_domains())
    except ContentProblems as exc:
        for error in exc.errors:
            field = getattr(form, RULE_FIELDS.get(error.rule, "body"))
            field.errors = [*field.errors, error.message]
        return None


def _preview(form: CaseForm) -> dict:
    fields = case_fields(form.meta_dict(), form.body.data or "")
    before, lessons = render_case_body(form.body.data or "")
    return _findings_context(fields) | {"preview_html": before, "preview_lessons": lessons}


def _findings_context(fields: dict[str, str]) -> dict:
    findings = find_problems_in_fields(fields)
    return {
        "findings": findings,
        "finding_count": sum(len(v) for v in findings.values()),
        "body_lines": highlighted_lines(fields["body"], findings["body"]),
    }


def _fill_form(form: CaseForm, case) -> None:
    form.case_id.data = case.id
    form.title.data = case.title
    form.year.data = str(case.year)
    form.categories.data = list(case.categories)
    form.form_type.data = case.form or ""
    form.subject_level.data = case.subject_level
    form.domains.data = list(case.domains)
    form.outcome.data = case.outcome
    form.tags.data = "、".join(case.tags)
    form.body.data = case.body
    form.base_revision.data = str(services.current_revision(case))


@bp.route("/new", methods=["GET", "POST"])
def new():
    _require(can_edit(current_user))
    form = CaseForm()
    form.set_domain_choices(_extra_domains())
    context = {}
    if request.method == "POST" and form.validate():
        data = _case_from_form(form)
        if request.form.get("action") == "preview" or data is None:
            context = _preview(form)
        else:
            try:
                case = services.create_case(current_user, data, form.note.data or "新建")
            except LearnError as exc:
                db.session.rollback()
                flash(exc.message, "error")
            else:
                db.session.commit()
                flash("案例草稿已保存。", "success")
                return redirect(url_for("case_desk.edit", case_id=case.id))
    return render_template("cases/edit.html", form=form, case=None, **context)


@bp.route("/<case_id>/edit", methods=["GET", "POST"])
def edit(case_id: str):
    _require(can_edit(current_user))
    case = services.get_case(case_id)
    form = CaseForm()
    form.set_domain_choices(_extra_domains())
    context, status = {}, 200
    if request.method == "GET":
        _fill_form(form, case)
        context = _findings_context(case_fields(case.meta(), case.body))
    else:
        form.case_id.data = case.id
        if form.validate():
            data = _case_from_form(form)
            if request.form.get("action") == "preview" or data is None:
                context = _preview(form)
            else:
                try:
                    changed = services.update_case(
                        current_user,
                        case,
                        data,
                        form.note.data or "编辑",
                        base_revision=form.base_revision_number(),
                    )
                except LearnError as exc:
                    db.session.rollback()
                    flash(exc.message, "error")
                    # Saving again now knowingly replaces the newer revision.
                    form.base_revision.data = str(services.current_revision(case))
                    context, status = _preview(form), exc.status
                else:
                    db.session.commit()
                    flash("已保存为新的修订版本。" if changed else "内容没有变化。", "success")
                    return redirect(url_for("case_desk.edit", case_id=case.id))
    return render_template(
        "cases/edit.html",
        form=form,
        case=case,
        submit_form=SubmitForm(),
        steps=list(reversed(case.steps))[:3],
        **context,
    ), status


@bp.route("/<case_id>/fix", methods=["GET", "POST"])
def fix(case_id: str):
    _require(can_edit(current_user))
    case = services.get_case(case_id)
    fields = case_fields(case.meta(), case.body)
    proposal = propose_fix(fields)
    form = FixForm()
    if request.method == "GET":
        for item in proposal:
            form.entries.append_entry(
                {"original": item.original, "kind": item.kind, "replacement": item.replacement}
            )
    elif form.validate():
        chosen = _chosen_replacements(form, proposal)
        if not chosen:
            flash("没有选择任何修改。", "info")
            return redirect(url_for("case_desk.fix", case_id=case.id))
        try:
            data = _fixed_case(case, fields, chosen)
            services.update_case(current_user, case, data, "采用匿名化修改建议")
        except (LearnError, ContentProblems) as exc:
            db.session.rollback()
            flash(
                getattr(exc, "message", None) or "修改后的内容不符合案例格式，请在编辑页调整。",
                "error",
            )
        else:
            db.session.commit()
            flash(f"已采用 {len(chosen)} 项匿名化修改，并保存为新的修订版本。", "success")
            return redirect(url_for("case_desk.edit", case_id=case.id))
    preview = apply_fix(fields, proposal)
    return render_template(
        "cases/fix.html",
        case=case,
        form=form,
        proposal=proposal,
        changes={name: diff_lines(fields[name], preview[name]) for name in fields},
    )


def _chosen_replacements(form: FixForm, proposal: list[Replacement]) -> list[Replacement]:
    known = {item.original: item for item in proposal}
    chosen = []
    for entry in form.entries:
        original = entry.original.data
        if original in known and entry.accept.data:
            text = (entry.replacement.data or "").strip() or known[original].replacement
            chosen.append(Replacement(known[original].kind, original, text))
    return chosen


def _fixed_case(case, fields: dict[str, str], chosen: list[Replacement]) -> CaseFile:
    fixed = apply_fix(fields, chosen)
    meta = case.meta()
    meta["title"] = fixed["title"]
    if fixed["outcome"]:
        meta["outcome"] = fixed["outcome"]
    if case.tags:
        meta["tags"] = split_list(fixed["tags"])
    return validate_case(meta, fixed["body"], extra_domains=_extra_domains())


@bp.post("/<case_id>/submit")
def submit(case_id: str):
    _require(can_edit(current_user))
    case = services.get_case(case_id)
    if SubmitForm().validate_on_submit():
        try:
            services.submit_case(current_user, case)
        except LearnError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("已提交审核。", "success")
    return redirect(url_for("case_desk.edit", case_id=case.id))


@bp.route("/<case_id>/review", methods=["GET", "POST"])
def review(case_id: str):
    _require(can_review(current_user))
    case = services.get_case(case_id)
    form = ReviewForm()
    if request.method == "POST" and form.validate():
        try:
            if request.form.get("action") == "approve":
                services.approve_case(current_user, case, form.comment.data or "")
                message = "已审核通过，案例已发布。"
            else:
                services.return_case(current_user, case, form.comment.data or "")
                message = "已退回，编辑将收到通知。"
        except LearnError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("case_desk.desk"))
    before, lessons = render_case_body(case.body)
    return render_template(
        "cases/review.html",
        case=case,
        form=form,
        body_html=before,
        lessons_html=lessons,
        steps=list(reversed(case.steps)),
        last_revision=case.revisions[-1] if case.revisions else None,
        **_findings_context(case_fields(case.meta(), case.body)),
    )


@bp.post("/<case_id>/withdraw")
def withdraw(case_id: str):
    _require(can_manage_access(current_user))
    case = services.get_case(case_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash("请写明撤回原因。", "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    try:
        services.withdraw_case(current_user, case, form.reason.data)
    except LearnError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    db.session.commit()
    flash("案例已撤回，不再出现在案例库中。", "success")
    return redirect(url_for("case_desk.desk", status=CaseStatus.WITHDRAWN.value))


@bp.route("/<case_id>/access", methods=["GET", "POST"])
def access(case_id: str):
    _require(can_manage_access(current_user))
    case = services.get_case(case_id)
    form = AccessForm()
    if request.method == "GET":
        form.restricted.data = case.restricted
        form.readers.data = "、".join(_usernames(case.reader_ids))
    elif form.validate():
        names = split_list(form.readers.data)
        users = {
            u.username: u.id
            for u in db.session.scalars(select(User).where(User.username.in_(names)))
        }
        unknown = [n for n in names if n not in users]
        if unknown:
            form.readers.errors = [f"找不到这些用户名：{'、'.join(unknown)}"]
        else:
            try:
                services.set_access(current_user, case, bool(form.restricted.data), users.values())
            except LearnError as exc:
                db.session.rollback()
                flash(exc.message, "error")
            else:
                db.session.commit()
                flash("阅读范围已保存。", "success")
                return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/access.html", case=case, form=form)


def _usernames(user_ids: list[int]) -> list[str]:
    if not user_ids:
        return []
    return list(
        db.session.scalars(
            select(User.username).where(User.id.in_(user_ids)).order_by(User.username)
        )
    )


@bp.app_template_filter("finding_marks")
def finding_marks(segments) -> Markup:
    """Render highlighted source segments: plain text, or <mark> with the rule as a label."""
    parts = []
    for text, finding in segments:
        if finding is None:
            parts.append(escape(text))
        else:
            parts.append(
                Markup(
                    '<mark class="finding" data-rule="{rule}">{text}<span class="sr-only">'
                    "（{rule}）</span></mark>"
                ).format(rule=finding.rule, text=text)
            )
    return Markup("").join(parts)
