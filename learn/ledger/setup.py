"""Wire the ledger into the app."""

ORDER = 20


def init_app(app) -> None:
    import learn.ledger.models  # noqa: F401
