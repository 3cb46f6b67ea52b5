"""Search tables: admin edits to the vocabulary, the single-writer lease and the
PostgreSQL backend's documents. The outbox (which documents changed) lives in
``outbox.py``.
"""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from learn.core.db import utcnow
from learn.extensions import db


class VocabularyEntry(db.Model):
    """An admin's addition to, replacement of or removal of a shipped vocabulary entry.

    ``kind`` is ``word`` (分词词典) or ``synonym`` (同义词/行话). A synonym row is
    named by its first term and replaces the shipped line of the same name;
    ``disabled`` removes the shipped entry instead.
    """

    __tablename__ = "search_vocabulary"
    __table_args__ = (UniqueConstraint("kind", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    term: Mapped[str] = mapped_column(String(40))
    expansions: Mapped[str] = mapped_column(Text, default="")  # 、-separated
    two_way: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SearchLease(db.Model):
    """A named lease held by one process at a time (the index writer).

    A row, not a file lock: every process and host sees the same database, and
    an expired lease is taken over when its holder died.
    """

    __tablename__ = "search_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]


class TextSearchVector(TypeDecorator):
    """PostgreSQL ``tsvector``; plain text elsewhere (only the postgres backend uses it)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TSVECTOR())
        return dialect.type_descriptor(Text())


class SearchDocument(db.Model):
    """One published case as the PostgreSQL backend indexes it.

    ``words`` holds the app-segmented words (title weight A, keywords B, text D)
    with word-ordinal positions; ``bigrams`` the character pairs for recall.
    Both are built by the app, not by a PostgreSQL text-search configuration,
    so that indexing and querying cut Chinese the same way on every host.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_words", "words", postgresql_using="gin").ddl_if(
            dialect="postgresql"
        ),
        Index("ix_search_documents_bigrams", "bigrams", postgresql_using="gin").ddl_if(
            dialect="postgresql"
        ),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    categories: Mapped[list] = mapped_column(JSON, default=list)
    domains: Mapped[list] = mapped_column(JSON, default=list)
    form: Mapped[str | None] = mapped_column(String(10))
    subject_level: Mapped[str] = mapped_column(String(20))
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    reader_ids: Mapped[list] = mapped_column(JSON, default=list)
    stored: Mapped[dict] = mapped_column(JSON)
    words = mapped_column(TextSearchVector, nullable=False)
    bigrams = mapped_column(TextSearchVector, nullable=False)


class SearchIndexState(db.Model):
    """What the PostgreSQL index was built with: its vocabulary (one row per backend)."""

    __tablename__ = "search_index_state"

    backend: Mapped[str] = mapped_column(String(20), primary_key=True)
    vocabulary: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(32))
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
