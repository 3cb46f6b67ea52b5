"""What the index holds for one case, built from the case library's public names.

``IndexDocument`` is backend-neutral; ``document_for_case`` reads a published
case through ``learn.cases.case_document`` (None when it is not published).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from learn.content import read_front_matter

CHUNK = 500  # cases per query in a full rebuild

_MD_RULES = [
    (re.compile(r"<[^>]+>"), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M), ""),
    (re.compile(r"(\*\*|__|\*|`)"), ""),
    (re.compile(r"\n{3,}"), "\n\n"),
]


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown body (headings, emphasis and links reduced to their words)."""
    text = markdown or ""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text.strip()


def _strings(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(str(v) for v in value if str(v).strip())


@dataclass(frozen=True)
class IndexDocument:
    id: str
    title: str
    year: int
    categories: tuple[str, ...]
    form: str | None
    subject_level: str
    domains: tuple[str, ...]
    tags: tuple[str, ...]
    outcome: str
    text: str  # plain text of the body
    restricted: bool = False
    reader_ids: tuple[int, ...] = ()

    @property
    def keywords(self) -> str:
        """Labels a searcher thinks of as keywords: tags and facet values."""
        parts = [*self.tags, *self.categories, *self.domains, self.subject_level, self.form or ""]
        return "\n".join(p for p in parts if p)

    @property
    def body(self) -> str:
        """The searchable prose: the case text and its outcome (处理结果)."""
        return f"{self.text}\n{self.outcome}" if self.outcome else self.text

    @classmethod
    def from_mapping(cls, data: dict) -> "IndexDocument":
        return cls(
            id=str(data["id"]),
            title=str(data.get("title") or ""),
            year=int(data.get("year") or 0),
            categories=_strings(data.get("categories")),
            form=(data.get("form") or None),
            subject_level=str(data.get("subject_level") or ""),
            domains=_strings(data.get("domains")),
            tags=_strings(data.get("tags")),
            outcome=str(data.get("outcome") or ""),
            text=markdown_to_text(str(data.get("text") or data.get("body") or "")),
            restricted=bool(data.get("restricted", False)),
            reader_ids=tuple(sorted(int(i) for i in data.get("reader_ids") or ())),
        )


def document_for_case(case_id: str) -> IndexDocument | None:
    """The indexable form of a published case, or None when it must not be searchable."""
    from learn.cases import case_document

    data = case_document(case_id)
    return None if data is None else IndexDocument.from_mapping(data)


def published_documents(chunk: int = CHUNK):
    """Every published case, for a full rebuild.

    Cases are loaded ``chunk`` at a time (one query, plus one per eager-loaded
    relationship), so that ``case_document``'s ``session.get`` finds each in the
    session's identity map instead of querying once per case. Only the current
    chunk is referenced, so memory stays bounded by the chunk size.
    """
    from sqlalchemy import select

    from learn.cases import CaseStudy, case_document, published_case_ids
    from learn.extensions import db

    ids = published_case_ids()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        loaded = db.session.scalars(select(CaseStudy).where(CaseStudy.id.in_(part))).all()
        for case_id in part:
            data = case_document(case_id)
            if data is not None:
                yield IndexDocument.from_mapping(data)
        del loaded


def documents_from_folder(folder: Path) -> list[IndexDocument]:
    """Read case files directly (relevance evaluation and tests of the engine alone)."""
    docs = []
    for path in sorted(Path(folder).glob("*.md")):
        parsed = read_front_matter(path)
        docs.append(IndexDocument.from_mapping({**parsed.meta, "text": parsed.body}))
    return docs
