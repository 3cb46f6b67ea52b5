"""A corpus of hostile input for every field a person or a content file can fill.

Every payload that ran in a browser would set ``window.__xss`` (or the document
title to ``XSS``, or open a dialog), so the browser test can tell whether
anything executed. ``SHORT`` payloads fit the narrow fields (names of 20–40
characters); ``MARKDOWN`` payloads exercise the Markdown renderer's links and
images; ``PLAIN`` is everything that is not Markdown-specific.

``hostile_content`` writes a course, a mock-talk card and a case full of payloads
next to copies of the bundled content, for the real parsers to load;
``plant_in_database`` puts payloads into every stored free-text column, as if
every form had been filled with them.
"""

import re
import shutil
from pathlib import Path

import yaml
from sqlalchemy import select, update

from learn.config import PROJECT_ROOT
from learn.core.markdown import render_markdown
from learn.extensions import db

MARKER = "__xss"
RUN = "window.__xss=1"

# Defeats a filter that removes "<script>" once; itself inert as raw HTML.
SPLIT_SCRIPT = f"<scr<script>ipt>{RUN}</scr</script>ipt>"

SCRIPT_TAGS = [
    f"<script>{RUN}</script>",
    f"<ScRiPt>{RUN}</sCrIpT>",
    SPLIT_SCRIPT,
    f"<script\n>{RUN}</script\n>",
    f'<script src="data:text/javascript,{RUN}"></script>',
    f"</textarea><script>{RUN}</script>",
    f"</title><script>{RUN}</script>",
]

EVENT_HANDLERS = [
    f"<img src=x onerror={RUN}>",
    f'<img src="x" onerror="{RUN}">',
    f"<svg onload={RUN}>",
    f"<svg/onload={RUN}>",
    f"<body onload={RUN}>",
    f"<details open ontoggle={RUN}>",
    f"<input autofocus onfocus={RUN}>",
    f'<div onmouseover="{RUN}">悬停</div>',
    f"<video><source onerror={RUN}></video>",
]

URL_SCHEMES = [
    f'<a href="javascript:{RUN}">点我</a>',
    f'<a href="JaVaScRiPt:{RUN}">点我</a>',
    f'<a href="&#106;avascript:{RUN}">点我</a>',
    f'<a href="&#x6A;avascript:{RUN}">点我</a>',
    f'<a href="java&#x09;script:{RUN}">点我</a>',
    f'<a href=" javascript:{RUN}">点我</a>',
    f'<a href="data:text/html,<script>{RUN}</script>">点我</a>',
    f'<a href="vbscript:{RUN}">点我</a>',
    f'<iframe src="javascript:{RUN}"></iframe>',
    f'<form action="javascript:{RUN}"><button>提交</button></form>',
]

EMBEDDED_DOCUMENTS = [
    f"<svg><script>{RUN}</script></svg>",
    f'<svg><a xlink:href="javascript:{RUN}"><text>点</text></a></svg>',
    f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
    f'<object data="data:text/html,<script>{RUN}</script>"></object>',
    f'<embed src="data:image/svg+xml,<svg onload={RUN}>">',
    f'<math><a href="javascript:{RUN}">m</a></math>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f'<base href="javascript:{RUN}//">',
]

STYLE_INJECTIONS = [
    "<style>body{background:url(javascript:window.__xss=1)}</style>",
    '<link rel="stylesheet" href="data:text/css,body{color:red}">',
    '<div style="background:url(javascript:window.__xss=1)">样式</div>',
    '<img src=x style="width:expression(window.__xss=1)">',
]

ATTRIBUTE_BREAKOUTS = [
    f'"><script>{RUN}</script>',
    f"'><script>{RUN}</script>",
    f"' onmouseover='{RUN}' x='",
    f'" onfocus="{RUN}" autofocus="',
    f'"><img src=x onerror={RUN}>',
    f"</script><script>{RUN}</script>",
]

MARKDOWN = [
    f"[点我](javascript:{RUN})",
    f"![图](javascript:{RUN})",
    f"[点我](  javascript:{RUN})",
    f"[点我](JaVaScRiPt:{RUN})",
    f"[点我](&#106;avascript:{RUN})",
    f"[点我](data:text/html,<script>{RUN}</script>)",
    f'[点我](javascript:{RUN} "标题")',
    f"[点我][ref]\n\n[ref]: javascript:{RUN}",
    f"![图][img]\n\n[img]: javascript:{RUN}",
    f"<javascript:{RUN}>",
    f'[点我](x" onmouseover="{RUN})',
    f'![x" onerror="{RUN}](x)',
    f'<a href="&#x6A;avascript:{RUN}">点我</a>',
    f"正文\n\n<div>\n<script>{RUN}</script>\n</div>\n\n结尾",
    f'<p markdown="1">[点我](javascript:{RUN})</p>',
    f"```html\n<script>{RUN}</script>\n```",
    f"`<img src=x onerror={RUN}>`",
    f"*强调*<img src=x onerror={RUN}>**粗体**",
    f"[点我](javascript&#58;{RUN})",
    f"[点我](\njavascript:{RUN})",
]

TEMPLATE_AND_UNICODE = [
    "{{7*7}}",
    "{{ config }}",
    "{% raw %}{{ self }}{% endraw %}",
    "${7*7}",
    "张某\u202e>tpircs/<1=ssx__.wodniw>tpircs<\u202c",
    "\u202egnp.exe",
    "某\u200b<\u200bscript>window.__xss=1</script>",
    "＜script＞window.__xss=1＜/script＞",
    "\ufeff<script>window.__xss=1</script>",
]

PLAIN = [
    *SCRIPT_TAGS,
    *EVENT_HANDLERS,
    *URL_SCHEMES,
    *EMBEDDED_DOCUMENTS,
    *STYLE_INJECTIONS,
    *ATTRIBUTE_BREAKOUTS,
    *TEMPLATE_AND_UNICODE,
]
ALL = [*PLAIN, *MARKDOWN]

# Short enough for 20–40 character fields (names, group names).
SHORT = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1>",
    '"><svg onload=window.__xss=1>',
    "' onmouseover='window.__xss=1",
    "{{7*7}}张某",
]


def fitting(limit: int, pool: list[str] = ALL) -> list[str]:
    """The payloads of ``pool`` no longer than ``limit`` characters."""
    return [p for p in pool if len(p) <= limit]


def markdown_document() -> str:
    """Every payload in one Markdown text, one paragraph each."""
    return "\n\n".join(ALL)


# --- Planting the corpus: content files and stored rows ------------------------------------


def _split(path: Path) -> tuple[dict, str]:
    _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(header), body


def _write(path: Path, meta: dict, body: str) -> None:
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{header}---\n{body}", encoding="utf-8")


def _into_sections(body: str) -> str:
    """The Markdown document after every ``## `` heading, keeping the headings."""
    return re.sub(
        r"^(## .*)$", lambda m: f"{m.group(1)}\n\n{markdown_document()}\n", body, flags=re.M
    )


def _hostile_course(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
    meta, body = _split(target / "course.md")
    meta.update(id=target.name, title=fitting(120, PLAIN)[0], summary=fitting(200, PLAIN)[1])
    meta["audiences"] = [{"everyone": True, "requirement": "必修"}]
    _write(target / "course.md", meta, f"{body}\n\n{markdown_document()}\n")
    for n, lesson in enumerate(sorted((target / "lessons").glob("*.md"))):
        meta, body = _split(lesson)
        meta["title"] = fitting(120, PLAIN)[n + 2]
        _write(lesson, meta, f"{body}\n\n{markdown_document()}\n")
    questions = yaml.safe_load((target / "questions.yaml").read_text(encoding="utf-8"))
    pool = fitting(200, PLAIN)
    for n, question in enumerate(questions):
        question["stem"] = pool[n % len(pool)]
        question["explanation"] = ALL[n % len(ALL)]
        if "options" in question:
            question["options"] = [
                pool[(n + k) % len(pool)] for k in range(len(question["options"]))
            ]
    (target / "questions.yaml").write_text(
        yaml.safe_dump(questions, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _hostile_card(source: Path, target: Path) -> None:
    meta, body = _split(source)
    meta.update(id=target.stem, title=fitting(120, PLAIN)[3], summary=fitting(200, PLAIN)[4])
    meta["objectives"] = [*fitting(200, PLAIN)[5:8], *meta["objectives"]]
    meta["checklist"][0]["text"] = fitting(200, PLAIN)[8]
    _write(target, meta, _into_sections(body))


def _hostile_case(source: Path, target: Path, title: str) -> None:
    meta, body = _split(source)
    # the case checker refuses HTML tags in title and outcome: attribute breakouts remain
    meta.update(id=target.stem, title=title, outcome=f"' onmouseover='{RUN}' x='{{{{7*7}}}}张某")
    meta["tags"] = [*meta["tags"], "{{7*7}}张某"]
    _write(target, meta, _into_sections(body))


HOSTILE_COURSE = "xss-kecheng"
HOSTILE_CARD = "xss-kapian"
HOSTILE_CASE = "xss-anli-2024-01"
HOSTILE_CASE_TITLE = '某镇" onmouseover="window.__xss=1" x="问题剖析'


def hostile_content(root: Path) -> tuple[Path, Path]:
    """Copies of the bundled courses and cases plus one course, card and case full of payloads."""
    courses, cases = root / "courses", root / "cases"
    shutil.copytree(PROJECT_ROOT / "courses", courses)
    shutil.copytree(PROJECT_ROOT / "cases_library", cases)
    _hostile_course(courses / "sizhong-xingtai", courses / HOSTILE_COURSE)
    _hostile_card(
        courses / "drills" / "tixing-chuangkou-zuofeng.md",
        courses / "drills" / f"{HOSTILE_CARD}.md",
    )
    _hostile_case(cases / "cun-sanzi-2023-01.md", cases / f"{HOSTILE_CASE}.md", HOSTILE_CASE_TITLE)
    return courses, cases


# (table, column, longest value the column takes, the column holding its rendered HTML)
STORED_TEXT = [
    ("org_units", "name", 80, None),
    ("users", "name", 40, None),
    ("users", "position", 60, None),
    ("api_tokens", "name", 60, None),
    ("audit_events", "detail", None, None),
    ("case_studies", "title", 120, None),
    ("case_studies", "outcome", None, None),
    ("case_studies", "body", None, None),
    ("case_revisions", "note", 200, None),
    ("case_steps", "comment", None, None),
    ("courses", "title", 120, None),
    ("courses", "summary", 200, None),
    ("courses", "intro_md", None, "intro_html"),
    ("course_lessons", "title", 120, None),
    ("course_lessons", "body_md", None, "body_html"),
    ("course_questions", "stem", None, None),
    ("course_questions", "explanation", None, None),
    ("drill_cards", "title", 120, None),
    ("drill_cards", "summary", 200, None),
    ("drill_criteria", "name", 20, None),
    ("drill_criteria", "summary", 200, None),
    ("drill_groups", "name", 60, None),
    ("drill_sessions", "talk_plan", None, None),
    ("drill_sessions", "safety_plan", None, None),
    ("drill_sessions", "transcript", None, None),
    ("drill_assessments", "comments", None, None),
    ("guidance_visits", "topic", 120, None),
    ("guidance_visits", "notes", None, None),
    ("hour_entries", "title", 200, None),
    ("lecture_series", "name", 80, None),
    ("lecture_series", "description", None, "description_html"),
    ("lecture_series", "default_place", 120, None),
    ("lecture_sessions", "title", 120, None),
    ("lecture_sessions", "abstract", None, "abstract_html"),
    ("lecture_sessions", "place", 120, None),
    ("lecture_rotas", "name", 80, None),
    ("lecture_rotas", "place", 120, None),
    ("lecture_feedback", "comment", None, None),
    ("lecture_materials", "title", 120, None),
    ("lecture_materials", "original_name", 200, None),
    ("lecture_materials", "note", None, "note_html"),
    ("lecture_speakers", "guest_name", 40, None),
    ("lecture_speakers", "guest_title", 80, None),
    ("ledger_certificates", "title", 200, None),
    ("mentor_pairings", "end_note", None, None),
    ("mentor_agreements", "measures", None, None),
    ("mentor_final_reviews", "self_summary", None, None),
    ("mentor_final_reviews", "mentor_conclusion", None, None),
    ("mentor_final_reviews", "trainer_comment", None, None),
    ("mentor_goals", "title", 120, None),
    ("mentor_goals", "detail", None, None),
    ("mentor_meetings", "topic", 120, None),
    ("mentor_meetings", "notes", None, None),
    ("mentor_meetings", "follow_ups", None, None),
    ("mentor_goal_progress", "note", None, None),
    ("mentor_goal_reviews", "self_assessment", None, None),
    ("mentor_goal_reviews", "mentor_comment", None, None),
    ("mentor_milestones", "title", 120, None),
    ("mentor_tasks", "title", 120, None),
    ("mentor_task_comments", "body", None, None),
    ("notifications", "title", 120, None),
    ("notifications", "body", None, None),
]


def plant_in_database() -> int:
    """Overwrite every stored free-text column of every row with a payload; return the count.

    Rows get different payloads in turn; a column with rendered HTML beside it gets
    what the app would store for that text (the sanitized rendering).
    """
    planted = 0
    for table_name, column, limit, html_column in STORED_TEXT:
        table = db.metadata.tables[table_name]
        # A browser cannot put a line break into a one-line input; a crafted POST can
        # (see test_xss_storage's calendar test), but that is not what this planting is about.
        pool = [p for p in fitting(limit) if "\n" not in p] if limit else ALL
        keys = list(table.primary_key.columns)
        rows = db.session.execute(select(*keys)).all()
        for n, row in enumerate(rows):
            text = markdown_document() if html_column else pool[n % len(pool)]
            values = {column: text}
            if html_column:
                values[html_column] = render_markdown(text)
            where = [key == value for key, value in zip(keys, row, strict=True)]
            db.session.execute(update(table).where(*where).values(**values))
            planted += 1
    for name in ("background_html", "subject_brief_html", "evidence_html", "reference_plan_html"):
        db.session.execute(
            update(db.metadata.tables["drill_cards"]).values(
                {name: render_markdown(markdown_document())}
            )
        )
    db.session.commit()
    return planted
