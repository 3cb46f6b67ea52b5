"""The mentee view: one page that brings a mentee's growth together for the mentor."""

from flask import current_app, render_template

from learn.mentorship.services import growth
from learn.mentorship.views.base import bp, load_pairing, pairing_context


@bp.get("/pairings/<int:pairing_id>/growth")
def growth_view(pairing_id: int):
    pairing = load_pairing(pairing_id)
    context = pairing_context(pairing)
    return render_template(
        "mentorship/growth.html",
        **context,
        sections=growth.sections(current_app, pairing.mentee),
        hours=growth.hours_since(pairing.mentee, pairing.start_on, context["today"]),
    )
