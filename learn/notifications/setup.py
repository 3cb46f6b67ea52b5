"""Register the notifications models (pages live in admin and home)."""

ORDER = 5


def init_app(app) -> None:
    import learn.notifications.models  # noqa: F401
