"""The 帮带协议 pages: fill in goals, measures and rhythm; sign; print."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from learn.mentorship import access
from learn.mentorship.forms import AgreementForm, GoalForm
from learn.mentorship.models import GoalArea
from learn.mentorship.services import agreements
from learn.mentorship.states import PairingState
from learn.mentorship.views.base import attempt, bp, load_pairing, pairing_context, run


def _page(pairing, terms_form=None, goal_form=None, status=200):
    context = pairing_context(pairing)
    editable = context["state"] == PairingState.PENDING and pairing.has_party(current_user)
    if terms_form is None:
        terms_form = AgreementForm(formdata=None, obj=pairing.agreement)
    return render_template(
        "mentorship/agreement.html",
        **context,
        editable=editable,
        terms_form=terms_form,
        goal_form=goal_form or GoalForm(formdata=None),
        areas=list(GoalArea),
        missing=agreements.missing_for_signature(pairing),
    ), status


@bp.route("/pairings/<int:pairing_id>/agreement", methods=["GET", "POST"])
def agreement(pairing_id: int):
    pairing = load_pairing(pairing_id)
    if request.method == "GET":
        return _page(pairing)
    access.require_party(current_user, pairing)
    form = AgreementForm()
    if form.validate() and attempt(
        lambda: agreements.update_terms(
            current_user, pairing, form.measures.data or "", form.meeting_rhythm.data
        ),
        form,
    ):
        flash("帮带措施和见面频次已保存。", "success")
        return redirect(url_for("mentorship.agreement", pairing_id=pairing.id))
    return _page(pairing, terms_form=form, status=400)


@bp.post("/pairings/<int:pairing_id>/agreement/goals")
def add_goal(pairing_id: int):
    pairing = load_pairing(pairing_id)
    access.require_party(current_user, pairing)
    form = GoalForm()
    if form.validate() and attempt(
        lambda: agreements.save_goal(
            current_user, pairing, None, form.area.data, form.title.data, form.detail.data or ""
        ),
        form,
    ):
        flash("目标已添加。", "success")
        return redirect(url_for("mentorship.agreement", pairing_id=pairing.id) + "#goals")
    return _page(pairing, goal_form=form, status=400)


@bp.route("/pairings/<int:pairing_id>/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(pairing_id: int, goal_id: int):
    pairing = load_pairing(pairing_id)
    agreements.require_draft(current_user, pairing)
    goal = agreements.get_goal(pairing, goal_id)
    form = GoalForm(obj=goal)
    if form.validate_on_submit() and attempt(
        lambda: agreements.save_goal(
            current_user, pairing, goal, form.area.data, form.title.data, form.detail.data or ""
        ),
        form,
    ):
        flash("目标已修改。", "success")
        return redirect(url_for("mentorship.agreement", pairing_id=pairing.id) + "#goals")
    status = 400 if form.is_submitted() else 200
    return render_template(
        "mentorship/goal_form.html", **pairing_context(pairing), goal=goal, form=form
    ), status


@bp.post("/pairings/<int:pairing_id>/goals/<int:goal_id>/delete")
def delete_goal(pairing_id: int, goal_id: int):
    pairing = load_pairing(pairing_id)
    goal = agreements.get_goal(pairing, goal_id)
    return run(
        lambda: agreements.delete_goal(current_user, pairing, goal),
        "目标已删除。",
        url_for("mentorship.agreement", pairing_id=pairing.id) + "#goals",
    )


@bp.post("/pairings/<int:pairing_id>/agreement/sign")
def sign(pairing_id: int):
    pairing = load_pairing(pairing_id)
    return run(
        lambda: agreements.sign(current_user, pairing),
        "您已签订帮带协议。",
        url_for("mentorship.agreement", pairing_id=pairing.id),
    )


@bp.get("/pairings/<int:pairing_id>/agreement/print")
def agreement_print(pairing_id: int):
    pairing = load_pairing(pairing_id)
    return render_template(
        "mentorship/agreement_print.html", **pairing_context(pairing), areas=list(GoalArea)
    )
