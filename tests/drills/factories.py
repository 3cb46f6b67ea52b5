"""Factories for mock-talk tests: card folders in tmp, synced cards, groups and sessions."""

import shutil
from pathlib import Path

from flask import current_app

from learn.accounts import Role
from learn.config import PROJECT_ROOT
from learn.drills.models import DrillSession, Phase
from learn.drills.services import cards, groups, sessions
from learn.extensions import db
from tests.factories import make_user

BUNDLED = PROJECT_ROOT / "courses" / "drills"
CARD = "hanxun-dibao-huibi"
SECRET = "绝密标记甲乙丙"


def copy_cards(tmp_path: Path, names=(CARD,)) -> Path:
    """A drills folder in tmp with the criteria and the given bundled cards (and their sims)."""
    folder = tmp_path / "drills"
    folder.mkdir(exist_ok=True)
    shutil.copy(BUNDLED / "criteria.yaml", folder)
    for name in names:
        shutil.copy(BUNDLED / f"{name}.md", folder)
        sim = BUNDLED / f"{name}.sim.yaml"
        if sim.exists():
            shutil.copy(sim, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    """The 1-based line number of the first line containing ``fragment``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path.name}")


def use_cards(folder: Path) -> None:
    """Point the app at ``folder`` and sync it."""
    current_app.config["DRILLS_DIR"] = str(folder)
    cards.sync_cards()
    db.session.commit()


def secret_cards(tmp_path: Path) -> Path:
    """The bundled card with a marker in its subject-only brief, synced."""
    folder = copy_cards(tmp_path)
    edit(folder / f"{CARD}.md", "**你是刘某某**", f"**你是刘某某**（{SECRET}）")
    use_cards(folder)
    return folder


def sync_bundled() -> None:
    current_app.config.pop("DRILLS_DIR", None)
    cards.sync_cards()
    db.session.commit()


def cast():
    """A trainer and a group of five: lead, recorder, subject, two assessors (and a spare)."""
    trainer = make_user("peixun", Role.TRAINER, name="宋培训")
    people = {
        "lead": make_user("lead", name="林主谈"),
        "recorder": make_user("recorder", name="苏记录"),
        "subject": make_user("subject", name="何扮演"),
        "assessor_a": make_user("assessor_a", name="唐评甲"),
        "assessor_b": make_user("assessor_b", name="贺评乙"),
        "spare": make_user("spare", name="周候补"),
    }
    group = groups.create_group(trainer, "测试小组", [u.id for u in people.values()])
    db.session.commit()
    return trainer, people, group


def open_session(trainer, people, group, card_id=CARD, **kw) -> DrillSession:
    casting = sessions.Casting(
        lead=people["lead"].id,
        recorder=people["recorder"].id,
        subject=people["subject"].id,
        assessors=(people["assessor_a"].id, people["assessor_b"].id),
    )
    session = sessions.open_session(trainer, group, cards.get_card(card_id), casting, **kw)
    db.session.commit()
    return session


LEVELS_A = {
    "plan": 4,
    "policy": 3,
    "strategy": 3,
    "evidence": 3,
    "rapport": 3,
    "safety": 4,
    "record": 3,
}
LEVELS_B = {
    "plan": 2,
    "policy": 3,
    "strategy": 1,
    "evidence": 2,
    "rapport": 2,
    "safety": 3,
    "record": 4,
}


def to_phase(trainer, people, session: DrillSession, phase: Phase) -> DrillSession:
    """Drive a fresh session forward to ``phase`` through the services."""
    order = list(Phase)
    while order.index(session.phase_enum) < order.index(phase):
        current = session.phase_enum
        if current == Phase.PREPARING and not session.talk_plan:
            sessions.submit_plan(
                people["lead"], session, "谈话方案：先陈述后举证。", "安全预案：备血压计。"
            )
        elif current == Phase.TALKING and not session.transcript:
            sessions.save_transcript(people["recorder"], session, "问：请讲讲经过。\n答：……")
        elif current == Phase.SCORING:
            for key, levels in (("assessor_a", LEVELS_A), ("assessor_b", LEVELS_B)):
                if sessions.own_assessment(session, people[key]) is None:
                    sessions.submit_assessment(
                        people[key], session, {"approval"}, levels, f"{key} 的点评意见：很有收获。"
                    )
        sessions.advance(trainer, session)
        db.session.commit()
    return session
