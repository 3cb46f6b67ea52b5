"""Wire the ledger into the app: models, the 我的学时 pages and their navigation entry."""

ORDER = 20


def init_app(app) -> None:
    import learn.ledger.models  # noqa: F401
    from learn.core.nav import register_nav
    from learn.ledger.views import bp

    app.register_blueprint(bp)
    register_nav(app, "我的学时", "ledger.mine", order=30)
