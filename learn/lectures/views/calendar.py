"""The calendar: upcoming list, month grid, .ics downloads and the personal feed."""

from datetime import datetime, time, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learn.accounts.permissions import public
from learn.core.db import utcnow
from learn.core.timefmt import LOCAL_TZ, local_today, to_local
from learn.extensions import db, limiter
from learn.lectures import access, ical
from learn.lectures.models import SeriesType
from learn.lectures.months import Month, by_day
from learn.lectures.rotas import my_teaching
from learn.lectures.sessions import (
    concerning,
    get_session,
    registered_session_ids,
    sessions_between,
)
from learn.lectures.views import bp

LIST_DAYS = 180


def _scope() -> str:
    return "all" if request.args.get("scope") == "all" else "mine"


def _type_filter() -> str:
    wanted = request.args.get("type", "")
    return wanted if wanted in {t.value for t in SeriesType} else ""


def _filtered(sessions):
    wanted = _type_filter()
    if wanted:
        sessions = [s for s in sessions if s.series.series_type == wanted]
    if _scope() == "mine":
        sessions = concerning(current_user, sessions)
    return sessions


def _months(sessions) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for session in sessions:
        local = to_local(session.starts_at)
        groups.setdefault(f"{local.year}年{local.month}月", []).append(session)
    return list(groups.items())


@bp.get("/")
def index():
    today = datetime.combine(local_today(), time(), LOCAL_TZ)
    sessions = _filtered(sessions_between(today, today + timedelta(days=LIST_DAYS)))
    return render_template(
        "lectures/index.html",
        groups=_months(sessions),
        registered=registered_session_ids(current_user.id),
        scope=_scope(),
        type_filter=_type_filter(),
        types=list(SeriesType),
        teaching=my_teaching(current_user),
        can_create=bool(access.managed_unit_ids(current_user)),
        now=utcnow(),
    )


@bp.get("/calendar")
def month():
    shown = Month.parse(request.args.get("month"), local_today())
    start, end = shown.bounds()
    sessions = _filtered(sessions_between(start, end))
    return render_template(
        "lectures/month.html",
        shown=shown,
        weeks=shown.weeks(),
        days=by_day(sessions),
        sessions=sessions,
        registered=registered_session_ids(current_user.id),
        scope=_scope(),
        type_filter=_type_filter(),
        types=list(SeriesType),
        today=local_today(),
    )


def _session_url(session) -> str:
    return url_for("lectures.session_detail", session_id=session.id, _external=True)


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/sessions/<int:session_id>.ics")
def session_ics(session_id: int):
    session = get_session(session_id)
    body = ical.calendar_bytes([session], session.series.name, _session_url)
    return _ics_response(body, f"lecture-{session.id}.ics")


@bp.get("/calendar/feed/<token>.ics")
@public
@limiter.limit("60 per minute")
def feed(token: str):
    """A personal feed for calendar programs: the secret token is the credential."""
    user = ical.user_for_feed_token(token)
    if user is None:
        abort(404)
    body = ical.calendar_bytes(ical.feed_sessions(user), f"{user.name}的讲堂日程", _session_url)
    return _ics_response(body, "lectures.ics")


@bp.get("/calendar/subscribe")
def subscribe():
    return render_template(
        "lectures/subscribe.html", has_feed=ical.feed_exists(current_user), feed_url=None
    )


@bp.post("/calendar/subscribe")
def create_feed():
    token = ical.new_feed_token(current_user)
    db.session.commit()
    return render_template(
        "lectures/subscribe.html",
        has_feed=True,
        feed_url=url_for("lectures.feed", token=token, _external=True),
    )


@bp.post("/calendar/subscribe/revoke")
def revoke_feed():
    ical.revoke_feed(current_user)
    db.session.commit()
    flash("订阅地址已作废，日历软件将无法再获取您的讲堂日程。", "success")
    return redirect(url_for("lectures.subscribe"))
