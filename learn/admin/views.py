"""Admin pages; the whole blueprint is refused (403) to anyone but 系统管理员."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from learn.accounts import Category, Role, User
from learn.accounts import services as accounts
from learn.admin.forms import AuditFilterForm, ResetPasswordForm, UnitForm, UserForm
from learn.audit.models import ACTION_LABELS
from learn.audit.services import audit_query
from learn.core.pagination import paginate
from learn.errors import LearnError
from learn.extensions import db
from learn.org import services as org

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admin_only():
    if not current_user.is_authenticated or not current_user.has_role(Role.ADMIN):
        abort(403)


def _unit_choices(empty_label: str, units=None):
    depths = org.unit_depths()
    units = org.all_units() if units is None else units
    return [(0, empty_label)] + [(u.id, "　" * depths.get(u.id, 0) + u.name) for u in units]


def _prepare_user_form(form: UserForm) -> None:
    form.unit_id.choices = _unit_choices("（未分配）")
    form.linked_units.choices = [(u.id, u.name) for u in org.all_units() if not u.is_cluster]


def _user_data(form: UserForm, username: str) -> accounts.UserData:
    return accounts.UserData(
        username=username,
        name=form.name.data.strip(),
        unit_id=form.unit_id.data or None,
        position=(form.position.data or "").strip(),
        rank_band=form.rank_band.data,
        birth_year=form.birth_year.data,
        joined_on=form.joined_on.data,
        roles={Role(r) for r in form.roles.data},
        categories={Category(c) for c in form.categories.data},
    )


@bp.get("/")
def index():
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users():
    q = request.args.get("q", "").strip()[:40]
    unit_id = request.args.get("unit", type=int)
    stmt = select(User).order_by(User.username)
    if q:
        stmt = stmt.where(or_(User.username.contains(q), User.name.contains(q)))
    if unit_id:
        stmt = stmt.where(User.unit_id == unit_id)
    page = paginate(db.session, stmt, request.args.get("page", 1, type=int))
    return render_template(
        "admin/users.html", page=page, q=q, unit_id=unit_id, units=org.all_units()
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    _prepare_user_form(form)
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append("新建用户须设置初始密码。")
        else:
            try:
                user = accounts.create_user(
                    current_user,
                    _user_data(form, form.username.data.strip()),
                    form.password.data,
                    must_change=True,
                )
                if user.has_role(Role.LEADER):
                    org.set_leader_links(current_user, user, set(form.linked_units.data))
            except LearnError as exc:
                db.session.rollback()
                flash(exc.message, "error")
            else:
                db.session.commit()
                flash(f"已创建用户 {user.name}（{user.username}）。", "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = accounts.get_user(user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _prepare_user_form(form)
    if request.method == "GET":
        form.unit_id.data = user.unit_id or 0
        form.roles.data = [r.value for r in user.roles if r != Role.LEARNER]
        form.categories.data = [c.value for c in user.manual_categories]
        form.linked_units.data = sorted(org.linked_unit_ids(user.id))
    form.username.data = user.username
    if request.method == "POST" and form.validate():
        try:
            if user.id == current_user.id and Role.ADMIN.value not in form.roles.data:
                raise LearnError("不能移除自己的系统管理员角色，以免无人可管理系统。")
            accounts.update_user(
                current_user, user, _user_data(form, user.username), form.active.data
            )
            links = set(form.linked_units.data) if user.has_role(Role.LEADER) else set()
            org.set_leader_links(current_user, user, links)
        except LearnError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("已保存。", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/user_form.html", form=form, user=user, reset_form=ResetPasswordForm()
    )


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    user = accounts.get_user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(current_user, user, form.password.data)
        except LearnError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("临时密码已设置，用户下次登录时须修改。", "success")
    else:
        flash("请填写临时密码。", "error")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/unlock")
def unlock_user(user_id: int):
    accounts.unlock_user(current_user, accounts.get_user(user_id))
    db.session.commit()
    flash("已解除锁定。", "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.get("/units")
def units():
    return render_template("admin/units.html", units=org.all_units(), depths=org.unit_depths())


def _prepare_unit_form(form: UnitForm, unit=None) -> None:
    others = [u for u in org.all_units() if unit is None or u.id != unit.id]
    form.parent_id.choices = _unit_choices(
        "（无，顶级单位）", [u for u in others if not u.is_cluster]
    )
    form.cluster_id.choices = [(0, "（不属于片区）")] + [
        (u.id, u.name) for u in others if u.is_cluster
    ]


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def edit_unit(unit_id: int | None = None):
    unit = org.get_unit(unit_id) if unit_id else None
    form = UnitForm(obj=unit)
    _prepare_unit_form(form, unit)
    if request.method == "GET" and unit:
        form.parent_id.data = unit.parent_id or 0
        form.cluster_id.data = unit.cluster_id or 0
    if form.validate_on_submit():
        try:
            org.save_unit(
                current_user,
                unit,
                name=form.name.data,
                unit_type=form.unit_type.data,
                parent_id=form.parent_id.data or None,
                cluster_id=form.cluster_id.data or None,
                sort_order=form.sort_order.data or 0,
            )
        except LearnError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("单位已保存。", "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@bp.get("/audit")
def audit():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", "全部"), *ACTION_LABELS.items()]
    filters = {}
    if form.validate():
        filters = {
            "username": (form.username.data or "").strip(),
            "action": form.action.data or "",
            "target_type": (form.target_type.data or "").strip(),
            "target_id": (form.target_id.data or "").strip(),
            "date_from": form.date_from.data,
            "date_to": form.date_to.data,
        }
    page = paginate(db.session, audit_query(**filters), request.args.get("page", 1, type=int), 50)
    return render_template("admin/audit.html", form=form, page=page)
