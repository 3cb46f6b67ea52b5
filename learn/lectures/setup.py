"""Wire the lectures domain into the app: pages, API, nav, home panel, progress section,
demo content, the ``learn lectures`` commands and the domain's settings."""

import os

ORDER = 30

# (setting, LEARN_ variable, default, type)
SETTINGS = [
    ("LECTURE_CHECKIN_SECONDS", "LECTURE_CHECKIN_SECONDS", "60", int),
    ("LECTURE_MATERIAL_MAX_MB", "LECTURE_MATERIAL_MAX_MB", "20", int),
    ("LECTURE_FEEDBACK_DAYS", "LECTURE_FEEDBACK_DAYS", "7", int),
    ("LECTURE_FEEDBACK_MIN", "LECTURE_FEEDBACK_MIN", "3", int),
]


def init_app(app) -> None:
    from learn.core.nav import register_nav
    from learn.core.progress import register_progress_section
    from learn.demo import register_demo_loader
    from learn.home.panels import register_home_panel
    from learn.lectures.api import bp as api_bp
    from learn.lectures.commands import lectures_cli
    from learn.lectures.demo import load_demo
    from learn.lectures.panels import home_panel
    from learn.lectures.progress import progress_section
    from learn.lectures.views import bp

    for key, env, default, cast in SETTINGS:
        app.config.setdefault(key, cast(os.environ.get(f"LEARN_{env}", default)))
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    register_nav(app, "讲堂", "lectures.index", order=30)
    register_home_panel(app, home_panel)
    register_progress_section(app, progress_section)
    register_demo_loader(app, load_demo)
    app.cli.add_command(lectures_cli)
