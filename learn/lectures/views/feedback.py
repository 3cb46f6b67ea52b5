"""Giving anonymous feedback and reading a session's aggregated results."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from learn.errors import LearnError
from learn.extensions import db
from learn.lectures.feedback import (
    DIMENSIONS,
    feedback_blocker,
    minimum_count,
    session_results,
    submit_feedback,
)
from learn.lectures.forms import FeedbackForm
from learn.lectures.sessions import get_session
from learn.lectures.views import bp


@bp.route("/sessions/<int:session_id>/feedback", methods=["GET", "POST"])
def feedback(session_id: int):
    session = get_session(session_id)
    form = FeedbackForm()
    reason = feedback_blocker(current_user, session)
    error = None
    if not reason and form.validate_on_submit():
        try:
            submit_feedback(
                current_user,
                session,
                form.content.data,
                form.usefulness.data,
                form.delivery.data,
                form.comment.data or "",
            )
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            flash("感谢您的评价！评价是匿名的，主讲人只能看到汇总结果。", "success")
            return redirect(url_for("lectures.session_detail", session_id=session.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "lectures/feedback.html", session=session, form=form, reason=reason, error=error
    ), status


@bp.get("/sessions/<int:session_id>/results")
def results(session_id: int):
    session = get_session(session_id)
    summary = session_results(current_user, session)
    return render_template(
        "lectures/results.html",
        session=session,
        summary=summary,
        dimensions=DIMENSIONS,
        minimum=minimum_count(),
    )
