"""Turn a case body into the reading page's HTML, and a source text into highlighted lines."""

import re

from learn.cases.anonymize import Finding
from learn.content.cases import LESSONS_SECTION
from learn.core.markdown import render_markdown

_LESSONS_RE = re.compile(rf"^##\s+{LESSONS_SECTION}\s*#*\s*$", re.MULTILINE)


def render_case_body(body: str) -> tuple[str, str]:
    """Sanitized HTML of the body, split before ``## 警示启示`` so the page can emphasise it."""
    match = _LESSONS_RE.search(body or "")
    if match is None:
        return render_markdown(body), ""
    lessons = body[match.end() :]
    return render_markdown(body[: match.start()]), render_markdown(lessons)


def highlighted_lines(text: str, findings: list[Finding]) -> list[tuple[int, list]]:
    """Each line of ``text`` as (number, [(piece, finding or None), …])."""
    lines = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = offset + len(line)
        segments = []
        pos = offset
        for finding in findings:
            if finding.end <= offset or finding.start >= end:
                continue
            start, stop = max(finding.start, offset), min(finding.end, end)
            if start > pos:
                segments.append((text[pos:start], None))
            segments.append((text[start:stop], finding))
            pos = stop
        if pos < end:
            segments.append((text[pos:end], None))
        lines.append((number, segments))
        offset = end + 1
    return lines
