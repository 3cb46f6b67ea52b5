"""Wire the courses domain: pages, navigation, home panel, progress section, slots,
demo loader and the ``learn content`` commands."""

ORDER = 25


def init_app(app) -> None:
    import learn.courses.models  # noqa: F401
    from learn.core.nav import register_nav
    from learn.core.progress import register_progress_section
    from learn.core.slots import register_slot
    from learn.courses import commands, demo, manage, panels, progress, views
    from learn.demo import register_demo_loader
    from learn.home.panels import register_home_panel

    app.register_blueprint(views.bp)
    app.register_blueprint(manage.bp)
    register_nav(app, "课程学习", "courses.mine", order=20)
    # 课程管理 is reached from 课程学习 (a button for trainers), keeping the main menu short
    register_home_panel(app, panels.home_panel)
    register_progress_section(app, progress.progress_section)
    register_slot(app, "case_cited_by", progress.cited_by_slot)
    register_slot(app, "ledger_outstanding", progress.ledger_outstanding_slot)
    register_demo_loader(app, demo.load_demo)
    commands.register(app)
