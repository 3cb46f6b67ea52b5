"""纪检监察干部能力建设平台: the Flask application factory."""

from pathlib import Path

from flask import Flask

from learn.config import PROJECT_ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    """Create the app; ``config`` overrides defaults and ``LEARN_*`` variables."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
    )
    app.config.update(load_config(config))

    from learn.web import init_web

    init_web(app)
    return app
