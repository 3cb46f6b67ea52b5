"""Pages of the lectures domain: one blueprint, its views split by what they handle."""

from flask import Blueprint

bp = Blueprint("lectures", __name__, url_prefix="/lectures")

from learn.lectures.views.common import (  # noqa: E402
    lecture_day,
    lecture_hours,
    lecture_time,
    lecture_weekday,
)

bp.add_app_template_filter(lecture_day, "lecture_day")
bp.add_app_template_filter(lecture_weekday, "lecture_weekday")
bp.add_app_template_filter(lecture_time, "lecture_time")
bp.add_app_template_filter(lecture_hours, "lecture_hours")

from learn.lectures.views import (  # noqa: E402  (the modules attach their routes to bp)
    attendance,
    calendar,
    feedback,
    materials,
    rotas,
    series,
    sessions,
)

__all__ = [
    "attendance",
    "bp",
    "calendar",
    "feedback",
    "materials",
    "rotas",
    "series",
    "sessions",
]
