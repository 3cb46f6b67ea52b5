"""Pages of 师徒帮带 (blueprint ``mentorship``) and 挂联指导 (blueprint ``guidance``).

Importing the page modules registers their routes on the blueprints.
"""

from learn.mentorship.views import (  # noqa: F401
    agreement,
    dashboard,
    goals,
    growth,
    meetings,
    pairings,
    reviews,
)
from learn.mentorship.views.base import bp
from learn.mentorship.views.guidance import bp as guidance_bp

__all__ = ["bp", "guidance_bp"]
