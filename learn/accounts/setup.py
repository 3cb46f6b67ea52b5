"""Wire the accounts domain into the app."""

ORDER = 10


def init_app(app) -> None:
    from learn.accounts.api import bp as api_bp
    from learn.accounts.commands import users_cli
    from learn.accounts.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(users_cli)
