"""Case files on disk: check them (format + anonymization), read them, write them back.

``check_files`` is what ``learn cases check`` and import run: it reads every
file, collects every problem as ``path:line: rule: text`` and returns the
cases only when there are none. Files are independent, so the command line
checks a large folder in one process per core. ``render_case_file`` writes
the canonical layout, so export → import reproduces a library exactly.
"""

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path

import yaml

from learn.cases.anonymize import find_problems_in_fields
from learn.content import ContentError, ContentProblems, read_front_matter
from learn.content.cases import (
    RULE_DUPLICATE,
    CaseFile,
    case_files_in,
    validate_case,
)

# Fields the checker reads, beyond the body: what a reader sees of a case.
TEXT_FIELDS = ("title", "outcome", "tags")


def case_fields(meta: Mapping, body: str) -> dict[str, str]:
    """The text of a case the anonymization checker must read, by field."""
    fields = {}
    for key in TEXT_FIELDS:
        value = meta.get(key)
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        fields[key] = str(value) if value else ""
    fields["body"] = body or ""
    return fields


def _line_in(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def anonymization_errors(
    path: str, meta: Mapping, body: str, key_lines: Mapping[str, int], body_line: int
) -> list[ContentError]:
    """One error per finding, on the line where the offending text stands."""
    errors = []
    for field, findings in find_problems_in_fields(case_fields(meta, body)).items():
        for finding in findings:
            if field == "body":
                line = body_line + _line_in(body, finding.start)
            else:
                line = key_lines.get(field, 1)
            errors.append(ContentError(path, line, finding.rule, finding.text))
    return errors


@dataclass(frozen=True)
class CheckReport:
    cases: list[CaseFile]
    errors: list[ContentError]

    @property
    def ok(self) -> bool:
        return not self.errors


# Below this many files, starting processes costs more than it saves.
POOL_MIN_FILES = 200
# Files a process takes at a time: few round trips, yet an even share per core.
POOL_CHUNK = 50


def available_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_files(
    paths: Iterable[Path], extra_domains: Iterable[str] = (), workers: int = 1
) -> CheckReport:
    """Check every case file under ``paths``; cases are returned only with no errors at all.

    With ``workers`` > 1 a large folder is checked in that many forked
    processes: pass it only from a single-threaded command, never from a
    threaded web worker.
    """
    files = case_files_in(paths)
    check = partial(_check_file, extra_domains=tuple(extra_domains))
    if workers > 1 and len(files) >= POOL_MIN_FILES:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            results = list(pool.map(check, files, chunksize=POOL_CHUNK))
    else:
        results = [check(path) for path in files]
    cases: list[CaseFile] = []
    errors: list[ContentError] = []
    seen: dict[str, str] = {}
    for file_errors, case in results:
        errors.extend(file_errors)
        if case is None:
            continue
        if case.id in seen:
            errors.append(
                ContentError(
                    case.path,
                    case.line_of("id"),
                    RULE_DUPLICATE,
                    f"编号 {case.id} 已在 {seen[case.id]} 中使用",
                )
            )
            continue
        seen[case.id] = case.path
        cases.append(case)
    errors.sort(key=lambda e: (e.path, e.line))
    return CheckReport(cases if not errors else [], errors)


def _check_file(
    path: Path, extra_domains: tuple[str, ...]
) -> tuple[list[ContentError], CaseFile | None]:
    """One file's problems, and its case when its format is valid."""
    shown = str(path)
    try:
        parsed = read_front_matter(path, shown)
    except ContentProblems as exc:
        return list(exc.errors), None
    except OSError as exc:
        return [ContentError(shown, 1, "文件", f"无法读取：{exc.strerror}")], None
    errors = anonymization_errors(
        shown, parsed.meta, parsed.body, parsed.key_lines, parsed.body_line
    )
    try:
        case = validate_case(
            parsed.meta,
            parsed.body,
            path=shown,
            body_line=parsed.body_line,
            key_lines=parsed.key_lines,
            extra_domains=extra_domains,
            expected_id=path.stem,
        )
    except ContentProblems as exc:
        return [*errors, *exc.errors], None
    return errors, case


def _scalar(value) -> str:
    """A YAML scalar written plainly when that reads back the same, quoted otherwise."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and text.strip() == text and text:
        return text
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10_000).strip()


def _flow_item(value: str) -> str:
    text = str(value)
    try:
        ok = yaml.safe_load(f"k: [{text}]") == {"k": [text]}
    except yaml.YAMLError:
        ok = False
    return text if ok and text else _scalar_quoted(text)


def _scalar_quoted(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10_000).strip()


def render_case_file(meta: Mapping, body: str) -> str:
    """The canonical file text: front matter in the spec's order, a blank line, the body."""
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(_flow_item(v) for v in value)}]")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body.strip() + "\n"


def write_case_file(folder: Path, meta: Mapping, body: str) -> Path:
    """Write ``<id>.md`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{meta['id']}.md"
    path.write_text(render_case_file(meta, body), encoding="utf-8")
    return path
