"""The single index writer: drain the outbox, rebuild, heal a missing or stale index.

Only the holder of the database lease ``search-writer`` writes the index, so
any number of processes may run a writer (the serving process's background
thread, ``learn search worker``, ``learn search rebuild``) and none of them
collides. Web requests never call into this module; they only add outbox rows.

A rebuild notes the newest outbox id before it reads the cases, and removes
only the rows up to that id afterwards: a change made during the rebuild is
applied by the next drain, so nothing is lost.
"""

import logging
import time
from dataclasses import dataclass

from learn.extensions import db
from learn.search import lease, outbox
from learn.search.backends.base import SearchBackend
from learn.search.documents import document_for_case, published_documents
from learn.search.vocabulary import current_vocabulary

log = logging.getLogger(__name__)

CASE = "case"
VOCABULARY = "vocabulary"
LEASE_SECONDS = 60
BATCH = 200


class WriterBusy(Exception):
    """Another process holds the writer lease."""


@dataclass
class CycleReport:
    rebuilt: str | None = None  # why the index was rebuilt, if it was
    documents: int = 0
    applied: int = 0


def rebuild_reason(backend: SearchBackend) -> str | None:
    """Why the index must be rebuilt (missing, corrupt, vocabulary changed), or None."""
    status = backend.status()
    if not status.ok:
        return status.state
    if status.fingerprint != current_vocabulary().fingerprint:
        return "vocabulary"
    return None


class Writer:
    """Index writing for one holder of the lease."""

    def __init__(self, backend: SearchBackend, holder: str | None = None):
        self.backend = backend
        self.holder = holder or lease.new_holder()

    def _renew(self) -> None:
        if not lease.acquire(lease.WRITER, self.holder, LEASE_SECONDS):
            raise WriterBusy("lost the search writer lease")

    def rebuild(self) -> int:
        """Index every published case into a fresh index and swap it in."""
        mark = outbox.latest_id()
        count = self.backend.rebuild(published_documents(), current_vocabulary(), self._renew)
        outbox.forget_through(mark)
        db.session.commit()
        log.info("search index rebuilt: %d documents", count)
        return count

    def drain(self) -> int:
        """Apply every pending outbox change; return how many rows were applied."""
        applied = 0
        while rows := outbox.pending(BATCH):
            self._renew()
            if any(row.doc_type == VOCABULARY for row in rows):
                self.rebuild()
                applied += len(rows)
                continue
            upserts, deletes = [], []
            for case_id in dict.fromkeys(r.doc_id for r in rows if r.doc_type == CASE):
                doc = document_for_case(case_id)
                if doc is None:
                    deletes.append(case_id)
                else:
                    upserts.append(doc)
            self.backend.apply(upserts, deletes)
            outbox.forget_through(rows[-1].id)
            db.session.commit()
            applied += len(rows)
        return applied

    def cycle(self) -> CycleReport | None:
        """Heal the index if needed, then drain; None when another writer is busy."""
        if not lease.acquire(lease.WRITER, self.holder, LEASE_SECONDS):
            return None
        report = CycleReport()
        try:
            report.rebuilt = rebuild_reason(self.backend)
            if report.rebuilt:
                log.warning("search index %s: rebuilding from the database", report.rebuilt)
                report.documents = self.rebuild()
            report.applied = self.drain()
        finally:
            db.session.rollback()
            lease.release(lease.WRITER, self.holder)
        return report

    def run_exclusive(self, task, wait_seconds: float = 120):
        """Run ``task(self)`` holding the lease, waiting up to ``wait_seconds`` for it."""
        deadline = time.monotonic() + wait_seconds
        while not lease.acquire(lease.WRITER, self.holder, LEASE_SECONDS):
            if time.monotonic() > deadline:
                raise WriterBusy("another process is writing the search index")
            time.sleep(0.5)
        try:
            return task(self)
        finally:
            db.session.rollback()
            lease.release(lease.WRITER, self.holder)
