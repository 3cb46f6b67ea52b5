"""What the mock-talk domain adds to other domains' pages: the case page's
"cited by" slot and the mentee progress section (the home panel is in ``panels``)."""

from learn.core.charts import line_chart
from learn.core.progress import ProgressSection
from learn.drills.services import cards, history


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
