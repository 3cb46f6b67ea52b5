"""Small server-rendered SVG charts (no JavaScript, no external service, CSP-safe).

Each function returns Markup for an ``<svg role="img">`` with a title; pages
should also offer the numbers as text or a table for screen readers and print.
"""

from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 16, 56
COLORS = ["#8f1d1d", "#1d4f91", "#1e6b3a", "#8a5a00", "#5b3f8c"]


def _scale(max_value: float) -> float:
    """A round upper bound for the y axis."""
    if max_value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if max_value <= step * 5:
            return step * 5
    return max_value


def _axes(top: float, label_every: float) -> list[str]:
    parts = []
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    ticks = 5
    for i in range(ticks + 1):
        value = top * i / ticks
        y = HEIGHT - PAD_BOTTOM - inner_h * i / ticks
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d9dee4" stroke-width="1"/>'
        )
        if i % max(1, int(label_every)) == 0:
            parts.append(
                f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f'font-size="11" fill="#52606d">{value:g}</text>'
            )
    return parts


def _svg(title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(title: str, bars: list[tuple[str, float]], target: float | None = None) -> Markup:
    """Vertical bars with labels; an optional dashed target line (e.g. the annual quota)."""
    top = _scale(max([*(v for _, v in bars), target or 0, 0]))
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    body = _axes(top, 1)
    slot = inner_w / max(1, len(bars))
    for i, (label, value) in enumerate(bars):
        h = inner_h * value / top
        x = PAD_LEFT + slot * i + slot * 0.2
        y = HEIGHT - PAD_BOTTOM - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
            f'fill="{COLORS[0]}" rx="2"><title>{escape(label)}：{value:g}</title></rect>'
        )
        body.append(
            f'<text x="{x + slot * 0.3:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#1f2933">{value:g}</text>'
        )
        body.append(
            f'<text x="{x + slot * 0.3:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" '
            f'text-anchor="middle" font-size="11" fill="#52606d">{escape(label[:8])}</text>'
        )
    if target:
        y = HEIGHT - PAD_BOTTOM - inner_h * target / top
        body.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#8a5a00" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - PAD_RIGHT}" y="{y - 5:.1f}" text-anchor="end" font-size="11" '
            f'fill="#8a5a00">目标 {target:g}</text>'
        )
    return _svg(title, body)


def line_chart(title: str, labels: list[str], series: dict[str, list[float | None]]) -> Markup:
    """One or more lines over shared x labels (e.g. months); None leaves a gap."""
    values = [v for points in series.values() for v in points if v is not None]
    top = _scale(max([*values, 0]))
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    body = _axes(top, 1)
    step = inner_w / max(1, len(labels) - 1)
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{PAD_LEFT + step * i:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" '
            f'text-anchor="middle" font-size="11" fill="#52606d">{escape(label)}</text>'
        )
    for n, (name, points) in enumerate(series.items()):
        color = COLORS[n % len(COLORS)]
        coords = [
            (PAD_LEFT + step * i, HEIGHT - PAD_BOTTOM - inner_h * v / top)
            for i, v in enumerate(points)
            if v is not None
        ]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>'
            )
        body.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>' for x, y in coords
        )
        legend_y = HEIGHT - 14
        legend_x = PAD_LEFT + n * 130
        body.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="12" height="12" fill="{color}"/>'
            f'<text x="{legend_x + 16}" y="{legend_y + 1}" font-size="12" '
            f'fill="#1f2933">{escape(name)}</text>'
        )
    return _svg(title, body)
