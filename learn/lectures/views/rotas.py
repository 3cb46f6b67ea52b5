"""人人登讲台 rota pages: create, pool, dates, unavailable dates, proposal, swap, publish."""

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from learn.accounts import Role, User, roles_required
from learn.core.timefmt import format_date, local_today
from learn.errors import LearnError
from learn.extensions import db
from learn.lectures import access, rotas
from learn.lectures.forms import (
    RotaForm,
    RotaMembersForm,
    RotaSlotsForm,
    SwapForm,
    UnavailableForm,
)
from learn.lectures.recurrence import Frequency, Recurrence, occurrences
from learn.lectures.rota import NoRotaPossible
from learn.lectures.views import bp
from learn.lectures.views.common import managed_series


def _managed_rota(rota_id: int):
    rota = rotas.get_rota(rota_id)
    if not access.can_manage_series(current_user, rota.series):
        abort(403)
    return rota


def _back(rota):
    return redirect(url_for("lectures.rota_detail", rota_id=rota.id))


@bp.route("/series/<int:series_id>/rotas/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def new_rota(series_id: int):
    series = managed_series(series_id)
    form = RotaForm()
    if not form.is_submitted():
        form.place.data = series.default_place
    error = None
    if form.validate_on_submit():
        try:
            rota = rotas.create_rota(
                current_user,
                series,
                form.name.data,
                form.start_time.data,
                form.duration_minutes.data,
                form.place.data or "",
            )
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            flash("轮值安排已创建。下一步：选定人员、添加日期。", "success")
            return _back(rota)
    status = 400 if form.is_submitted() else 200
    return render_template("lectures/rota_form.html", form=form, series=series, error=error), status


def _candidates(rota) -> list[User]:
    """People a trainer may put in the pool: active users of the units they manage."""
    units = access.managed_unit_ids(current_user)
    users = db.session.scalars(
        select(User)
        .where(User.unit_id.in_(units), User.active.is_(True))
        .order_by(User.unit_id, User.name)
    )
    return list(users)


def _swap_form(rota) -> SwapForm:
    form = SwapForm(formdata=None)
    choices = [
        (s.id, f"{format_date(s.day)} · {s.lecturer.name if s.lecturer else '未安排'}")
        for s in rotas.ordered_slots(rota)
    ]
    form.first.choices = form.second.choices = choices
    return form


@bp.get("/rotas/<int:rota_id>")
def rota_detail(rota_id: int):
    return _detail_page(rotas.get_rota(rota_id))


def _detail_page(rota, reasons=(), status=200):
    can_manage = access.can_manage_series(current_user, rota.series)
    is_member = current_user.id in {m.user_id for m in rota.members}
    unavailable = rotas.unavailable_map(rota)
    members_form = None
    if can_manage:
        members_form = RotaMembersForm(formdata=None)
        members_form.members.choices = [
            (u.id, f"{u.name}（{u.unit.name if u.unit else '未分配单位'}）")
            for u in _candidates(rota)
        ]
        members_form.members.data = [m.user_id for m in rota.members]
    my_dates = None
    if is_member:
        my_dates = UnavailableForm(formdata=None)
        today = local_today()
        my_dates.days.choices = [
            (s.day.isoformat(), format_date(s.day))
            for s in rotas.ordered_slots(rota)
            if s.day >= today
        ]
        my_dates.days.data = [d.isoformat() for d in unavailable.get(current_user.id, set())]
    return render_template(
        "lectures/rota_detail.html",
        rota=rota,
        slots=rotas.ordered_slots(rota),
        overview=rotas.overview(rota),
        problems=rotas.problems(rota),
        unavailable=unavailable if can_manage else {},
        can_manage=can_manage,
        members_form=members_form,
        slots_form=RotaSlotsForm(formdata=None) if can_manage and not rota.is_published else None,
        swap_form=_swap_form(rota) if can_manage else None,
        my_dates=my_dates,
        reasons=reasons,
    ), status


@bp.post("/rotas/<int:rota_id>/members")
@roles_required(Role.TRAINER, Role.ADMIN)
def rota_members(rota_id: int):
    rota = _managed_rota(rota_id)
    form = RotaMembersForm()
    form.members.choices = [(u.id, u.name) for u in _candidates(rota)]
    if not form.validate_on_submit():
        flash("人员选择无效，请重新勾选。", "error")
        return _back(rota)
    rotas.set_members(current_user, rota, set(form.members.data))
    db.session.commit()
    flash(f"轮值名单已保存（{len(form.members.data)} 人）。", "success")
    return _back(rota)


@bp.post("/rotas/<int:rota_id>/members/young")
@roles_required(Role.TRAINER, Role.ADMIN)
def rota_add_young(rota_id: int):
    rota = _managed_rota(rota_id)
    scope = access.unit_scope({rota.series.owner_unit_id}) & access.managed_unit_ids(current_user)
    young = rotas.young_cadres(scope)
    ids = {m.user_id for m in rota.members} | {u.id for u in young}
    rotas.set_members(current_user, rota, ids)
    db.session.commit()
    flash(f"已加入主办单位范围内的全部青年干部，名单共 {len(ids)} 人。", "success")
    return _back(rota)


@bp.post("/rotas/<int:rota_id>/slots")
@roles_required(Role.TRAINER, Role.ADMIN)
def rota_slots(rota_id: int):
    rota = _managed_rota(rota_id)
    form = RotaSlotsForm()
    if not form.validate_on_submit():
        flash(
            "日期设置有误：" + "；".join(e for errs in form.errors.values() for e in errs), "error"
        )
        return _back(rota)
    rule = Recurrence(Frequency(form.frequency.data), form.weekday.data, form.ordinal.data)
    added = rotas.add_slots(
        current_user, rota, occurrences(rule, form.first_day.data, form.count.data)
    )
    db.session.commit()
    flash(f"已添加 {added} 个日期（{rule.describe()}）。", "success")
    return _back(rota)


@bp.post("/rotas/<int:rota_id>/slots/<int:slot_id>/delete")
@roles_required(Role.TRAINER, Role.ADMIN)
def rota_remove_slot(rota_id: int, slot_id: int):
    rota = _managed_rota(rota_id)
    rotas.remove_slot(current_user, rota, slot_id)
    db.session.commit()
    flash("日期已删除。", "success")
    return _back(rota)


def _parse_days(values: list[str]) -> set[date]:
    try:
        return {date.fromisoformat(v) for v in values}
    except ValueError as exc:
        raise LearnError("日期格式无效。") from exc


@bp.post("/rotas/<int:rota_id>/unavailable/<int:user_id>")
def rota_unavailable(rota_id: int, user_id: int):
    rota = rotas.get_rota(rota_id)
    form = UnavailableForm()
    form.days.choices = [(s.day.isoformat(), s.day.isoformat()) for s in rota.slots]
    if not form.validate_on_submit():
        flash("日期选择无效，请重新勾选。", "error")
        return _back(rota)
    rotas.set_unavailable(current_user, rota, user_id, _parse_days(form.days.data))
    db.session.commit()
    flash("不能到场的日期已保存。", "success")
    return _back(rota)


@bp.post("/rotas/<int:rota_id>/propose")
@roles_required(Role.TRAINER, Role.ADMIN)
def rota_propose(rota_id: int):
    rota = _managed_rota(rota_id)
    try:
        proposal = rotas.propose(current_user, rota)
    except NoRotaPossible as exc:
        return _detail_page(rota, exc.reasons, 400)
    db.session.commit()
    note = (
        "相邻两场来自同一单位的情况已降到最少"
        if proposal.same_unit_pairs
        else "相邻两场都来自不同单位"
    )
    flash(f"已生成轮值建议：人人先讲一次再轮第二次，避开了各人不能到场的日期，{note}。", "success")
    return _back(rota)


@bp.post("/rotas/<int:rota_id>/swap")
@roles_required(Role.TRAINER, Role.ADMIN)
def rota_swap(rota_id: int):
    rota = _managed_rota(rota_id)
    form = SwapForm()
    form.first.choices = form.second.choices = [(s.id, str(s.id)) for s in rota.slots]
    if not form.validate_on_submit():
        flash("请选择要调换的两个日期。", "error")
        return _back(rota)
    rotas.swap(current_user, rota, form.first.data, form.second.data)
    db.session.commit()
    flash("已调换。", "success")
    return _back(rota)


@bp.post("/rotas/<int:rota_id>/publish")
@roles_required(Role.TRAINER, Role.ADMIN)
def rota_publish(rota_id: int):
    rota = _managed_rota(rota_id)
    created = rotas.publish(current_user, rota)
    db.session.commit()
    flash(f"轮值表已发布：生成 {len(created)} 场讲座，已通知每位授课人。", "success")
    return _back(rota)
