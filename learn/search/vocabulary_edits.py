"""Admins' edits to the search vocabulary; each change queues an index rebuild.

Edits are rows of ``VocabularyEntry`` layered over the shipped files, so a
shipped entry can be replaced or disabled and later restored, and an upgrade
that ships new entries keeps every local edit.
"""

from dataclasses import dataclass

from sqlalchemy import select

from learn.audit import record_event
from learn.errors import LearnError
from learn.extensions import db
from learn.search.models import VocabularyEntry
from learn.search.outbox import record_change
from learn.search.segment import is_searchable
from learn.search.vocabulary import (
    SYNONYM,
    WORD,
    SynonymRule,
    shipped_rules,
    shipped_words,
    split_terms,
)

MAX_TERM_CHARS = 20
MAX_EXPANSIONS = 12


@dataclass(frozen=True)
class EntryView:
    """One row of the admin list: the effective entry and where it comes from."""

    kind: str
    term: str
    expansions: tuple[str, ...]
    two_way: bool
    source: str  # 内置 · 已修改 · 新增 · 已停用

    @property
    def active(self) -> bool:
        return self.source != "已停用"

    @property
    def line(self) -> str:
        if self.kind == WORD:
            return self.term
        return SynonymRule(self.term, self.expansions, self.two_way).as_line()


def _row(kind: str, term: str) -> VocabularyEntry | None:
    return db.session.scalar(
        select(VocabularyEntry).where(VocabularyEntry.kind == kind, VocabularyEntry.term == term)
    )


def _check_term(term: str) -> str:
    term = (term or "").strip()
    if not term or not is_searchable(term):
        raise LearnError("请填写词语（须含汉字、字母或数字）。")
    if len(term) > MAX_TERM_CHARS:
        raise LearnError(f"词语最多 {MAX_TERM_CHARS} 个字。")
    if any(c in term for c in "=,，、;；") or any(c.isspace() for c in term):
        raise LearnError("词语中不能有空格、等号或顿号、逗号等分隔符。")
    return term


def _changed(admin, action: str, kind: str, term: str) -> None:
    record_change("vocabulary", kind)
    label = "分词词典" if kind == WORD else "同义词"
    record_event(
        "search_vocabulary_changed",
        admin,
        target_type="search_vocabulary",
        target_id=term,
        detail=f"{label}：{action}“{term}”",
    )


def _upsert(admin, kind: str, term: str, **values) -> VocabularyEntry:
    row = _row(kind, term)
    if row is None:
        row = VocabularyEntry(kind=kind, term=term)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by_id = getattr(admin, "id", None)
    db.session.flush()
    return row


def add_word(admin, term: str) -> None:
    """Add a word to the segmentation dictionary (or re-enable a shipped one)."""
    term = _check_term(term)
    if term in shipped_words():
        row = _row(WORD, term)
        if row is None or not row.disabled:
            raise LearnError(f"“{term}”已在词典中。")
        db.session.delete(row)
        db.session.flush()
    else:
        if (row := _row(WORD, term)) is not None and not row.disabled:
            raise LearnError(f"“{term}”已在词典中。")
        _upsert(admin, WORD, term, disabled=False)
    _changed(admin, "加入", WORD, term)


def remove_word(admin, term: str) -> None:
    """Take a word out of the dictionary: delete an added one, disable a shipped one."""
    row = _row(WORD, term)
    if term in shipped_words():
        _upsert(admin, WORD, term, disabled=True)
    elif row is not None:
        db.session.delete(row)
        db.session.flush()
    else:
        raise LearnError(f"词典中没有“{term}”。")
    _changed(admin, "移除", WORD, term)


def save_synonym(admin, term: str, expansions: str, two_way: bool) -> None:
    """Add or replace the synonym entry named ``term``."""
    term = _check_term(term)
    terms = tuple(dict.fromkeys(_check_term(t) for t in split_terms(expansions) if t != term))
    if not terms:
        raise LearnError("请至少填写一个扩展词，多个词用顿号（、）分隔。")
    if len(terms) > MAX_EXPANSIONS:
        raise LearnError(f"一个条目最多 {MAX_EXPANSIONS} 个扩展词。")
    _upsert(admin, SYNONYM, term, expansions="、".join(terms), two_way=two_way, disabled=False)
    _changed(admin, "保存", SYNONYM, term)


def remove_synonym(admin, term: str) -> None:
    """Delete an added synonym entry, or disable a shipped one."""
    shipped = {r.head for r in shipped_rules()}
    row = _row(SYNONYM, term)
    if term in shipped:
        _upsert(admin, SYNONYM, term, disabled=True)
    elif row is not None:
        db.session.delete(row)
        db.session.flush()
    else:
        raise LearnError(f"没有名为“{term}”的同义词条目。")
    _changed(admin, "停用", SYNONYM, term)


def restore_shipped(admin, kind: str, term: str) -> None:
    """Drop the local edit of a shipped entry so the shipped version applies again."""
    row = _row(kind, term)
    if row is None:
        raise LearnError(f"“{term}”没有本地修改。")
    db.session.delete(row)
    db.session.flush()
    _changed(admin, "恢复内置", kind, term)


def request_rebuild(admin) -> None:
    """Ask the index writer for a full rebuild (the page never writes the index itself)."""
    record_change("vocabulary", "rebuild")
    record_event("search_rebuild_requested", admin, target_type="search_index")


def vocabulary_entries() -> tuple[list[EntryView], list[EntryView]]:
    """Every word and synonym entry, shipped or local, with its source."""
    rows = {(r.kind, r.term): r for r in db.session.scalars(select(VocabularyEntry))}
    words = []
    for term in shipped_words():
        row = rows.pop((WORD, term), None)
        words.append(EntryView(WORD, term, (), False, "已停用" if row and row.disabled else "内置"))
    synonyms = []
    for rule in shipped_rules():
        row = rows.pop((SYNONYM, rule.head), None)
        if row is None:
            synonyms.append(EntryView(SYNONYM, rule.head, rule.terms, rule.two_way, "内置"))
        elif row.disabled:
            synonyms.append(EntryView(SYNONYM, rule.head, rule.terms, rule.two_way, "已停用"))
        else:
            terms = split_terms(row.expansions)
            synonyms.append(EntryView(SYNONYM, row.term, terms, row.two_way, "已修改"))
    for (kind, term), row in sorted(rows.items()):
        if row.disabled:
            continue
        if kind == WORD:
            words.append(EntryView(WORD, term, (), False, "新增"))
        else:
            terms = split_terms(row.expansions)
            synonyms.append(EntryView(SYNONYM, term, terms, row.two_way, "新增"))
    return words, synonyms
