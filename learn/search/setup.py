"""Wire the search domain into the app: backend, pages, API, slots, commands, writer thread."""

import os

ORDER = 60


def _configure(app) -> None:
    app.config.setdefault("SEARCH_BACKEND", os.environ.get("LEARN_SEARCH_BACKEND", "whoosh"))
    worker = os.environ.get("LEARN_SEARCH_WORKER")
    app.config.setdefault("SEARCH_WORKER", worker != "0" if worker else not app.testing)
    poll = os.environ.get("LEARN_SEARCH_POLL_SECONDS", "2")
    app.config.setdefault("SEARCH_POLL_SECONDS", float(poll))


def init_app(app) -> None:
    import learn.search.models
    import learn.search.outbox  # noqa: F401
    from learn.core.nav import register_nav
    from learn.core.slots import register_slot
    from learn.demo import register_demo_loader
    from learn.search.api import bp as api_bp
    from learn.search.backends import make_backend
    from learn.search.commands import search_cli
    from learn.search.demo import load_demo_index
    from learn.search.slots import case_aside, cited_cases
    from learn.search.views import bp
    from learn.search.worker import start_worker

    _configure(app)
    app.extensions["learn_search"] = make_backend(app.config)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    register_nav(app, "案例检索", "search.index", order=55)
    register_slot(app, "case_aside", case_aside)
    register_slot(app, "cited_cases", cited_cases)
    app.cli.add_command(search_cli)
    register_demo_loader(app, load_demo_index)
    if app.config["SEARCH_WORKER"]:

        def start_writer_thread() -> None:
            start_worker(app)

        app.before_request(start_writer_thread)
