"""The background writer thread of a serving process (and of ``learn search worker``).

It starts with the first request a process serves, so commands such as
``learn init`` never start one. Its first cycle checks the index and rebuilds
a missing, corrupt or stale one while the process already serves requests.
Every process may run one: the database lease lets only one write at a time.
"""

import logging
import threading

from learn.search.indexer import Writer

log = logging.getLogger(__name__)

_started: set[int] = set()
_start_lock = threading.Lock()


class SearchWorker(threading.Thread):
    def __init__(self, app, interval: float):
        super().__init__(name="learn-search-writer", daemon=True)
        self.app = app
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        with self.app.app_context():
            from learn.search.services import backend

            writer = Writer(backend())
        while True:
            self.run_cycle(writer)
            if self.stopped.wait(self.interval):
                return

    def run_cycle(self, writer: Writer) -> None:
        with self.app.app_context():
            try:
                writer.cycle()
            # The thread must outlive any single failure (database restarting,
            # disk full): log it and try again at the next interval.
            except Exception:
                log.exception("search writer cycle failed")

    def stop(self) -> None:
        self.stopped.set()


def start_worker(app) -> SearchWorker | None:
    """Start this process's writer thread for ``app`` once; None if already running."""
    with _start_lock:
        if id(app) in _started:
            return None
        _started.add(id(app))
    worker = SearchWorker(app, app.config["SEARCH_POLL_SECONDS"])
    worker.start()
    app.extensions["learn_search_worker"] = worker
    return worker
