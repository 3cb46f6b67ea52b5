"""Production servers: waitress for one process (the embedded default), gunicorn for
``--workers N`` (several processes on one host, or each host of a scale-out)."""

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """Run the app factory in ``workers`` gunicorn processes (threads each)."""

    def __init__(self, host: str, port: int, workers: int, threads: int):
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-",
            "timeout": 60,
            "graceful_timeout": 20,
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from learn import create_app

        return create_app()


def serve(app, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with waitress (one worker) or gunicorn (several)."""
    if workers > 1:
        GunicornServer(host, port, workers, threads).run()
    else:
        from waitress import serve as waitress_serve

        # waitress drops X-Forwarded-* unless told otherwise; ProxyFix in the app
        # decides how far to trust them (LEARN_PROXY_COUNT).
        waitress_serve(
            app,
            host=host,
            port=port,
            threads=threads,
            clear_untrusted_proxy_headers=not app.config["PROXY_COUNT"],
        )
