"""The search outbox: which documents changed and must be re-indexed.

Any request may add a row (in its own transaction, so a change and its outbox
row commit together); only the index writer reads and removes rows.
"""

from datetime import datetime

from sqlalchemy import String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from learn.core.db import utcnow
from learn.extensions import db


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def record_change(doc_type: str, doc_id: str) -> None:
    """Note that a document was published, edited, withdrawn or had its access changed."""
    db.session.add(SearchOutbox(doc_type=doc_type, doc_id=str(doc_id)))
    db.session.flush()


def pending(limit: int = 200) -> list[SearchOutbox]:
    """The oldest unapplied changes."""
    return list(db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id).limit(limit)))


def latest_id() -> int:
    """The id of the newest change (0 when the outbox is empty)."""
    return db.session.scalar(select(func.max(SearchOutbox.id))) or 0


def pending_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


def forget_through(last_id: int) -> None:
    """Remove the changes up to ``last_id`` once the index holds them."""
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= last_id))
