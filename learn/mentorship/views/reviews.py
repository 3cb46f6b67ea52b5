"""期满考核 pages: self-assessment (mentee), rating and conclusion (mentor), confirmation
(trainer), and the printable record."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from learn.mentorship import access
from learn.mentorship.forms import NoteForm, mentor_review_form, self_review_form
from learn.mentorship.models import Grade
from learn.mentorship.services import reviews
from learn.mentorship.views.base import attempt, bp, load_pairing, pairing_context


def _page(pairing, status=200, self_form=None, mentor_form=None, confirm_form=None):
    return render_template(
        "mentorship/review.html",
        **pairing_context(pairing),
        review=pairing.review,
        self_form=self_form or self_review_form(pairing.goals, pairing.review),
        mentor_form=mentor_form or mentor_review_form(pairing.goals, pairing.review),
        confirm_form=confirm_form or NoteForm(formdata=None),
        grades=list(Grade),
    ), status


@bp.get("/pairings/<int:pairing_id>/review")
def review(pairing_id: int):
    return _page(load_pairing(pairing_id))


@bp.post("/pairings/<int:pairing_id>/review/self")
def self_review(pairing_id: int):
    pairing = load_pairing(pairing_id)
    access.require_mentee(current_user, pairing)
    form = self_review_form(pairing.goals)
    per_goal = {g.id: form[f"goal_{g.id}"].data or "" for g in pairing.goals}
    if form.validate() and attempt(
        lambda: reviews.submit_self_assessment(current_user, pairing, per_goal, form.summary.data),
        form,
    ):
        flash("自评已提交，已通知导师评价。", "success")
        return redirect(url_for("mentorship.review", pairing_id=pairing.id))
    return _page(pairing, 400, self_form=form)


@bp.post("/pairings/<int:pairing_id>/review/mentor")
def mentor_review(pairing_id: int):
    pairing = load_pairing(pairing_id)
    access.require_mentor(current_user, pairing)
    form = mentor_review_form(pairing.goals)
    ratings = {
        g.id: (form[f"rating_{g.id}"].data or "", form[f"comment_{g.id}"].data or "")
        for g in pairing.goals
    }
    if form.validate() and attempt(
        lambda: reviews.submit_mentor_review(
            current_user, pairing, ratings, form.conclusion.data, form.grade.data
        ),
        form,
    ):
        flash("评价和考核结论已提交，等待培训管理员确认。", "success")
        return redirect(url_for("mentorship.review", pairing_id=pairing.id))
    return _page(pairing, 400, mentor_form=form)


@bp.post("/pairings/<int:pairing_id>/review/confirm")
def confirm_review(pairing_id: int):
    pairing = load_pairing(pairing_id)
    access.require_owner(current_user, pairing)
    form = NoteForm()
    if form.validate() and attempt(
        lambda: reviews.confirm_review(current_user, pairing, form.note.data or ""), form
    ):
        flash("期满考核已确认，帮带关系已结业。", "success")
        return redirect(url_for("mentorship.review", pairing_id=pairing.id))
    return _page(pairing, 400, confirm_form=form)


@bp.get("/pairings/<int:pairing_id>/review/print")
def review_print(pairing_id: int):
    pairing = load_pairing(pairing_id)
    return render_template(
        "mentorship/review_print.html", **pairing_context(pairing), review=pairing.review
    )
