"""Case files (典型案例剖析, ../shared/specs/case-format.md) → validated, frozen ``CaseFile``.

This module checks the *format* only; the anonymization rules need the case
domain's checker and are applied by ``learn.cases.library`` on top. Every
problem is a ``ContentError`` with the file, the line and the rule, and all
of them are collected before anything is raised.

Field names keep their Chinese meaning: ``form`` is 四种形态 (the "four forms"
of supervision and discipline), ``subject_level`` the rank of the person the
case is about (对象层级), ``outcome`` the sanctions (处理结果).
"""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from learn.content.base import ContentError, ContentProblems, FrontMatterFile, read_front_matter

CATEGORIES = (
    "政治纪律",
    "组织纪律",
    "廉洁纪律",
    "群众纪律",
    "工作纪律",
    "生活纪律",
    "职务违法",
    "职务犯罪",
)
FORMS = ("第一种形态", "第二种形态", "第三种形态", "第四种形态")
SUBJECT_LEVELS = (
    "村（社区）干部",
    "站所负责人",
    "一般干部",
    "科级干部",
    "县处级干部",
    "纪检监察干部",
)
DOMAINS = (
    "乡村振兴",
    "三资管理",
    "教育",
    "医疗",
    "社保",
    "民政救助",
    "安全生产",
    "工程建设",
    "生态环保",
    "作风建设",
    "选人用人",
    "执纪执法",
)
FIELDS = (
    "id",
    "title",
    "year",
    "categories",
    "form",
    "subject_level",
    "domains",
    "outcome",
    "tags",
)
REQUIRED_SECTIONS = ("基本案情", "问题剖析")
LESSONS_SECTION = "警示启示"
ID_RE = re.compile(r"[a-z0-9-]{3,64}")
TITLE_MAX = 120
TAG_MAX = 20
FIRST_YEAR = 1990
_HTML_TAG_RE = re.compile(r"<[A-Za-z/!][^>]*>")
_SECTION_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.MULTILINE)

# Rule names printed as ``path:line: rule: message``.
RULE_UNKNOWN = "未知字段"
RULE_ID = "编号"
RULE_FILENAME = "文件名"
RULE_DUPLICATE = "编号重复"
RULE_TITLE = "标题"
RULE_YEAR = "年份"
RULE_CATEGORIES = "纪律类别"
RULE_FORM = "形态"
RULE_SUBJECT = "对象层级"
RULE_DOMAINS = "领域"
RULE_OUTCOME = "处理结果"
RULE_TAGS = "标签"
RULE_SECTIONS = "章节"


@dataclass(frozen=True)
class CaseFile:
    """One validated case: its front matter, its Markdown body and where each came from."""

    id: str
    title: str
    year: int
    categories: tuple[str, ...]
    form: str | None
    subject_level: str
    domains: tuple[str, ...]
    outcome: str
    tags: tuple[str, ...]
    body: str
    path: str = ""
    body_line: int = 1  # file line of the body's first line
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)

    def meta(self) -> dict:
        """The front matter in the spec's key order (``form``/``outcome``/``tags`` when set)."""
        return ordered_meta(self)

    @property
    def content_hash(self) -> str:
        """A digest of what the case says; unchanged files re-import as no-ops."""
        return content_hash(self.meta(), self.body)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, 1)


def content_hash(meta: Mapping, body: str) -> str:
    """Digest of front matter and body, independent of YAML layout and outer whitespace."""
    payload = json.dumps(dict(meta), ensure_ascii=False, sort_keys=True) + "\n" + body.strip()
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class _Collector:
    def __init__(self, path: str, key_lines: Mapping[str, int]):
        self.path = path
        self.key_lines = key_lines
        self.errors: list[ContentError] = []

    def add(self, key: str, rule: str, message: str, line: int | None = None) -> None:
        self.errors.append(
            ContentError(self.path, line or self.key_lines.get(key, 1), rule, message)
        )


def _plain_text(value, key: str, rule: str, errors: _Collector, *, required: bool) -> str:
    if value is None or value == "":
        if required:
            errors.add(key, rule, f"缺少必填字段 {key}")
        return ""
    if not isinstance(value, str):
        errors.add(key, rule, f"{key} 须为文本")
        return ""
    text = value.strip()
    if "\n" in text or _HTML_TAG_RE.search(text):
        errors.add(key, rule, f"{key} 须为单行纯文本，不能含换行或 HTML 标签")
    return text


def _vocabulary_list(
    value, key: str, rule: str, allowed: Iterable[str], errors: _Collector
) -> tuple[str, ...]:
    allowed = tuple(allowed)
    if value is None or value == []:
        errors.add(key, rule, f"缺少必填字段 {key}，至少填写一项")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.add(key, rule, f"{key} 须为列表，例如 [{allowed[0]}]")
        return ()
    items = tuple(v.strip() for v in value)
    for item in items:
        if item not in allowed:
            errors.add(key, rule, f"“{item}”不在可选值中：{' · '.join(allowed)}")
    if len(set(items)) != len(items):
        errors.add(key, rule, f"{key} 中有重复项")
    return items


def _check_id(value, errors: _Collector) -> str:
    if value is None or value == "":
        errors.add("id", RULE_ID, "缺少必填字段 id")
        return ""
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        errors.add("id", RULE_ID, f"“{value}”不合格式：只能用小写字母、数字和连字符，3–64 个字符")
        return str(value)
    return value


def _check_year(value, errors: _Collector) -> int:
    this_year = date.today().year
    if value is None:
        errors.add("year", RULE_YEAR, "缺少必填字段 year")
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add("year", RULE_YEAR, f"“{value}”须为整数年份，例如 2023")
        return 0
    if not FIRST_YEAR <= value <= this_year:
        errors.add("year", RULE_YEAR, f"{value} 超出范围：须在 {FIRST_YEAR}–{this_year} 之间")
    return value


def _check_title(value, errors: _Collector) -> str:
    title = _plain_text(value, "title", RULE_TITLE, errors, required=True)
    if len(title) > TITLE_MAX:
        errors.add("title", RULE_TITLE, f"标题 {len(title)} 个字，超过 {TITLE_MAX} 个字的上限")
    return title


def _check_form(value, errors: _Collector) -> str | None:
    if value is None or value == "":
        return None
    if value not in FORMS:
        errors.add("form", RULE_FORM, f"“{value}”不在可选值中：{' · '.join(FORMS)}；不适用时省略")
    return value if isinstance(value, str) else None


def _check_subject(value, errors: _Collector) -> str:
    if value is None or value == "":
        errors.add("subject_level", RULE_SUBJECT, "缺少必填字段 subject_level")
        return ""
    if value not in SUBJECT_LEVELS:
        errors.add(
            "subject_level",
            RULE_SUBJECT,
            f"“{value}”不在可选值中：{' · '.join(SUBJECT_LEVELS)}",
        )
    return str(value)


def _check_tags(value, errors: _Collector) -> tuple[str, ...]:
    if value is None or value == []:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        errors.add("tags", RULE_TAGS, "tags 须为由短词组成的列表，例如 [虚报冒领, 村集体资金]")
        return ()
    tags = tuple(v.strip() for v in value)
    for tag in tags:
        if len(tag) > TAG_MAX:
            errors.add("tags", RULE_TAGS, f"标签“{tag}”过长：每个标签不超过 {TAG_MAX} 个字")
    return tags


def section_titles(body: str) -> list[str]:
    """The ``## `` headings of a Markdown body, in order."""
    return [m.group(1).strip() for m in _SECTION_RE.finditer(body)]


def _check_body(body: str, errors: _Collector, body_line: int) -> None:
    titles = section_titles(body)
    missing = [s for s in REQUIRED_SECTIONS if s not in titles]
    if missing:
        errors.add(
            "",
            RULE_SECTIONS,
            "正文缺少必需的章节：" + "、".join(f"## {s}" for s in missing),
            line=body_line,
        )


def validate_case(
    meta: Mapping,
    body: str,
    *,
    path: str = "",
    body_line: int = 1,
    key_lines: Mapping[str, int] | None = None,
    extra_domains: Iterable[str] = (),
    expected_id: str | None = None,
) -> CaseFile:
    """Check one case's front matter and body; raise ContentProblems listing every problem."""
    errors = _Collector(path, key_lines or {})
    # Line numbers of findings count from the stripped body's first line.
    body_line += body[: len(body) - len(body.lstrip())].count("\n")
    for key in meta:
        if key not in FIELDS:
            errors.add(key, RULE_UNKNOWN, f"不认识的字段“{key}”；可用字段：{', '.join(FIELDS)}")
    case_id = _check_id(meta.get("id"), errors)
    if expected_id is not None and case_id and case_id != expected_id:
        errors.add("id", RULE_FILENAME, f"文件名应与编号一致：请将文件命名为 {case_id}.md")
    case = CaseFile(
        id=case_id,
        title=_check_title(meta.get("title"), errors),
        year=_check_year(meta.get("year"), errors),
        categories=_vocabulary_list(
            meta.get("categories"), "categories", RULE_CATEGORIES, CATEGORIES, errors
        ),
        form=_check_form(meta.get("form"), errors),
        subject_level=_check_subject(meta.get("subject_level"), errors),
        domains=_vocabulary_list(
            meta.get("domains"), "domains", RULE_DOMAINS, (*DOMAINS, *extra_domains), errors
        ),
        outcome=_plain_text(meta.get("outcome"), "outcome", RULE_OUTCOME, errors, required=False),
        tags=_check_tags(meta.get("tags"), errors),
        body=body.strip(),
        path=path,
        body_line=body_line,
        field_lines=dict(key_lines or {}),
    )
    _check_body(body, errors, body_line)
    if errors.errors:
        raise ContentProblems(errors.errors)
    return case


def _validate_parsed(
    parsed: FrontMatterFile, extra_domains: Iterable[str], expected_id: str | None
) -> CaseFile:
    return validate_case(
        parsed.meta,
        parsed.body,
        path=parsed.path,
        body_line=parsed.body_line,
        key_lines=parsed.key_lines,
        extra_domains=extra_domains,
        expected_id=expected_id,
    )


def load_case_file(
    path: Path, display_path: str | None = None, extra_domains: Iterable[str] = ()
) -> CaseFile:
    """Read and validate one file; its name must be ``<id>.md``."""
    parsed = read_front_matter(path, display_path)
    return _validate_parsed(parsed, extra_domains, expected_id=path.stem)


def case_files_in(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into the sorted list of ``.md`` case files they hold."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            found.append(path)
    return found


def load_case_files(
    paths: Iterable[Path], extra_domains: Iterable[str] = ()
) -> tuple[list[CaseFile], list[ContentError]]:
    """Parse every file, returning the valid cases and every format problem (ids unique)."""
    cases: list[CaseFile] = []
    errors: list[ContentError] = []
    seen: dict[str, CaseFile] = {}
    for path in case_files_in(paths):
        try:
            case = load_case_file(path, str(path), extra_domains)
        except ContentProblems as exc:
            errors.extend(exc.errors)
            continue
        if case.id in seen:
            errors.append(
                ContentError(
                    case.path,
                    case.line_of("id"),
                    RULE_DUPLICATE,
                    f"编号 {case.id} 已在 {seen[case.id].path} 中使用",
                )
            )
            continue
        seen[case.id] = case
        cases.append(case)
    return cases, errors


def ordered_meta(case) -> dict:
    """Front matter of ``case`` (a CaseFile or a stored case) in the spec's key order."""
    meta = {
        "id": case.id,
        "title": case.title,
        "year": case.year,
        "categories": list(case.categories),
    }
    if case.form:
        meta["form"] = case.form
    meta["subject_level"] = case.subject_level
    meta["domains"] = list(case.domains)
    if case.outcome:
        meta["outcome"] = case.outcome
    if case.tags:
        meta["tags"] = list(case.tags)
    return meta
