"""``GET /api/v1/cases/search``: the case search as JSON (session or bearer token).

Every parameter is validated; anything the API does not understand is a 400
with a Chinese ``{"error": "…"}`` (see docs/api.md).
"""

from flask import Blueprint, jsonify, request
from flask_login import current_user

from learn.extensions import db
from learn.search.params import parse_params
from learn.search.services import record_search, search_cases

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")


def hit_json(hit) -> dict:
    return {
        "id": hit.id,
        "title": hit.title,
        "year": hit.year,
        "categories": list(hit.categories),
        "form": hit.form,
        "subject_level": hit.subject_level,
        "domains": list(hit.domains),
        "score": hit.score,
        "highlights": [str(h) for h in hit.highlights],
    }


@bp.get("/cases/search")
def search():
    params, _problems = parse_params(request.args, strict=True)
    outcome = search_cases(current_user, params)
    record_search(current_user, params, outcome, via="API")
    db.session.commit()
    facets = {
        name: {str(value): count for value, count in counts.items()}
        for name, counts in outcome.facets.items()
    }
    return jsonify(
        total=outcome.total,
        page=params.page,
        per_page=params.per_page,
        results=[hit_json(h) for h in outcome.hits],
        facets=facets,
        expanded_terms=list(outcome.expanded_terms),
        notices=list(outcome.notices),
    )
