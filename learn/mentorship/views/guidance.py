"""挂联指导 pages: a leader's linked units, each unit's training picture, guidance visits."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from learn.accounts import Role, roles_required
from learn.core.timefmt import local_today
from learn.mentorship import access
from learn.mentorship.forms import VisitForm
from learn.mentorship.services import guidance
from learn.mentorship.services.health import HealthLevel
from learn.mentorship.views.base import attempt, run
from learn.org import services as org

bp = Blueprint("guidance", __name__, url_prefix="/guidance")


@bp.get("/")
@roles_required(Role.LEADER)
def index():
    today = local_today()
    pictures = [guidance.unit_picture(u, today) for u in org.linked_units(current_user.id)]
    return render_template(
        "mentorship/guidance/index.html", pictures=pictures, levels=list(HealthLevel), today=today
    )


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(Role.LEADER)
def unit(unit_id: int):
    unit = access.require_linked_unit(current_user, unit_id)
    form = VisitForm()
    if form.validate_on_submit() and attempt(
        lambda: guidance.log_visit(
            current_user,
            unit,
            visited_on=form.visited_on.data,
            kind=form.kind.data,
            topic=form.topic.data,
            notes=form.notes.data or "",
        ),
        form,
    ):
        flash("指导记录已保存。", "success")
        return redirect(url_for("guidance.unit", unit_id=unit.id) + "#visits")
    status = 400 if form.is_submitted() else 200
    today = local_today()
    return render_template(
        "mentorship/guidance/unit.html",
        picture=guidance.unit_picture(unit, today),
        form=form,
        levels=list(HealthLevel),
        today=today,
    ), status


@bp.post("/units/<int:unit_id>/visits/<int:visit_id>/delete")
@roles_required(Role.LEADER)
def delete_visit(unit_id: int, visit_id: int):
    unit = access.require_linked_unit(current_user, unit_id)
    return run(
        lambda: guidance.delete_visit(current_user, unit, visit_id),
        "指导记录已删除。",
        url_for("guidance.unit", unit_id=unit.id) + "#visits",
    )
