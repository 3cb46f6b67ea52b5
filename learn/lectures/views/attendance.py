"""Check-in (code and QR), the projector page and the hand-marked attendance list."""

import io

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from learn.accounts import Role, User, roles_required
from learn.accounts import services as accounts
from learn.core.db import utcnow
from learn.errors import LearnError
from learn.extensions import db, limiter
from learn.lectures.attendance import (
    attendance_list,
    check_in,
    checkin_open,
    complete_session,
    mark_attendance,
    projector_code,
)
from learn.lectures.forms import AddAttendeeForm, CheckinForm
from learn.lectures.models import AttendanceStatus, CheckinMethod
from learn.lectures.sessions import get_session
from learn.lectures.views import bp
from learn.lectures.views.common import checkin_rate_key, lecture_hours, managed_session


@bp.post("/sessions/<int:session_id>/checkin")
@limiter.limit("12 per minute", key_func=checkin_rate_key)
def checkin(session_id: int):
    session = get_session(session_id)
    form = CheckinForm()
    error = None
    if form.validate_on_submit():
        method = CheckinMethod.QR if request.form.get("via") == "qr" else CheckinMethod.CODE
        try:
            result = check_in(current_user, session, form.code.data, method)
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            if result.already:
                flash("您已签到过，学时不会重复计入。", "info")
            else:
                flash(f"签到成功，已计入 {lecture_hours(session.hours)} 学时。", "success")
            return redirect(url_for("lectures.session_detail", session_id=session.id))
    return render_template(
        "lectures/checkin.html",
        session=session,
        form=form,
        open=checkin_open(session, utcnow()),
        credited=None,
        error=error,
        via="qr" if request.form.get("via") == "qr" else "code",
    ), 400


def _checkin_url(session, code: str) -> str:
    return url_for("lectures.checkin_page", session_id=session.id, code=code, _external=True)


@bp.get("/sessions/<int:session_id>/projector")
@roles_required(Role.TRAINER, Role.ADMIN)
def projector(session_id: int):
    session = managed_session(session_id)
    try:
        code, remaining = projector_code(current_user, session)
    except LearnError as exc:
        return render_template("lectures/projector.html", session=session, error=exc.message)
    return render_template(
        "lectures/projector.html",
        session=session,
        code=code,
        remaining=remaining,
        checkin_url=_checkin_url(session, code),
        error=None,
    )


@bp.get("/sessions/<int:session_id>/checkin-code")
@roles_required(Role.TRAINER, Role.ADMIN)
def checkin_code(session_id: int):
    """The current code as JSON, polled by the projector page."""
    session = managed_session(session_id)
    code, remaining = projector_code(current_user, session)
    response = jsonify(
        code=code,
        remaining=remaining,
        qr=url_for("lectures.checkin_qr", session_id=session.id, kind="svg", code=code),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sessions/<int:session_id>/checkin-qr.svg", defaults={"kind": "svg"})
@bp.get("/sessions/<int:session_id>/checkin-qr.png", defaults={"kind": "png"})
@roles_required(Role.TRAINER, Role.ADMIN)
def checkin_qr(session_id: int, kind: str):
    """A QR code of the check-in link with the current code, drawn locally by segno."""
    session = managed_session(session_id)
    code, _remaining = projector_code(current_user, session)
    import segno  # loaded on first use, not at start-up

    qr = segno.make(_checkin_url(session, code), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", scale=8, border=2, title="签到二维码")
        mimetype = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=10, border=2)
        mimetype = "image/png"
    response = Response(buffer.getvalue(), mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def attendance(session_id: int):
    session = managed_session(session_id)
    error = None
    if request.method == "POST":
        marks = {
            int(key.removeprefix("status-")): value
            for key, value in request.form.items()
            if key.startswith("status-") and key.removeprefix("status-").isdigit() and value
        }
        try:
            changed = mark_attendance(current_user, session, marks)
        except LearnError as exc:
            error = exc.message
        else:
            db.session.commit()
            flash(f"考勤已保存（{changed} 人有变化）。", "success")
            return redirect(url_for("lectures.attendance", session_id=session.id))
    return _attendance_page(session, AddAttendeeForm(formdata=None), error)


def _attendance_page(session, add_form, error, status=200):
    rows = attendance_list(session)
    counts = {
        s: sum(1 for r in rows if r.attendance and r.attendance.status == s)
        for s in AttendanceStatus
    }
    return render_template(
        "lectures/attendance.html",
        session=session,
        rows=rows,
        counts=counts,
        statuses=list(AttendanceStatus),
        add_form=add_form,
        error=error,
        started=session.starts_at <= utcnow(),
    ), (400 if error else status)


def _find_user(who: str) -> User | None:
    user = accounts.get_user_by_username(who.strip())
    if user is None:
        named = list(db.session.scalars(select(User).where(User.name == who.strip()).limit(2)))
        user = named[0] if len(named) == 1 else None
    return user


@bp.post("/sessions/<int:session_id>/attendance/add")
@roles_required(Role.TRAINER, Role.ADMIN)
def add_attendee(session_id: int):
    session = managed_session(session_id)
    form = AddAttendeeForm()
    if not form.validate_on_submit():
        return _attendance_page(session, form, "请填写要登记的人员。")
    user = _find_user(form.who.data)
    if user is None:
        return _attendance_page(
            session, form, f"找不到“{form.who.data}”，请填写用户名或不重名的姓名。"
        )
    try:
        mark_attendance(current_user, session, {user.id: form.status.data})
    except LearnError as exc:
        return _attendance_page(session, form, exc.message)
    db.session.commit()
    flash(f"已登记 {user.name}：{AttendanceStatus(form.status.data).label}。", "success")
    return redirect(url_for("lectures.attendance", session_id=session.id))


@bp.post("/sessions/<int:session_id>/complete")
@roles_required(Role.TRAINER, Role.ADMIN)
def complete(session_id: int):
    session = managed_session(session_id)
    entries = complete_session(current_user, session)
    db.session.commit()
    flash(f"已确认举办；主讲人学时已计入（{len(entries)} 人）。", "success")
    return redirect(url_for("lectures.attendance", session_id=session.id))
