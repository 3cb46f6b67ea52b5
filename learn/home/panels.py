"""Home-page panels: each domain registers a function that returns a panel for the user."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    title: str
    template: str  # a partial rendered with ``panel`` in its context
    context: dict = field(default_factory=dict)
    order: int = 100


def register_home_panel(app, build) -> None:
    """Add ``build(user) -> Panel | None`` to the home page of ``app``."""
    app.extensions.setdefault("learn_home_panels", []).append(build)


def panels_for(app, user) -> list[Panel]:
    built = (build(user) for build in app.extensions.get("learn_home_panels", []))
    return sorted((p for p in built if p is not None), key=lambda p: p.order)
