"""Wire the mock-talk domain into the app."""

ORDER = 40
NAV_ORDER = 35


def init_app(app) -> None:
    from learn.core.nav import register_nav
    from learn.core.progress import register_progress_section
    from learn.core.slots import register_slot
    from learn.demo import register_demo_loader
    from learn.drills import contributions, panels
    from learn.drills.api import bp as api_bp
    from learn.drills.commands import drills_cli
    from learn.drills.demo import load_demo
    from learn.drills.links import case_links, course_links
    from learn.drills.views import bp
    from learn.home.panels import register_home_panel

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    register_nav(app, "模拟谈话", "drills.index", order=NAV_ORDER)
    register_slot(app, "case_cited_by", contributions.case_cited_by)
    register_progress_section(app, contributions.progress_section)
    register_home_panel(app, panels.home_panel)
    register_demo_loader(app, load_demo)
    app.cli.add_command(drills_cli)
    app.add_template_global(course_links, "drill_course_links")
    app.add_template_global(case_links, "drill_case_links")
