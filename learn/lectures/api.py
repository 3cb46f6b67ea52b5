"""JSON API of the lectures domain, under /api/v1/lectures."""

from datetime import datetime, time, timedelta

from flask import Blueprint, jsonify, request
from flask_login import current_user

from learn.core.timefmt import LOCAL_TZ, local_today
from learn.errors import LearnError
from learn.extensions import db, limiter
from learn.lectures.attendance import check_in, credited_hours
from learn.lectures.feedback import session_results
from learn.lectures.registration import cancel_registration, register, registration_state
from learn.lectures.sessions import concerning, get_session, sessions_between
from learn.lectures.views.common import checkin_rate_key

bp = Blueprint("lectures_api", __name__, url_prefix="/api/v1/lectures")

MAX_DAYS = 400


def session_json(session) -> dict:
    return {
        "id": session.id,
        "series": {
            "id": session.series.id,
            "name": session.series.name,
            "type": session.series.series_type,
        },
        "title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "place": session.place,
        "online_url": session.online_url,
        "hours": float(session.hours),
        "speakers": [s.display_name for s in session.speakers],
        "cancelled": session.is_cancelled,
    }


def _day(name: str, default):
    text = request.args.get(name)
    if not text:
        return default
    try:
        return datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise LearnError(f"参数 {name} 须为 YYYY-MM-DD 格式的日期。") from exc


@bp.get("/sessions")
def list_sessions():
    start = _day("from", local_today())
    end = _day("to", start + timedelta(days=90))
    if end < start or (end - start).days > MAX_DAYS:
        raise LearnError(f"日期范围无效：to 须不早于 from，且跨度不超过 {MAX_DAYS} 天。")
    sessions = sessions_between(
        datetime.combine(start, time(), LOCAL_TZ),
        datetime.combine(end + timedelta(days=1), time(), LOCAL_TZ),
    )
    if request.args.get("scope") != "all":
        sessions = concerning(current_user, sessions)
    return jsonify(sessions=[session_json(s) for s in sessions])


@bp.get("/sessions/<int:session_id>")
def session_detail(session_id: int):
    session = get_session(session_id)
    state = registration_state(current_user, session)
    credited = credited_hours(current_user.id, session)
    return jsonify(
        session=session_json(session),
        registration={
            "registered": state.registered,
            "can_register": state.can_register,
            "reason": state.reason,
            "taken": state.taken,
            "capacity": state.capacity,
        },
        credited_hours=float(credited) if credited is not None else None,
    )


@bp.post("/sessions/<int:session_id>/registration")
def register_api(session_id: int):
    register(current_user, get_session(session_id))
    db.session.commit()
    return jsonify(registered=True), 201


@bp.delete("/sessions/<int:session_id>/registration")
def cancel_api(session_id: int):
    cancel_registration(current_user, get_session(session_id))
    db.session.commit()
    return jsonify(registered=False)


@bp.post("/sessions/<int:session_id>/checkin")
@limiter.limit("12 per minute", key_func=checkin_rate_key)
def checkin_api(session_id: int):
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), str):
        raise LearnError('请求体须为 JSON：{"code": "6 位签到码"}。')
    session = get_session(session_id)
    result = check_in(current_user, session, payload["code"])
    db.session.commit()
    return jsonify(already=result.already, credited_hours=float(session.hours))


@bp.get("/sessions/<int:session_id>/results")
def results_api(session_id: int):
    summary = session_results(current_user, get_session(session_id))
    return jsonify(
        state=summary.state,
        count=summary.count,
        averages={k: float(v) for k, v in summary.averages.items()},
        distribution=summary.distribution,
        comments=summary.comments,
    )
