"""Series pages: list, create/edit, the series page, results by series, generating sessions."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from learn.accounts import Role, roles_required
from learn.core.charts import bar_chart
from learn.core.db import utcnow
from learn.core.timefmt import to_local
from learn.errors import LearnError
from learn.extensions import db
from learn.lectures import access
from learn.lectures.feedback import DIMENSIONS, series_results
from learn.lectures.forms import GenerateForm, SeriesForm
from learn.lectures.recurrence import Frequency, Recurrence
from learn.lectures.rotas import series_rotas
from learn.lectures.sessions import (
    Generation,
    SeriesData,
    all_series,
    generate_sessions,
    get_series,
    save_series,
    series_sessions,
)
from learn.lectures.views import bp
from learn.lectures.views.common import managed_series
from learn.org import services as org


@bp.get("/series")
def series_list():
    series = all_series()
    return render_template(
        "lectures/series_list.html",
        series=series,
        manageable={s.id for s in series if access.can_manage_series(current_user, s)},
        readable={s.id for s in series if access.can_read_series_results(current_user, s)},
        can_create=bool(access.managed_unit_ids(current_user)),
    )


def _unit_choices():
    managed = access.managed_unit_ids(current_user)
    return [(u.id, u.name) for u in org.all_units() if u.id in managed]


def _series_form_page(form, series):
    error = None
    if form.validate_on_submit():
        data = SeriesData(
            name=form.name.data,
            series_type=form.series_type.data,
            owner_unit_id=form.owner_unit_id.data,
            description=form.description.data or "",
            default_hours=form.default_hours.data,
            default_minutes=form.default_minutes.data,
            default_place=form.default_place.data or "",
        )
        try:
            saved = save_series(current_user, series, data)
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            flash("讲堂系列已保存。", "success")
            return redirect(url_for("lectures.series_detail", series_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "lectures/series_form.html", form=form, series=series, error=error
    ), status


@bp.route("/series/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def new_series():
    form = SeriesForm()
    form.owner_unit_id.choices = _unit_choices()
    if not form.owner_unit_id.choices:
        abort(403)
    return _series_form_page(form, None)


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def edit_series(series_id: int):
    series = managed_series(series_id)
    form = SeriesForm(obj=series)
    form.owner_unit_id.choices = _unit_choices()
    return _series_form_page(form, series)


@bp.get("/series/<int:series_id>")
def series_detail(series_id: int):
    series = get_series(series_id)
    sessions = series_sessions(series)
    now = utcnow()
    return render_template(
        "lectures/series_detail.html",
        series=series,
        upcoming=[s for s in sessions if s.ends_at > now],
        past=list(reversed([s for s in sessions if s.ends_at <= now])),
        rotas=series_rotas(series),
        can_manage=access.can_manage_series(current_user, series),
        can_read_results=access.can_read_series_results(current_user, series),
    )


def _month_day(value) -> str:
    local = to_local(value)
    return f"{local.month}月{local.day}日"


@bp.get("/series/<int:series_id>/results")
@roles_required(Role.LEADER, Role.TRAINER, Role.ADMIN)
def series_results_page(series_id: int):
    series = get_series(series_id)
    results = series_results(current_user, series)
    bars = [
        (_month_day(s.starts_at), float(r.averages["overall"]))
        for s, r in results.rows
        if r.visible
    ]
    chart = bar_chart(f"{series.name}各期综合评分", bars) if bars else None
    return render_template(
        "lectures/series_results.html",
        series=series,
        results=results,
        dimensions=DIMENSIONS,
        chart=chart,
    )


@bp.route("/series/<int:series_id>/generate", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def generate(series_id: int):
    series = managed_series(series_id)
    form = GenerateForm()
    if not form.is_submitted():
        form.duration_minutes.data = series.default_minutes
        form.hours.data = series.default_hours
        form.place.data = series.default_place
    error = None
    if form.validate_on_submit():
        rule = Recurrence(
            Frequency(form.frequency.data),
            form.weekday.data,
            form.ordinal.data,
            form.month_in_quarter.data,
        )
        gen = Generation(
            title=form.title.data,
            first_day=form.first_day.data,
            count=form.count.data,
            until=form.until.data,
            at=form.at.data,
            duration_minutes=form.duration_minutes.data,
            hours=form.hours.data,
            place=form.place.data or "",
            registration_days=form.registration_days.data,
        )
        try:
            created = generate_sessions(current_user, series, rule, gen)
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            flash(f"已按“{rule.describe()}”生成 {len(created)} 场讲座。", "success")
            return redirect(url_for("lectures.series_detail", series_id=series.id))
    status = 400 if form.is_submitted() else 200
    return render_template("lectures/generate.html", form=form, series=series, error=error), status
