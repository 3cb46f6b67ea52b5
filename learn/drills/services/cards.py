"""Scenario cards: sync from the content folder, look-ups, and who cites a case.

``sync_cards`` validates every card before touching the database (any problem →
ContentProblems and nothing written), upserts cards by id, skips unchanged
files by content hash, archives cards whose file is gone (sessions and runs
keep pointing at them) and renders Markdown to sanitized HTML once.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from learn.audit import record_event
from learn.content import ContentProblems, read_front_matter
from learn.content.drills import (
    DIFFICULTIES,
    TALK_TYPES,
    Criterion,
    DrillCardContent,
    load_cards,
    simulation_to_data,
)
from learn.core.db import utcnow
from learn.core.markdown import render_markdown
from learn.drills.models import (
    DrillCard,
    DrillCriterion,
    DrillSession,
    Participant,
    SimulationRun,
)
from learn.errors import NotFound
from learn.extensions import db


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"新增 {len(self.created)} 张，更新 {len(self.updated)} 张，"
            f"未变 {len(self.unchanged)} 张，归档 {len(self.archived)} 张"
        )


def drills_dir() -> Path:
    configured = current_app.config.get("DRILLS_DIR")
    return Path(configured) if configured else Path(current_app.config["COURSES_DIR"]) / "drills"


def known_case_ids() -> set[str]:
    """Ids of the case files in CASES_DIR (a file that does not parse counts by its name)."""
    ids = set()
    for path in Path(current_app.config["CASES_DIR"]).glob("*.md"):
        try:
            ids.add(str(read_front_matter(path).meta.get("id") or path.stem))
        except ContentProblems:
            ids.add(path.stem)
    return ids


def course_titles() -> dict[str, str]:
    """Course id → title for the course folders in COURSES_DIR."""
    titles = {}
    for path in Path(current_app.config["COURSES_DIR"]).glob("*/course.md"):
        try:
            titles[path.parent.name] = str(read_front_matter(path).meta.get("title") or "")
        except ContentProblems:
            titles[path.parent.name] = ""
    return titles


def load_content(directory: Path | None = None) -> tuple[dict[str, Criterion], list]:
    """Parse and validate every card; raise ContentProblems listing every problem."""
    return load_cards(
        directory or drills_dir(),
        known_case_ids=known_case_ids(),
        known_course_ids=set(course_titles()),
    )


def _card_rows(doc: DrillCardContent) -> dict:
    return {
        "title": doc.title,
        "talk_type": doc.talk_type,
        "difficulty": doc.difficulty,
        "duration": doc.duration,
        "hours": Decimal(str(doc.hours)),
        "summary": doc.summary,
        "objectives": list(doc.objectives),
        "checklist": [
            {"id": c.id, "text": c.text, "rule": c.rule, "phase": c.phase} for c in doc.checklist
        ],
        "rubric": [
            {"criterion": r.criterion, "name": r.name, "weight": r.weight, "levels": list(r.levels)}
            for r in doc.rubric
        ],
        "cites_cases": list(doc.cites_cases),
        "background_html": render_markdown(doc.background),
        "subject_brief_html": render_markdown(doc.subject_brief),
        "evidence_html": render_markdown(doc.evidence),
        "reference_plan_html": render_markdown(doc.reference_plan),
        "simulation": simulation_to_data(doc.simulation) if doc.simulation else None,
        "content_hash": doc.content_hash,
    }


def sync_cards(actor=None, directory: Path | None = None) -> SyncReport:
    """Validate all cards, then upsert, skip unchanged and archive removed ones."""
    criteria, docs = load_content(directory)
    _sync_criteria(criteria)
    report = SyncReport()
    existing = {card.id: card for card in db.session.scalars(select(DrillCard))}
    for doc in docs:
        card = existing.pop(doc.id, None)
        if card is None:
            card = DrillCard(id=doc.id, **_card_rows(doc))
            db.session.add(card)
            report.created.append(doc.id)
        elif card.content_hash == doc.content_hash and not card.archived:
            report.unchanged.append(doc.id)
            continue
        else:
            for key, value in _card_rows(doc).items():
                setattr(card, key, value)
            card.archived = False
            report.updated.append(doc.id)
        card.synced_at = utcnow()
    for card in existing.values():
        if not card.archived:
            card.archived = True
            report.archived.append(card.id)
    db.session.flush()
    record_event("drill_cards_synced", actor, target_type="drill_cards", detail=report.summary())
    return report


def _sync_criteria(criteria: dict[str, Criterion]) -> None:
    titles = course_titles()
    existing = {c.id: c for c in db.session.scalars(select(DrillCriterion))}
    for position, criterion in enumerate(criteria.values()):
        row = existing.pop(criterion.id, None) or DrillCriterion(id=criterion.id)
        row.name = criterion.name
        row.summary = criterion.summary
        row.levels = list(criterion.levels)
        row.courses = [{"id": c, "title": titles.get(c) or c} for c in criterion.courses]
        row.case_tags = list(criterion.case_tags)
        row.position = position
        db.session.add(row)
    for row in existing.values():
        db.session.delete(row)


def all_criteria() -> dict[str, DrillCriterion]:
    """The rubric criteria in their configured order, by id."""
    rows = db.session.scalars(select(DrillCriterion).order_by(DrillCriterion.position))
    return {row.id: row for row in rows}


def active_cards(talk_type: str = "", difficulty: str = "") -> list[DrillCard]:
    stmt = select(DrillCard).where(DrillCard.archived.is_(False))
    if talk_type:
        stmt = stmt.where(DrillCard.talk_type == talk_type)
    if difficulty:
        stmt = stmt.where(DrillCard.difficulty == difficulty)
    return sorted(db.session.scalars(stmt), key=_library_order)


def _library_order(card: DrillCard) -> tuple:
    """Talk types in the order a case moves (谈话提醒 … 审查调查谈话), easier cards first."""
    return (TALK_TYPES.index(card.talk_type), DIFFICULTIES.index(card.difficulty), card.id)


def get_card(card_id: str, *, include_archived: bool = False) -> DrillCard:
    card = db.session.get(DrillCard, card_id)
    if card is None or (card.archived and not include_archived):
        raise NotFound("案例卡不存在或已下架。")
    return card


def cards_citing(case_id: str) -> list[DrillCard]:
    """Active cards whose ``cites_cases`` include ``case_id``."""
    return [card for card in active_cards() if case_id in (card.cites_cases or [])]


def has_completed(user_id: int, card_id: str) -> bool:
    """Whether the user took part in a released session of the card or finished its simulation."""
    in_session = db.session.scalar(
        select(DrillSession.id)
        .join(Participant, Participant.session_id == DrillSession.id)
        .where(
            DrillSession.card_id == card_id,
            Participant.user_id == user_id,
            DrillSession.released_at.is_not(None),
        )
        .limit(1)
    )
    if in_session:
        return True
    finished_run = db.session.scalar(
        select(SimulationRun.id)
        .where(
            SimulationRun.card_id == card_id,
            SimulationRun.user_id == user_id,
            SimulationRun.finished_at.is_not(None),
        )
        .limit(1)
    )
    return finished_run is not None
