"""What the mock-talk domain adds to other domains' pages: the case page's
"cited by" slot, the mentee progress section and the home-page panel."""

from learn.core.charts import line_chart
from learn.core.progress import ProgressSection
from learn.drills.models import DrillRole, Phase
from learn.drills.services import cards, history, sessions
from learn.home.panels import Panel

PANEL_ORDER = 35


def case_cited_by(case_id: str = "", **_context):
    """Slot ``case_cited_by``: the active cards that cite a case."""
    citing = cards.cards_citing(case_id) if case_id else []
    if not citing:
        return None
    return "drills/_case_cited_by.html", {"citing_cards": citing}


def progress_section(user) -> ProgressSection | None:
    """Per-criterion results with the trend of the total and of the weakest criteria."""
    record = history.history_of(user)
    if not record.scored:
        return None
    recent = record.scored[-history.TREND_POINTS :]
    shown = [criterion for criterion, _percent in record.weakest]
    series = {"综合得分": [(e.when, e.total) for e in recent]}
    series.update({c.name: record.trend(c.id) for c in shown})
    chart = None
    if len(recent) >= 2:
        lines = {"综合得分": [float(e.total) for e in recent]}
        for criterion in shown:
            lines[criterion.name] = [
                float(e.criteria[criterion.id]) if criterion.id in e.criteria else None
                for e in recent
            ]
        chart = line_chart(
            "模拟谈话得分趋势（%）", [history.short_date(e.when) for e in recent], lines
        )
    return ProgressSection(
        key="drills",
        title="模拟谈话",
        template="drills/_progress.html",
        context={"rows": record.rows(), "weakest": record.weakest, "chart": chart},
        series=series,
        order=35,
    )


def _todo(session, user) -> str:
    """The next thing ``user`` has to do in ``session``, if any."""
    role = session.role_of(user.id)
    is_facilitator = session.facilitator_id == user.id
    phase = session.phase_enum
    if role and role.is_talker and phase == Phase.PREPARING and not session.safety_plan:
        return "提交谈话方案和安全预案"
    if role == DrillRole.RECORDER and phase == Phase.TALKING:
        return "记录谈话笔录"
    scoring = role == DrillRole.ASSESSOR and phase == Phase.SCORING
    if scoring and sessions.own_assessment(session, user) is None:
        return "独立评分"
    if is_facilitator and phase != Phase.CLOSED:
        return "推进演练"
    return ""


def home_panel(user) -> Panel | None:
    """My open sessions and what I have to do in each."""
    active = [s for s in sessions.sessions_of(user) if s.phase != Phase.CLOSED]
    if not active:
        return None
    items = [(s, s.role_of(user.id), _todo(s, user)) for s in active[:5]]
    return Panel("模拟谈话", "drills/_panel.html", {"items": items}, order=PANEL_ORDER)
