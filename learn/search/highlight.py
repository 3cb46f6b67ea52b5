"""Highlighted snippets, shared by every backend.

Matching is by substring on width- and case-folded text, which for Chinese is
exactly what a reader expects to see marked (a word the segmenter cut
differently is still marked). Offsets are those of the original text because
``normalize`` keeps the length.
"""

from markupsafe import Markup, escape

from learn.search.segment import normalize

SNIPPET_CHARS = 90
LEAD_CHARS = 24
_BREAKS = "。！？；\n"


def find_spans(text: str, terms) -> list[tuple[int, int]]:
    """Merged (start, end) spans of every occurrence of ``terms`` in ``text``."""
    folded = normalize(text)
    spans = []
    for term in {t for t in terms if t and t.strip()}:
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    """Escape ``text[start:end]`` and wrap the spans inside it in ``<mark>``."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(Markup("<mark>") + escape(text[s:e]) + Markup("</mark>"))
        pos = e
    out.append(escape(text[pos:end]))
    return Markup("").join(out)


def highlight_title(title: str, terms) -> Markup:
    return mark(title, find_spans(title, terms))


def _window_start(text: str, span_start: int) -> int:
    start = max(0, span_start - LEAD_CHARS)
    for k in range(span_start - 1, start - 1, -1):
        if text[k] in _BREAKS:
            return k + 1
    return start


def snippets(text: str, terms, count: int = 2) -> list[Markup]:
    """Up to ``count`` passages of ``text`` around the matches, best first in text order."""
    spans = find_spans(text, terms)
    folded = normalize(text)
    if not spans:
        return [_passage(text, [], _first_prose(text))] if text.strip() else []
    candidates = []
    for s, _e in spans:
        start = _window_start(text, s)
        inside = [(a, b) for a, b in spans if a >= start and b <= start + SNIPPET_CHARS]
        distinct = len({folded[a:b] for a, b in inside})
        candidates.append((distinct, len(inside), -start, start))
    chosen: list[int] = []
    for *_rank, start in sorted(candidates, reverse=True):
        if all(abs(start - other) >= SNIPPET_CHARS for other in chosen):
            chosen.append(start)
        if len(chosen) == count:
            break
    return [_passage(text, spans, start) for start in sorted(chosen)]


def _first_prose(text: str) -> int:
    """Where the first real paragraph starts (skipping headings such as 基本案情)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if len(line.strip()) >= 20:
            return offset
        offset += len(line)
    return 0


def _passage(text: str, spans, start: int) -> Markup:
    while start < len(text) and text[start] in " \n#":
        start += 1
    end = min(len(text), start + SNIPPET_CHARS)
    body = mark(text, spans, start, end).replace("\n", " ")
    prefix = "…" if start > 0 and text[start - 1] not in _BREAKS else ""
    suffix = "…" if end < len(text) else ""
    return Markup(prefix) + Markup(body) + Markup(suffix)
