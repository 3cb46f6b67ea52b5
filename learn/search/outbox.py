"""The search outbox: which documents changed and must be re-indexed."""

from datetime import datetime

from sqlalchemy import String
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
