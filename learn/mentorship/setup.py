"""Wire mentorship (师徒帮带) and 挂联指导 into the app."""

ORDER = 40


def init_app(app) -> None:
    import learn.mentorship.models  # noqa: F401
    from learn.accounts import Role
    from learn.core.nav import register_nav
    from learn.demo import register_demo_loader
    from learn.home.panels import register_home_panel
    from learn.mentorship.commands import mentorship_cli
    from learn.mentorship.demo import load_demo
    from learn.mentorship.panels import build_panel
    from learn.mentorship.settings import init_settings
    from learn.mentorship.views import bp, guidance_bp

    init_settings(app)
    app.register_blueprint(bp)
    app.register_blueprint(guidance_bp)
    # Everyone sees 师徒帮带: the page adapts to mentors, mentees and trainers.
    register_nav(app, "师徒帮带", "mentorship.index", order=40)
    register_nav(app, "挂联指导", "guidance.index", roles=(Role.LEADER,), order=45)
    register_home_panel(app, build_panel)
    register_demo_loader(app, load_demo)
    app.cli.add_command(mentorship_cli)
