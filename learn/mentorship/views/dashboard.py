"""The trainers' programme dashboard and its exports."""

from flask import Response, abort, render_template, request
from flask_login import current_user

from learn.audit import record_event
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.mentorship import access, exports
from learn.mentorship.services import dashboard
from learn.mentorship.services.health import HealthLevel
from learn.mentorship.states import PairingState
from learn.mentorship.views.base import bp
from learn.org import services as org

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered():
    if not access.is_trainer(current_user):
        abort(403)
    state = request.args.get("state", "")
    health = request.args.get("health", "")
    unit_id = request.args.get("unit", type=int)
    state = state if state in set(PairingState) else ""
    health = health if health in set(HealthLevel) else ""
    scope = access.trainer_unit_ids(current_user)
    units = [u for u in org.all_units() if scope is None or u.id in scope]
    if unit_id not in {u.id for u in units}:
        unit_id = None
    board = dashboard.build(current_user, local_today(), state, health, unit_id)
    return board, {"state": state, "health": health, "unit": unit_id}, units


@bp.get("/dashboard")
def programme():
    board, filters, units = _filtered()
    return render_template(
        "mentorship/dashboard.html",
        board=board,
        filters=filters,
        export_args={k: v for k, v in filters.items() if v},
        units=units,
        states=list(PairingState),
        levels=list(HealthLevel),
        today=local_today(),
    )


@bp.get("/dashboard.<any(xlsx, csv):fmt>")
def export(fmt: str):
    board, _filters, _units = _filtered()
    name = f"mentorship-{local_today():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        body, mimetype = exports.to_xlsx(board.rows), XLSX
    else:
        body, mimetype = exports.to_csv(board.rows), "text/csv; charset=utf-8"
    record_event("mentorship_exported", current_user, target_type="mentorship", detail=name)
    db.session.commit()
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )
