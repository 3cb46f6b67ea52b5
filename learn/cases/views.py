"""Reading pages of the case library: the list of published cases and a case page.

The editorial pages (desk, editor, fix, review, access, history) are in
``learn.cases.editorial``, a second blueprint under the same /cases prefix so
that the navigation tells 案例库 and 案例编审 apart.
"""

from flask import Blueprint, render_template, request
from flask_login import current_user

from learn.audit import record_event
from learn.cases import services
from learn.cases.access import can_edit, can_manage_access, can_review, is_editorial
from learn.cases.forms import WithdrawForm
from learn.cases.rendering import render_case_body
from learn.content.cases import CATEGORIES
from learn.core.pagination import paginate
from learn.extensions import db

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("/")
def index():
    category = request.args.get("category", "")
    category = category if category in CATEGORIES else ""
    year = request.args.get("year", type=int)
    year = year if year and 1900 <= year <= 9999 else None
    stmt = services.library_query(current_user, category=category, year=year)
    page = paginate(db.session, stmt, request.args.get("page", 1, type=int), per_page=20)
    if category or year:
        record_event(
            "case_search",
            current_user,
            target_type="case",
            detail=f"案例库筛选：类别={category or '全部'}，年份={year or '全部'}",
        )
        db.session.commit()
    return render_template(
        "cases/index.html",
        page=page,
        category=category,
        year=year,
        categories=CATEGORIES,
        years=services.library_years(),
        editorial=is_editorial(current_user),
    )


@bp.get("/<case_id>")
def detail(case_id: str):
    case = services.readable_case(current_user, case_id)
    services.record_view(current_user, case)
    db.session.commit()
    before, lessons = render_case_body(case.body)
    return render_template(
        "cases/detail.html",
        case=case,
        body_html=before,
        lessons_html=lessons,
        editorial=is_editorial(current_user),
        may_edit=can_edit(current_user),
        may_manage=can_manage_access(current_user),
        may_review=can_review(current_user),
        withdraw_form=WithdrawForm(),
    )
