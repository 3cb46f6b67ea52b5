"""The ``SearchBackend`` interface and the value types every backend speaks.

A backend stores analysed case documents and answers ``QueryPlan``s under
``Filters`` and an ``Access`` rule. Reading methods are safe from any thread
or process; ``apply`` and ``rebuild`` are called only by the single writer
(the holder of the database lease, see ``learn.search.indexer``).
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from learn.search.documents import IndexDocument
from learn.search.plan import QueryPlan
from learn.search.vocabulary import Vocabulary

FACETS = ("categories", "form", "subject_level", "domains", "year")
PRIVILEGED_ROLES = ("case_editor", "case_reviewer", "admin")


class IndexUnavailable(Exception):
    """The index is missing or unreadable; the writer rebuilds it from the database."""


@dataclass(frozen=True)
class Access:
    """Which cases a searcher may see: all, or unrestricted ones plus those naming them."""

    user_id: int | None
    everything: bool = False

    @classmethod
    def for_user(cls, user) -> "Access":
        everything = any(user.has_role(role) for role in PRIVILEGED_ROLES)
        return cls(getattr(user, "id", None), everything)

    def allows(self, doc: IndexDocument) -> bool:
        return self.everything or not doc.restricted or self.user_id in doc.reader_ids


@dataclass(frozen=True)
class Filters:
    """Facet filters; several categories or domains mean a case must have them all."""

    categories: tuple[str, ...] = ()
    form: str | None = None
    subject_level: str | None = None
    domains: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def without(self, name: str, value=None) -> "Filters":
        """These filters minus one (a value of a multi-valued filter, or a whole filter)."""
        if name in ("categories", "domains"):
            kept = tuple(v for v in getattr(self, name) if value is not None and v != value)
            return replace(self, **{name: kept})
        if name == "year":
            return replace(self, year_from=None, year_to=None)
        return replace(self, **{name: None})

    @property
    def is_empty(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    year: int
    categories: tuple[str, ...]
    form: str | None
    subject_level: str
    domains: tuple[str, ...]
    tags: tuple[str, ...]
    score: float
    title_html: Markup
    highlights: tuple[Markup, ...] = ()
    tags_html: tuple[Markup, ...] = ()


@dataclass(frozen=True)
class ResultPage:
    total: int
    hits: list[Hit]
    facets: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexStatus:
    state: str  # ok · missing · corrupt
    documents: int = 0
    fingerprint: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


class SearchBackend(ABC):
    name: str = ""

    @abstractmethod
    def vocabulary(self) -> Vocabulary:
        """The vocabulary the current index was built with; queries must be planned with it."""

    @abstractmethod
    def search(
        self,
        plan: QueryPlan,
        filters: Filters,
        access: Access,
        *,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 10,
        facets: bool = True,
    ) -> ResultPage:
        """Matching cases the access rule allows, with facet counts over all of them."""

    @abstractmethod
    def count(self, plan: QueryPlan, filters: Filters, access: Access) -> int:
        """How many cases would match (for "no results" suggestions)."""

    @abstractmethod
    def related(self, case_ids: Sequence[str], access: Access, limit: int = 5) -> list[Hit]:
        """Cases most like ``case_ids`` (more-like-this), never one of them."""

    @abstractmethod
    def status(self) -> IndexStatus:
        """Whether the index can be read, how many documents it holds, its vocabulary."""

    @abstractmethod
    def apply(self, upserts: Iterable[IndexDocument], deletes: Iterable[str]) -> None:
        """Add or replace ``upserts`` and remove ``deletes`` (writer only)."""

    @abstractmethod
    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        vocabulary: Vocabulary,
        heartbeat: Callable[[], None] = lambda: None,
    ) -> int:
        """Build a fresh index of ``documents`` and swap it in atomically (writer only).

        ``heartbeat`` is called now and then so the writer can renew its lease.
        Returns the number of documents indexed.
        """
