"""Template slots: a page names a slot, other domains fill it, neither imports the other.

A case page renders ``render_slot("case_aside", case=case)``; the search domain
registers a builder there that shows related cases. A builder is
``build(**kwargs) -> (template, context) | None``.
"""

from flask import current_app, render_template
from markupsafe import Markup


def register_slot(app, name: str, build) -> None:
    """Add a builder to the slot ``name`` of ``app``."""
    app.extensions.setdefault("learn_slots", {}).setdefault(name, []).append(build)


def render_slot(name: str, **kwargs) -> Markup:
    """Render every contribution to slot ``name`` (a Jinja global)."""
    parts = []
    for build in current_app.extensions.get("learn_slots", {}).get(name, []):
        built = build(**kwargs)
        if built is not None:
            template, context = built
            parts.append(render_template(template, **context))
    return Markup("".join(parts))
