"""Register the org models (no pages of their own: units are managed under /admin)."""

ORDER = 5


def init_app(app) -> None:
    import learn.org.models  # noqa: F401
