"""Wire the reports domain: its pages and their navigation entry."""

from learn.accounts import Role

ORDER = 70


def init_app(app) -> None:
    from learn.core.nav import register_nav
    from learn.reports.views import bp

    app.register_blueprint(bp)
    register_nav(
        app, "培训统计", "reports.index", roles=(Role.TRAINER, Role.LEADER, Role.ADMIN), order=75
    )
