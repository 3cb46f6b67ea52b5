"""JSON API of the case library, under /api/v1/cases. Errors are ``{"error": "…"}``."""

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from learn.cases import services
from learn.cases.access import can_edit
from learn.cases.anonymize import find_problems_in_fields
from learn.cases.library import case_fields
from learn.content import ContentProblems
from learn.content.cases import CATEGORIES, validate_case
from learn.core.pagination import paginate
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db

bp = Blueprint("cases_api", __name__, url_prefix="/api/v1/cases")

_META_KEYS = (
    "id",
    "title",
    "year",
    "categories",
    "form",
    "subject_level",
    "domains",
    "outcome",
    "tags",
)


def _summary(case) -> dict:
    return {
        **case.meta(),
        "form": case.form,
        "outcome": case.outcome,
        "tags": list(case.tags),
        "status": case.status,
        "restricted": case.restricted,
        "url": f"/cases/{case.id}",
    }


def _detail(case) -> dict:
    """One case with its text and the revision number to send back as ``base_revision``."""
    return _summary(case) | {"body": case.body, "revision": services.current_revision(case)}


def _json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise LearnError("请求体须为 JSON 对象。")
    return data


def _json_text(name: str) -> str:
    """An optional text field of the JSON body (anything else in its place counts as empty)."""
    data = request.get_json(silent=True)
    return str(data.get(name) or "") if isinstance(data, dict) else ""


def _case_from_json(data: dict):
    meta = {k: data[k] for k in _META_KEYS if k in data and data[k] not in (None, "", [])}
    body = data.get("body")
    if not isinstance(body, str):
        raise LearnError("缺少正文 body（Markdown 文本）。")
    extra = tuple(current_app.config.get("CASES_EXTRA_DOMAINS", ()))
    return validate_case(meta, body, path="请求", extra_domains=extra)


def _problems_response(exc: ContentProblems):
    return (
        jsonify(
            error="案例内容不符合格式要求："
            + "；".join(f"{e.rule}：{e.message}" for e in exc.errors),
            problems=[{"rule": e.rule, "message": e.message} for e in exc.errors],
        ),
        400,
    )


def _require_editor() -> None:
    if not can_edit(current_user):
        raise PermissionDenied("只有案例编辑或案例审核人员可以进行此操作。")


@bp.get("")
def list_cases():
    category = request.args.get("category", "")
    year = request.args.get("year", type=int)
    if year is not None and not 1900 <= year <= 9999:
        raise LearnError("参数 year 须为四位数的年份。")
    if category and category not in CATEGORIES:
        raise LearnError(f"纪律类别“{category}”不存在。")
    stmt = services.library_query(current_user, category=category, year=year)
    page = paginate(db.session, stmt, request.args.get("page", 1, type=int), per_page=50)
    return jsonify(
        cases=[_summary(c) for c in page.items],
        page=page.page,
        pages=page.pages,
        total=page.total,
    )


@bp.get("/<case_id>")
def get_case(case_id: str):
    case = services.readable_case(current_user, case_id)
    services.record_view(current_user, case)
    db.session.commit()
    return jsonify(_detail(case))


@bp.post("/check")
def check():
    """Run the anonymization checker over posted fields (nothing is stored)."""
    _require_editor()
    data = _json_body()
    meta = {k: data.get(k) for k in ("title", "outcome", "tags")}
    findings = find_problems_in_fields(case_fields(meta, str(data.get("body") or "")))
    return jsonify(
        findings=[
            {"field": name, "rule": f.rule, "text": f.text, "start": f.start, "end": f.end}
            for name, items in findings.items()
            for f in items
        ]
    )


@bp.post("")
def create():
    _require_editor()
    try:
        data = _case_from_json(_json_body())
    except ContentProblems as exc:
        return _problems_response(exc)
    case = services.create_case(current_user, data, "通过接口新建")
    db.session.commit()
    return jsonify(_summary(case)), 201


@bp.put("/<case_id>")
def update(case_id: str):
    _require_editor()
    case = services.get_case(case_id)
    payload = _json_body()
    payload.setdefault("id", case.id)
    try:
        data = _case_from_json(payload)
    except ContentProblems as exc:
        return _problems_response(exc)
    base_revision = payload.get("base_revision")
    if base_revision is not None and (type(base_revision) is not int or base_revision < 0):
        raise LearnError("base_revision 须为非负整数：填写您读取案例时得到的 revision。")
    # A LearnError's handler rolls the request back (learn/errors.py).
    services.update_case(current_user, case, data, "通过接口修改", base_revision)
    db.session.commit()
    return jsonify(_detail(case))


def _transition(case_id: str, action):
    case = services.get_case(case_id)
    action(case)
    db.session.commit()
    return jsonify(_summary(case))


@bp.post("/<case_id>/submit")
def submit(case_id: str):
    return _transition(case_id, lambda case: services.submit_case(current_user, case))


@bp.post("/<case_id>/approve")
def approve(case_id: str):
    comment = _json_text("comment")
    return _transition(case_id, lambda case: services.approve_case(current_user, case, comment))


@bp.post("/<case_id>/return")
def return_(case_id: str):
    comment = _json_text("comment")
    return _transition(case_id, lambda case: services.return_case(current_user, case, comment))


@bp.post("/<case_id>/withdraw")
def withdraw(case_id: str):
    reason = _json_text("reason")
    return _transition(case_id, lambda case: services.withdraw_case(current_user, case, reason))
