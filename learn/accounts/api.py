"""JSON API of the accounts domain, under /api/v1/."""

from flask import Blueprint, jsonify
from flask_login import current_user

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


def user_json(user) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "unit": user.unit.name if user.unit else None,
        "position": user.position,
        "rank_band": user.rank_band,
        "roles": sorted(r.value for r in user.roles),
        "categories": sorted(c.value for c in user.categories),
    }


@bp.get("/me")
def me():
    return jsonify(user_json(current_user))
