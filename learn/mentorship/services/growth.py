"""The mentee view: every domain's progress section plus hours over time.

Other domains plug in through ``learn.core.progress`` (courses and 学时, lectures,
mock talks); this module imports none of them. Each section's template is
rendered with ``section`` = the ``ProgressSection`` (so it reads ``section.context``),
and a section's ``series`` are drawn as a line chart unless it draws its own.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import render_template
from markupsafe import Markup

from learn.core import charts
from learn.core.progress import ProgressSection, progress_sections
from learn.core.timefmt import to_local
from learn.ledger import entries_for


@dataclass(frozen=True)
class RenderedSection:
    section: ProgressSection
    html: Markup
    chart: Markup | None


def _label(x) -> str:
    """An x value of a series: a date becomes 3/15, anything else (e.g. "2026-03") stays."""
    return f"{x.month}/{x.day}" if isinstance(x, date) else str(x)


def _series_chart(title: str, series: dict[str, list]) -> Markup | None:
    """A line chart of a section's (x, value) series over their shared x values.

    None when there is no trend to show yet (fewer than two points in time).
    """
    points = {name: dict(values) for name, values in series.items() if values}
    xs = sorted({x for values in points.values() for x in values}, key=str)
    if len(xs) < 2:
        return None
    lines = {
        name: [float(values[x]) if x in values else None for x in xs]
        for name, values in points.items()
    }
    return charts.line_chart(title, [_label(x) for x in xs], lines)


def sections(app, mentee) -> list[RenderedSection]:
    """Each registered domain's section for ``mentee``, rendered, with its over-time chart.

    A section that draws its own chart (a ``chart`` in its context) is not charted again.
    """
    rendered = []
    for section in progress_sections(app, mentee):
        html = Markup(render_template(section.template, section=section))
        chart = None
        if "chart" not in section.context:
            chart = _series_chart(f"{section.title}变化趋势", section.series)
        rendered.append(RenderedSection(section, html, chart))
    return rendered


MAX_MONTHS = 24


@dataclass(frozen=True)
class Hours:
    """Hours credited since the pairing started: per month, and per source."""

    months: list[tuple[str, Decimal]]
    by_source: list[tuple[str, Decimal]]
    total: Decimal
    chart: Markup


def _months(start: date, today: date) -> list[tuple[int, int]]:
    first = min((start.year, start.month), (today.year, today.month))
    months = []
    year, month = today.year, today.month
    while (year, month) >= first and len(months) < MAX_MONTHS:
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def hours_since(mentee, start: date, today: date) -> Hours:
    """The mentee's hours month by month since ``start`` (at most 24 months), by source."""
    months = _months(start, today)
    first = months[0]
    per_month: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    per_source: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries_for(mentee.id, range(first[0], today.year + 1)):
        local = to_local(entry.credited_at)
        key = (local.year, local.month)
        if key < first or local.date() > today:
            continue
        per_month[key] += entry.hours
        per_source[entry.source_label] += entry.hours
    labelled = [(f"{y % 100}年{m}月", per_month[(y, m)]) for y, m in months]
    chart = charts.bar_chart(
        f"{mentee.name}帮带以来每月学时", [(label, float(v)) for label, v in labelled]
    )
    return Hours(
        months=labelled,
        by_source=sorted(per_source.items(), key=lambda item: -item[1]),
        total=sum(per_source.values(), Decimal(0)),
        chart=chart,
    )
