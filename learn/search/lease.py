"""A database lease: at most one holder at a time, across processes and hosts.

Acquiring is one conditional UPDATE (take it if it is mine or expired) or, the
first time, an INSERT that only one racer can win (primary key). Each call
runs in its own short transaction on its own connection, so it never mixes
with the caller's session.
"""

import os
import socket
import threading
import uuid
from datetime import timedelta

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from learn.core.db import utcnow
from learn.extensions import db
from learn.search.models import SearchLease

WRITER = "search-writer"
_table = SearchLease.__table__


def new_holder() -> str:
    """A name for this process and thread that no other holder shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:8]}"


def acquire(name: str, holder: str, seconds: float = 60) -> bool:
    """Take or renew lease ``name`` for ``seconds``; False when someone else holds it."""
    now = utcnow()
    expires = now + timedelta(seconds=seconds)
    with db.engine.begin() as conn:
        taken = conn.execute(
            update(_table)
            .where(_table.c.name == name)
            .where((_table.c.holder == holder) | (_table.c.expires_at < now))
            .values(holder=holder, expires_at=expires)
        ).rowcount
    if taken:
        return True
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(_table).values(name=name, holder=holder, expires_at=expires))
    except IntegrityError:
        return False
    return True


def release(name: str, holder: str) -> None:
    """Give the lease up at once (only if ``holder`` still has it)."""
    with db.engine.begin() as conn:
        conn.execute(
            update(_table)
            .where(_table.c.name == name, _table.c.holder == holder)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
