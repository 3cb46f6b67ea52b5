"""Wire the admin pages into the app."""

ORDER = 90


def init_app(app) -> None:
    from learn.admin.views import bp
    from learn.core.nav import register_nav

    app.register_blueprint(bp)
    register_nav(app, "系统管理", "admin.users", roles={"admin"}, order=900)
