"""The mentorship blueprint and what its views share: loading a pairing the user may
see, and running a service call that either commits or flashes its error."""

from flask import Blueprint, flash, redirect
from flask_login import current_user

from learn.core.timefmt import local_today
from learn.errors import LearnError, NotFound, PermissionDenied
from learn.extensions import db
from learn.mentorship import access
from learn.mentorship.services import pairings
from learn.mentorship.services.health import pairing_health

bp = Blueprint("mentorship", __name__, url_prefix="/mentorship")


def load_pairing(pairing_id: int):
    """The pairing, or 404 when it does not exist or the user may not see it."""
    return pairings.visible_pairing(current_user, pairing_id)


def pairing_context(pairing) -> dict:
    """What the pairing header and tabs need."""
    today = local_today()
    return {
        "pairing": pairing,
        "state": pairing.state_on(today),
        "health": pairing_health(pairing, today),
        "today": today,
        "is_mentor": current_user.id == pairing.mentor_id,
        "is_mentee": current_user.id == pairing.mentee_id,
        "is_owner": access.is_programme_owner(current_user, pairing),
    }


def run(action, success: str, target: str):
    """Call ``action``; commit and flash ``success``, or roll back and flash its error.

    Refusals (not found, no permission) are not flashed: they become 404/403.
    """
    try:
        action()
    except (NotFound, PermissionDenied):
        db.session.rollback()
        raise
    except LearnError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(target)


def attempt(action, form) -> bool:
    """Call ``action`` for a validated form; commit on success, else put its error on the form."""
    try:
        action()
    except (NotFound, PermissionDenied):
        db.session.rollback()
        raise
    except LearnError as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return False
    db.session.commit()
    return True
