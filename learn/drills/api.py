"""JSON endpoints of the mock-talk domain (session status for the page script, transcript autosave).

The same access rules as the pages apply: only the facilitator and participants
see a session, and scores stay blind until release.
"""

from flask import Blueprint, jsonify, request
from flask_login import current_user

from learn.drills.access import session_view, visible_assessments
from learn.drills.services import sessions
from learn.errors import LearnError
from learn.extensions import db

bp = Blueprint("drills_api", __name__, url_prefix="/api/v1/drills")


def _iso(value):
    return value.isoformat() if value else None


@bp.get("/sessions/<int:session_id>")
def session_status(session_id: int):
    session = sessions.get_session(current_user, session_id)
    view = session_view(session, current_user)
    facts = sessions.facts(session)
    return jsonify(
        id=session.id,
        card={"id": session.card_id, "title": session.card.title},
        phase=session.phase,
        phase_label=session.phase_enum.label,
        my_role=view.role.value if view.role else None,
        duration_minutes=session.duration,
        talk_started_at=_iso(session.talk_started_at),
        talk_ended_at=_iso(session.talk_ended_at),
        assessors=facts.assessors,
        submitted=facts.submitted,
        released=session.released,
        assessments=[
            {
                "assessor": a.assessor.name,
                "levels": a.levels,
                "checklist": a.checklist,
                "total": str(a.total),
                "comments": a.comments,
            }
            for a in visible_assessments(session, current_user)
        ],
    )


@bp.post("/sessions/<int:session_id>/transcript")
def save_transcript(session_id: int):
    session = sessions.get_session(current_user, session_id, for_update=True)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("transcript"), str):
        raise LearnError('请求须为 JSON：{"transcript": "笔录内容"}。')
    sessions.save_transcript(current_user, session, data["transcript"])
    db.session.commit()
    return jsonify(saved_at=_iso(session.transcript_at))
