"""The meeting log of a pair: list, log (mentor), confirm (mentee)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from learn.mentorship import access
from learn.mentorship.forms import MeetingForm
from learn.mentorship.services import meetings
from learn.mentorship.views.base import attempt, bp, load_pairing, pairing_context, run


@bp.get("/pairings/<int:pairing_id>/meetings")
def meeting_log(pairing_id: int):
    pairing = load_pairing(pairing_id)
    return render_template("mentorship/meetings.html", **pairing_context(pairing))


@bp.route("/pairings/<int:pairing_id>/meetings/new", methods=["GET", "POST"])
def new_meeting(pairing_id: int):
    pairing = load_pairing(pairing_id)
    access.require_mentor(current_user, pairing)
    form = MeetingForm()
    if form.validate_on_submit() and attempt(
        lambda: meetings.log_meeting(
            current_user,
            pairing,
            held_on=form.held_on.data,
            meeting_type=form.meeting_type.data,
            topic=form.topic.data,
            notes=form.notes.data or "",
            follow_ups=form.follow_ups.data or "",
        ),
        form,
    ):
        flash("见面记录已保存，已请学员确认。", "success")
        return redirect(url_for("mentorship.meeting_log", pairing_id=pairing.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "mentorship/meeting_form.html", **pairing_context(pairing), form=form
    ), status


@bp.post("/pairings/<int:pairing_id>/meetings/<int:meeting_id>/confirm")
def confirm_meeting(pairing_id: int, meeting_id: int):
    pairing = load_pairing(pairing_id)
    meeting = meetings.get_meeting(pairing, meeting_id)
    return run(
        lambda: meetings.confirm_meeting(current_user, meeting),
        "已确认这次见面。",
        url_for("mentorship.meeting_log", pairing_id=pairing.id) + f"#meeting-{meeting.id}",
    )
