"""Progress sections: each domain contributes a section to the pages that show one cadre's
growth (a mentor's mentee view, a leader's unit picture), without those pages
importing the domain.

A builder is ``build(user) -> ProgressSection | None``; ``context`` is passed to
``template`` as ``section``. ``series`` (optional) feeds the over-time charts:
a list of (date, value) points per named series.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProgressSection:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    series: dict[str, list] = field(default_factory=dict)
    order: int = 100


def register_progress_section(app, build) -> None:
    """Add a section builder to the cadre-progress pages of ``app``."""
    app.extensions.setdefault("learn_progress_sections", []).append(build)


def progress_sections(app, user) -> list[ProgressSection]:
    """Every domain's section for ``user``, in order."""
    built = (build(user) for build in app.extensions.get("learn_progress_sections", []))
    return sorted((s for s in built if s is not None), key=lambda s: s.order)
