"""Session pages: create/edit/cancel, the session page, registration, topic, my teaching."""

from datetime import time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learn.accounts import Category, Role, roles_required
from learn.core.db import utcnow
from learn.core.timefmt import local_today, to_local
from learn.errors import LearnError
from learn.extensions import db
from learn.lectures import access
from learn.lectures.attendance import attendance_of, checkin_open, credited_hours
from learn.lectures.feedback import feedback_blocker, has_given
from learn.lectures.forms import CheckinForm, MaterialForm, NoteForm, SessionForm, TopicForm
from learn.lectures.materials import can_read, session_materials
from learn.lectures.models import Audience
from learn.lectures.registration import cancel_registration, register, registration_state
from learn.lectures.rotas import my_teaching
from learn.lectures.sessions import (
    SessionData,
    cancel_session,
    create_session,
    get_session,
    local_datetime,
    resolve_speakers,
    submit_topic,
    update_session,
)
from learn.lectures.views import bp
from learn.lectures.views.common import managed_series, managed_session
from learn.org import services as org


def _prepare(form: SessionForm) -> None:
    form.unit_ids.choices = [(u.id, u.name) for u in org.all_units()]


def _fill_from_session(form: SessionForm, session) -> None:
    local = to_local(session.starts_at)
    form.day.data, form.at.data = local.date(), local.time()
    form.speaker_users.data = "\n".join(s.user.username for s in session.speakers if s.user)
    form.speaker_guests.data = "\n".join(
        f"{s.guest_name}｜{s.guest_title}" if s.guest_title else s.guest_name
        for s in session.speakers
        if not s.user
    )
    form.unit_ids.data = [u.id for u in session.audience_units]
    form.categories.data = session.category_list
    for name, value in (
        ("opens", session.registration_opens_at),
        ("closes", session.registration_closes_at),
    ):
        if value:
            local = to_local(value)
            getattr(form, f"{name}_day").data = local.date()
            getattr(form, f"{name}_at").data = local.time()


def _session_data(form: SessionForm) -> SessionData:
    opens = closes = None
    if form.opens_day.data:
        opens = local_datetime(form.opens_day.data, form.opens_at.data or time(0, 0))
    if form.closes_day.data:
        closes = local_datetime(form.closes_day.data, form.closes_at.data or form.at.data)
    return SessionData(
        title=form.title.data,
        abstract=form.abstract.data or "",
        starts_at=local_datetime(form.day.data, form.at.data),
        duration_minutes=form.duration_minutes.data,
        hours=form.hours.data,
        place=form.place.data or "",
        online_url=form.online_url.data or "",
        capacity=form.capacity.data,
        registration_opens_at=opens,
        registration_closes_at=closes,
        audience=form.audience.data,
        unit_ids=set(form.unit_ids.data or []),
        categories=list(form.categories.data or []),
        speakers=resolve_speakers(form.speaker_users.data, form.speaker_guests.data),
    )


def _form_page(form, series, session, save):
    error = None
    if form.validate_on_submit():
        try:
            saved = save(_session_data(form))
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            flash("讲座已保存。", "success")
            return redirect(url_for("lectures.session_detail", session_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return (
        render_template(
            "lectures/session_form.html",
            form=form,
            series=series,
            session=session,
            error=error,
            audiences=Audience,
            categories=list(Category),
        ),
        status,
    )


@bp.route("/series/<int:series_id>/sessions/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def new_session(series_id: int):
    series = managed_series(series_id)
    form = SessionForm()
    _prepare(form)
    if not form.is_submitted():
        form.day.data = local_today() + timedelta(days=7)
        form.at.data = None
        form.duration_minutes.data = series.default_minutes
        form.hours.data = series.default_hours
        form.place.data = series.default_place
    return _form_page(form, series, None, lambda data: create_session(current_user, series, data))


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def edit_session(session_id: int):
    session = managed_session(session_id)
    form = SessionForm(obj=session)
    _prepare(form)
    if not form.is_submitted():
        _fill_from_session(form, session)
    return _form_page(
        form, session.series, session, lambda data: update_session(current_user, session, data)
    )


@bp.post("/sessions/<int:session_id>/cancel")
@roles_required(Role.TRAINER, Role.ADMIN)
def cancel(session_id: int):
    session = managed_session(session_id)
    cancel_session(current_user, session)
    db.session.commit()
    flash("讲座已取消，已报名的学员会收到通知。", "success")
    return redirect(url_for("lectures.session_detail", session_id=session.id))


@bp.get("/sessions/<int:session_id>")
def session_detail(session_id: int):
    session = get_session(session_id)
    now = utcnow()
    user = current_user
    materials = session_materials(session)
    can_edit = access.can_edit_materials(user, session)
    attendance = attendance_of(user.id, session)
    return render_template(
        "lectures/session_detail.html",
        session=session,
        now=now,
        state=registration_state(user, session, now),
        attendance=attendance,
        credited=credited_hours(user.id, session),
        checkin_open=checkin_open(session, now),
        checkin_form=CheckinForm(formdata=None),
        materials=[m for m in materials if can_read(user, m, session)],
        hidden_materials=sum(1 for m in materials if not can_read(user, m, session)),
        can_manage=access.can_manage_session(user, session),
        can_edit_materials=can_edit,
        is_speaker=access.is_speaker(user, session),
        can_read_results=access.can_read_session_results(user, session),
        feedback_reason=feedback_blocker(user, session, now),
        gave_feedback=has_given(user.id, session),
        material_form=MaterialForm(formdata=None) if can_edit else None,
        note_form=NoteForm(formdata=None) if can_edit else None,
        audience=access.audience_text(session),
    )


@bp.post("/sessions/<int:session_id>/register")
def register_for(session_id: int):
    session = get_session(session_id)
    register(current_user, session)
    db.session.commit()
    flash("报名成功。开讲前一天会提醒您。", "success")
    return redirect(url_for("lectures.session_detail", session_id=session.id))


@bp.post("/sessions/<int:session_id>/unregister")
def unregister(session_id: int):
    session = get_session(session_id)
    cancel_registration(current_user, session)
    db.session.commit()
    flash("已取消报名。", "info")
    return redirect(url_for("lectures.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/topic", methods=["GET", "POST"])
def topic(session_id: int):
    session = get_session(session_id)
    if not access.can_edit_materials(current_user, session):
        abort(403)
    form = TopicForm(obj=session)
    if not form.is_submitted() and not session.topic_confirmed:
        form.title.data = ""
    error = None
    if form.validate_on_submit():
        try:
            submit_topic(current_user, session, form.title.data, form.abstract.data or "")
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            flash("选题已提交。", "success")
            return redirect(url_for("lectures.session_detail", session_id=session.id))
    status = 400 if form.is_submitted() else 200
    return render_template("lectures/topic.html", form=form, session=session, error=error), status


@bp.get("/teaching")
def teaching():
    return render_template("lectures/teaching.html", items=my_teaching(current_user))


@bp.get("/sessions/<int:session_id>/checkin")
def checkin_page(session_id: int):
    """Where the QR code leads: the code is filled in, the cadre confirms with a POST."""
    session = get_session(session_id)
    form = CheckinForm(formdata=None)
    form.code.data = request.args.get("code", "")[:6]
    return render_template(
        "lectures/checkin.html",
        session=session,
        form=form,
        open=checkin_open(session, utcnow()),
        credited=credited_hours(current_user.id, session),
        via="qr" if form.code.data else "code",
    )
