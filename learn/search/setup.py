"""Wire the search domain into the app."""

ORDER = 60


def init_app(app) -> None:
    import learn.search.outbox  # noqa: F401
