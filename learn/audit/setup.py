"""Register the audit models (pages live in admin and home)."""

ORDER = 5


def init_app(app) -> None:
    import learn.audit.models  # noqa: F401
