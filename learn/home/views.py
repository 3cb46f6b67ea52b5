"""Home page, notifications and /healthz."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from learn.accounts.permissions import public
from learn.core.pagination import paginate
from learn.extensions import db
from learn.home.panels import panels_for
from learn.notifications import services as notes
from learn.org import services as org

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template(
        "home/index.html",
        panels=panels_for(current_app, current_user),
        linked_units=org.linked_units(current_user.id),
    )


@bp.get("/notifications")
def notifications():
    page = paginate(
        db.session,
        notes.notifications_query(current_user.id),
        request.args.get("page", 1, type=int),
    )
    return render_template("home/notifications.html", page=page)


@bp.post("/notifications/<int:notification_id>/read")
def read_notification(notification_id: int):
    note = notes.mark_read(current_user.id, notification_id)
    db.session.commit()
    target = note.link if note.link.startswith("/") and not note.link.startswith("//") else None
    return redirect(target or url_for("home.notifications"))


@bp.post("/notifications/read-all")
def read_all_notifications():
    notes.mark_all_read(current_user.id)
    db.session.commit()
    return redirect(url_for("home.notifications"))


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy; the monitor wants a status
        current_app.logger.exception("health check failed")
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
