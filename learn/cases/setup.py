"""Wire the case library into the app: pages, API, navigation, home panel, demo, commands."""

ORDER = 50


def init_app(app) -> None:
    from learn.accounts import Role
    from learn.cases import gate
    from learn.cases.api import bp as api_bp
    from learn.cases.commands import cases_cli
    from learn.cases.demo import load_demo_cases
    from learn.cases.editorial import bp as desk_bp
    from learn.cases.panels import editorial_panel
    from learn.cases.views import bp
    from learn.core.nav import register_nav
    from learn.demo import register_demo_loader
    from learn.home.panels import register_home_panel

    app.config.setdefault("CASES_EXTRA_DOMAINS", ())
    gate.install()
    app.register_blueprint(bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(cases_cli)
    register_nav(app, "案例库", "cases.index", order=50)
    register_nav(
        app,
        "案例编审",
        "case_desk.desk",
        roles={Role.CASE_EDITOR, Role.CASE_REVIEWER},
        order=51,
    )
    register_home_panel(app, editorial_panel)
    register_demo_loader(app, load_demo_cases)
