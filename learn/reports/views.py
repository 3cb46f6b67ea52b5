"""Report pages and exports; trainers, leaders and admins only, each within their scope."""

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user

from learn.accounts import Category, Role
from learn.accounts import services as accounts
from learn.audit import record_event
from learn.core.charts import bar_chart, line_chart
from learn.core.timefmt import local_today
from learn.courses import course_progress, in_scope, units_in_scope
from learn.extensions import db
from learn.ledger import Outlook, ledger_context
from learn.ledger import year_choices as person_years
from learn.reports import exports
from learn.reports.services import Filters, Report, build_report, year_choices

bp = Blueprint("reports", __name__, url_prefix="/reports")

REPORT_ROLES = (Role.TRAINER, Role.LEADER, Role.ADMIN)
MONTHS = [f"{m}月" for m in range(1, 13)]


@bp.before_request
def report_roles_only():
    if not any(current_user.has_role(role) for role in REPORT_ROLES):
        abort(403)


def _filters() -> Filters:
    years = year_choices()
    year = request.args.get("year", type=int)
    category = request.args.get("category", "")
    return Filters(
        year=year if year in years else local_today().year,
        unit_id=request.args.get("unit", type=int) or None,
        category=category if category in {c.value for c in Category} else None,
        at_risk_only=request.args.get("risk") == "1",
    )


def chart_label(unit_name: str) -> str:
    """A short label for a chart axis: 城关镇纪委 → 城关镇, 第一纪检监察室 → 第一室."""
    short = unit_name.replace("纪委监委机关", "机关").replace("纪检监察", "").replace("纪委", "")
    return short or unit_name


def _charts(report: Report) -> dict:
    units = [u for u in report.units if u.headcount]
    cumulative, running = [], 0
    this_year = local_today().year
    for month, count in enumerate(report.completions_by_month, start=1):
        running += count
        shown = report.filters.year < this_year or month <= local_today().month
        cumulative.append(running if shown else None)
    return {
        "hours": bar_chart(
            f"{report.filters.year}年各单位人均学时",
            [(chart_label(u.name), float(u.average_hours)) for u in units],
            target=current_app.config["QUOTA_SECTION_ANNUAL"],
        ),
        "completion": bar_chart(
            "各单位必修课程完成率（%）", [(chart_label(u.name), u.required_percent) for u in units]
        ),
        "over_time": line_chart(
            f"{report.filters.year}年课程完成人次（累计）", MONTHS, {"完成人次": cumulative}
        ),
    }


@bp.get("/")
def index():
    filters = _filters()
    report = build_report(current_user, filters)
    return render_template(
        "reports/index.html",
        report=report,
        filters=filters,
        units=[u for u in units_in_scope(current_user) if not u.is_cluster],
        categories=[c.value for c in Category],
        years=year_choices(),
        charts=_charts(report) if report.people else None,
        outlooks=Outlook,
    )


@bp.get("/export.<fmt>")
def export(fmt: str):
    table = request.args.get("table", "people")
    if fmt not in ("xlsx", "csv") or table not in ("people", "units"):
        abort(404)
    filters = _filters()
    report = build_report(current_user, filters)
    stem = f"training-report-{filters.year}"
    if fmt == "xlsx":
        body = exports.to_xlsx(report)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"{stem}.xlsx"
    else:
        body = exports.to_csv(report, table)
        mimetype = "text/csv; charset=utf-8"
        filename = f"{stem}-{table}.csv"
    record_event(
        "report_exported",
        current_user,
        target_type="report",
        detail=f"{filename}，{len(report.people)} 人",
    )
    db.session.commit()
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/people/<int:user_id>")
def person(user_id: int):
    found = accounts.get_user(user_id)
    if not in_scope(current_user, found):
        abort(404)
    years = person_years(found.id)
    year = request.args.get("year", type=int)
    year = year if year in years else local_today().year
    return render_template(
        "reports/person.html",
        years=years,
        courses=course_progress(found),
        **ledger_context(found, year),
    )
