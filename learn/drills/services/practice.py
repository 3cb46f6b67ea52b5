"""Self-practice simulation runs: start, choose, ask, finish, try again.

A run belongs to one trainee and is shown to nobody else. It is played on the
card version it started on; when the card's content changes under an
unfinished run, the run is marked out of date and the trainee starts again.
The first finished run of a card credits its 学时 as online self-study.
"""

from decimal import Decimal

from sqlalchemy import select

from learn.content.drills import simulation_from_data
from learn.core.db import utcnow
from learn.drills import simulation as engine
from learn.drills.models import DrillCard, SimulationRun
from learn.drills.scoring import simulation_percents
from learn.errors import LearnError, NotFound
from learn.extensions import db
from learn.ledger import SourceType, credit_hours

QUESTION_MAX = 200
STEP_LIMIT = 200  # typed questions that match nothing also count


def start_run(user, card: DrillCard) -> SimulationRun:
    """Start a new attempt at the card's simulation."""
    if card.simulation is None or card.archived:
        raise NotFound("该案例卡没有自主练习。")
    sim = simulation_from_data(card.simulation)
    run = SimulationRun(
        user_id=user.id,
        card=card,
        content_hash=card.content_hash,
        node_id=sim.start,
        flags=[],
        scores={},
        steps=[],
    )
    db.session.add(run)
    db.session.flush()
    return run


def get_run(user, run_id: int) -> SimulationRun:
    """The trainee's own run; anyone else's is not found."""
    run = db.session.get(SimulationRun, run_id)
    if run is None or run.user_id != user.id:
        raise NotFound("练习记录不存在。")
    return run


def is_stale(run: SimulationRun) -> bool:
    """An unfinished run whose card has changed since it started."""
    return not run.finished and (
        run.card.content_hash != run.content_hash or run.card.simulation is None
    )


def _state(run: SimulationRun) -> engine.RunState:
    return engine.RunState(run.node_id, tuple(run.flags), dict(run.scores), tuple(run.steps))


def _playable(run: SimulationRun):
    if run.finished:
        raise LearnError("本次练习已结束，可以再练一次。")
    if is_stale(run):
        raise LearnError("案例卡内容已更新，本次练习无法继续，请重新开始。")
    if len(run.steps) >= STEP_LIMIT:
        raise LearnError("本次练习步数过多，请重新开始。")
    return simulation_from_data(run.card.simulation)


def _store(run: SimulationRun, sim, state: engine.RunState) -> None:
    run.node_id = state.node_id
    run.flags = list(state.flags)
    run.scores = dict(state.scores)
    run.steps = list(state.steps)
    if engine.is_finished(sim, state):
        _finish(run, sim)
    db.session.flush()


def _finish(run: SimulationRun, sim) -> None:
    total, per = simulation_percents(run.card.rubric, run.scores, sim.best)
    run.ending_id = run.node_id
    run.percent = total
    run.criteria_percent = {k: str(v) for k, v in per.items()}
    run.finished_at = utcnow()
    credit_hours(
        run.user_id,
        SourceType.DRILL,
        f"simulation-{run.card_id}",
        Decimal(str(sim.hours)),
        f"模拟谈话自主练习：{run.card.title}",
        online=True,
        when=run.finished_at,
    )


def choose(run: SimulationRun, option_id: str) -> None:
    """Take one of the listed options at the current point of the run."""
    sim = _playable(run)
    state = engine.choose(sim, _state(run), option_id)
    if state is None:
        raise LearnError("该选项已不可用，请在当前情节中重新选择。")
    _store(run, sim, state)


def ask(run: SimulationRun, question: str) -> None:
    """Put a typed question: follow the intent it matches, or record the subject's fallback."""
    sim = _playable(run)
    question = question.strip()
    if not question:
        raise LearnError("请输入要问的话。")
    if len(question) > QUESTION_MAX:
        raise LearnError(f"问话不超过 {QUESTION_MAX} 字。")
    node = sim.node(run.node_id)
    if not node.intents:
        raise LearnError("此处请从列出的应对中选择。")
    _store(run, sim, engine.ask(sim, _state(run), question))


def runs_of(user, card_id: str | None = None) -> list[SimulationRun]:
    stmt = select(SimulationRun).where(SimulationRun.user_id == user.id)
    if card_id:
        stmt = stmt.where(SimulationRun.card_id == card_id)
    return list(
        db.session.scalars(stmt.order_by(SimulationRun.started_at.desc(), SimulationRun.id.desc()))
    )
