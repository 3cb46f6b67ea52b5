"""Read a Markdown file with YAML front matter, keeping line numbers for every key."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

# libyaml's safe loader when PyYAML was built with it: ten times faster on large imports.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ContentError:
    """One problem in a content file: ``path:line: rule: message``."""

    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


class ContentProblems(Exception):
    """Raised with every problem found; nothing may be written when it is raised."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class FrontMatterFile:
    path: str
    meta: dict
    body: str
    body_line: int  # line number of the first body line
    key_lines: dict = field(default_factory=dict)  # top-level key → line number

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def _key_lines(text: str, first_line: int) -> dict[str, int]:
    """Line numbers of top-level keys, read from the YAML node tree."""
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        key.value: first_line + key.start_mark.line
        for key, _value in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _load_header(header: str):
    """Parse with libyaml; a header it refuses is parsed again by the pure-Python
    loader, whose error marks (the line we report) are the ones authors know."""
    try:
        return yaml.load(header, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(header)


def read_front_matter(path: Path, display_path: str | None = None) -> FrontMatterFile:
    """Split and parse a front-matter file; raise ContentProblems on a malformed header."""
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentProblems([ContentError(shown, 1, "编码", "文件不是 UTF-8 编码")]) from exc
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentProblems([ContentError(shown, 1, "格式", "文件须以 --- 开头的 YAML 头部开始")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration as exc:
        raise ContentProblems(
            [ContentError(shown, 1, "格式", "YAML 头部缺少结束的 --- 行")]
        ) from exc
    header = "\n".join(lines[1:end])
    try:
        meta = _load_header(header) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark else 1
        raise ContentProblems([ContentError(shown, line, "YAML", f"无法解析：{exc}")]) from exc
    if not isinstance(meta, dict):
        raise ContentProblems([ContentError(shown, 2, "格式", "YAML 头部须为“键: 值”形式")])
    body = "\n".join(lines[end + 1 :])
    return FrontMatterFile(shown, meta, body, end + 2, _key_lines(header, 2))
