"""Wire the home domain into the app."""

ORDER = 0


def init_app(app) -> None:
    from learn.core.nav import register_nav
    from learn.home.views import bp

    app.register_blueprint(bp)
    register_nav(app, "首页", "home.index", order=0)
