"""Mock-talk scenario cards (模拟谈话案例卡) → validated, frozen dataclasses.

A card is ``courses/drills/<id>.md`` (YAML front matter + Markdown sections);
its optional branching simulation is a sibling YAML file named in the front
matter; ``criteria.yaml`` in the same folder defines the rubric criteria every
card draws on. The format is documented in docs/content-authoring.md.

``load_cards`` collects every problem in every file — each with its file and
line — and raises ``ContentProblems`` before anything can be written. The
simulation graph is checked here too: no dead ends, no loops, every node and
every ending reachable from the start (following the flags choices set).
No Flask and no database here.
"""

import hashlib
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from learn.content.base import ContentError, ContentProblems, read_front_matter

TALK_TYPES = ("谈话提醒", "诫勉谈话", "函询后谈话", "初步核实谈话", "审查调查谈话")
DIFFICULTIES = ("基础", "进阶", "高阶")
PHASES = ("谈话前", "谈话中", "谈话后")
LEVEL_COUNT = 4
# Ending outcomes and the tone a result page gives them.
OUTCOMES = {
    "如实说明": "good",
    "部分说明": "partial",
    "拒不说明": "bad",
    "程序违规": "bad",
    "安全事件": "incident",
}
SECTIONS = {
    "案情背景": "background",
    "被谈话人角色说明": "subject_brief",
    "证据材料": "evidence",
    "参考方案": "reference_plan",
}
CRITERIA_FILE = "criteria.yaml"
# libyaml when available: simulation files are long and the pure-Python parser is slow.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_RE = re.compile(r"^[a-z0-9-]{3,64}$")
NODE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_EFFECT = 5
MAX_STATES = 20000
# Identifiers that must never appear in a card (see shared/specs/case-format.md).
_PERSONAL_DATA = [
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "身份证号码"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "手机号码"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "电子邮箱"),
]


@dataclass(frozen=True)
class Criterion:
    """A rubric criterion shared by cards, with the courses and cases that train it."""

    id: str
    name: str
    summary: str
    levels: tuple[str, ...]
    courses: tuple[str, ...] = ()
    case_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RubricItem:
    criterion: str
    name: str
    weight: int  # percent; a card's weights add up to 100
    levels: tuple[str, ...]  # descriptors from 不足 to 优秀


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    rule: str  # the rule it comes from, cited by name and substance
    phase: str


@dataclass(frozen=True)
class Branch:
    """Where a choice leads; ``if_flag``/``unless_flag`` make the branch conditional."""

    to: str
    if_flag: str = ""
    unless_flag: str = ""

    def applies(self, flags: frozenset[str]) -> bool:
        if self.if_flag and self.if_flag not in flags:
            return False
        return not (self.unless_flag and self.unless_flag in flags)


@dataclass(frozen=True)
class Choice:
    """An option the trainee picks, or (with ``keywords``) an intent a typed question matches."""

    id: str
    text: str
    branches: tuple[Branch, ...]
    effects: dict = field(default_factory=dict)  # criterion id → score change
    feedback: str = ""
    sets: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    min_matches: int = 1

    def target(self, flags: frozenset[str]) -> str:
        """The node or ending this choice leads to, given the flags after choosing it."""
        return next(b.to for b in self.branches if b.applies(flags))


@dataclass(frozen=True)
class Node:
    id: str
    scene: str  # narration: what the trainee sees
    says: str  # what the subject says
    options: tuple[Choice, ...]
    prompt: str = ""  # invites a typed question when intents exist
    intents: tuple[Choice, ...] = ()
    fallback: str = ""  # the subject's reaction to a question no intent matches


@dataclass(frozen=True)
class Ending:
    id: str
    outcome: str
    title: str
    text: str

    @property
    def tone(self) -> str:
        return OUTCOMES[self.outcome]


@dataclass(frozen=True)
class Simulation:
    start: str
    intro: str
    hours: float
    nodes: tuple[Node, ...]
    endings: tuple[Ending, ...]
    best: dict = field(default_factory=dict)  # criterion → highest total any path reaches

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def ending(self, ending_id: str) -> Ending | None:
        return next((e for e in self.endings if e.id == ending_id), None)


@dataclass(frozen=True)
class DrillCardContent:
    id: str
    title: str
    talk_type: str
    difficulty: str
    duration: int  # minutes of the talk
    hours: float  # 学时 credited to each participant of a role-play
    summary: str
    objectives: tuple[str, ...]
    checklist: tuple[ChecklistItem, ...]
    rubric: tuple[RubricItem, ...]
    cites_cases: tuple[str, ...]
    background: str  # Markdown, for everyone
    subject_brief: str  # Markdown, only for the subject's role-player
    evidence: str  # Markdown, for the talkers
    reference_plan: str  # Markdown, shown after scoring
    simulation: Simulation | None
    path: str
    content_hash: str


class _Lines:
    """Line numbers of every key and list item in a YAML text, by path."""

    def __init__(self, text: str, first_line: int):
        self._lines: dict[tuple, int] = {}
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            root = None
        if root is not None:
            self._walk(root, (), first_line)
        self.first = first_line

    def _walk(self, node, path: tuple, first: int) -> None:
        self._lines.setdefault(path, first + node.start_mark.line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    self._lines[(*path, key.value)] = first + key.start_mark.line
                    self._walk(value, (*path, key.value), first)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i), first)

    def __call__(self, *path) -> int:
        """The line of ``path``, or of its nearest ancestor that exists."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), self.first)


class _Errors:
    def __init__(self, shown: str, lines: _Lines):
        self.shown = shown
        self.lines = lines
        self.items: list[ContentError] = []

    def add(self, path: tuple, rule: str, message: str) -> None:
        self.items.append(ContentError(self.shown, self.lines(*path), rule, message))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _require_text(data: dict, key: str, errors: _Errors, path: tuple, max_len: int = 0) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.add((*path, key), "必填", f"缺少“{key}”或其值不是文字")
        return ""
    if max_len and len(value.strip()) > max_len:
        errors.add((*path, key), "长度", f"“{key}”不能超过 {max_len} 个字")
    return value.strip()


def _str_list(data: dict, key: str, errors: _Errors, path: tuple, required: bool) -> list[str]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        errors.add((*path, key), "格式", f"“{key}”须为非空列表")
        return []
    items = []
    for i, item in enumerate(value):
        if not isinstance(item, str | int) or not str(item).strip():
            errors.add((*path, key, i), "格式", f"“{key}”第 {i + 1} 项须为文字")
        else:
            items.append(str(item).strip())
    return items


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _yaml_file(path: Path, shown: str) -> tuple[object, _Lines]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentProblems([ContentError(shown, 1, "编码", "文件不是 UTF-8 编码")]) from exc
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 1 + mark.line if mark else 1
        raise ContentProblems([ContentError(shown, line, "YAML", f"无法解析：{exc}")]) from exc
    return data, _Lines(text, 1)


# ---------------------------------------------------------------- criteria


def load_criteria(path: Path, known_course_ids: set[str] | None = None) -> dict[str, Criterion]:
    """Parse ``criteria.yaml``; raise ContentProblems listing every problem."""
    shown = _display(path)
    if not path.exists():
        raise ContentProblems([ContentError(shown, 1, "文件", "缺少评分维度文件 criteria.yaml")])
    data, lines = _yaml_file(path, shown)
    errors = _Errors(shown, lines)
    if not isinstance(data, list) or not data:
        errors.add((), "格式", "criteria.yaml 须为评分维度的列表")
        raise ContentProblems(errors.items)
    criteria: dict[str, Criterion] = {}
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            errors.add((i,), "格式", f"第 {i + 1} 个评分维度须为“键: 值”形式")
            continue
        cid = _text(item.get("id"))
        if not re.fullmatch(r"[a-z_]{2,30}", cid):
            errors.add((i, "id"), "取值", "评分维度 id 须为 2–30 位小写字母或下划线")
        elif cid in criteria:
            errors.add((i, "id"), "重复", f"评分维度 id“{cid}”重复")
        name = _require_text(item, "name", errors, (i,), 20)
        summary = _require_text(item, "summary", errors, (i,), 200)
        levels = _levels(item.get("levels"), errors, (i, "levels"))
        courses = _str_list(item, "courses", errors, (i,), required=False)
        if known_course_ids is not None:
            for j, course in enumerate(courses):
                if course not in known_course_ids:
                    errors.add((i, "courses", j), "引用", f"课程“{course}”不存在")
        tags = _str_list(item, "case_tags", errors, (i,), required=False)
        if cid and name:
            criteria[cid] = Criterion(cid, name, summary, levels, tuple(courses), tuple(tags))
    if errors.items:
        raise ContentProblems(errors.items)
    return criteria


def _levels(value, errors: _Errors, path: tuple) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or len(value) != LEVEL_COUNT
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        errors.add(path, "格式", f"levels 须为 {LEVEL_COUNT} 条文字描述（从“不足”到“优秀”）")
        return ()
    return tuple(v.strip() for v in value)


# ---------------------------------------------------------------- cards


def load_cards(
    directory: Path,
    *,
    known_case_ids: set[str] | None = None,
    known_course_ids: set[str] | None = None,
) -> tuple[dict[str, Criterion], list[DrillCardContent]]:
    """Parse the criteria and every card in ``directory``; raise ContentProblems on any error."""
    directory = Path(directory)
    errors: list[ContentError] = []
    criteria: dict[str, Criterion] = {}
    criteria_path = directory / CRITERIA_FILE
    try:
        criteria = load_criteria(criteria_path, known_course_ids)
    except ContentProblems as exc:
        errors.extend(exc.errors)
    criteria_bytes = criteria_path.read_bytes() if criteria_path.exists() else b""
    cards: list[DrillCardContent] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.md")):
        if path.name.startswith("_") or path.name.lower() == "readme.md":
            continue
        try:
            card = parse_card(path, criteria, known_case_ids, criteria_bytes)
        except ContentProblems as exc:
            errors.extend(exc.errors)
            continue
        if card.id in seen:
            errors.append(
                ContentError(card.path, 2, "重复", f"案例卡 id“{card.id}”与 {seen[card.id]} 重复")
            )
        seen[card.id] = card.path
        cards.append(card)
    if errors:
        raise ContentProblems(errors)
    return criteria, cards


def parse_card(
    path: Path,
    criteria: dict[str, Criterion],
    known_case_ids: set[str] | None = None,
    criteria_bytes: bytes = b"",
) -> DrillCardContent:
    """Parse and check one card file (and its simulation file)."""
    shown = _display(path)
    front = read_front_matter(path, shown)
    raw = path.read_text(encoding="utf-8").splitlines()
    end = next(i for i in range(1, len(raw)) if raw[i].strip() == "---")
    errors = _Errors(shown, _Lines("\n".join(raw[1:end]), 2))
    meta = front.meta

    card_id = _text(meta.get("id"))
    if not ID_RE.fullmatch(card_id):
        errors.add(("id",), "取值", "id 须为 3–64 位小写字母、数字或连字符")
    elif card_id != path.stem:
        errors.add(("id",), "取值", f"id“{card_id}”须与文件名“{path.stem}”一致")
    title = _require_text(meta, "title", errors, (), 120)
    talk_type = _choice(meta, "talk_type", TALK_TYPES, errors)
    difficulty = _choice(meta, "difficulty", DIFFICULTIES, errors)
    duration = _number(meta, "duration", errors, 10, 180, integer=True)
    hours = _number(meta, "hours", errors, 0.5, 8)
    if hours and (hours * 2) != int(hours * 2):
        errors.add(("hours",), "取值", "hours（学时）须为 0.5 的整数倍")
    summary = _require_text(meta, "summary", errors, (), 200)
    objectives = _str_list(meta, "objectives", errors, (), required=True)
    checklist = _checklist(meta.get("checklist"), errors)
    rubric = _rubric(meta.get("rubric"), criteria, errors)
    cites = _str_list(meta, "cites_cases", errors, (), required=False)
    for i, case_id in enumerate(cites):
        if known_case_ids is not None and case_id not in known_case_ids:
            errors.add(("cites_cases", i), "引用", f"案例“{case_id}”不在案例库中")
    unknown = set(meta) - {
        "id",
        "title",
        "talk_type",
        "difficulty",
        "duration",
        "hours",
        "summary",
        "objectives",
        "checklist",
        "rubric",
        "cites_cases",
        "simulation",
    }
    for key in sorted(unknown):
        errors.add((key,), "格式", f"未知的字段“{key}”")
    sections = _sections(front.body, front.body_line, shown, errors)
    _check_personal_data(path, shown, errors)

    simulation = None
    sim_bytes = b""
    sim_name = meta.get("simulation")
    if sim_name is not None:
        sim_path = path.parent / str(sim_name)
        if not isinstance(sim_name, str) or "/" in sim_name or not sim_path.is_file():
            errors.add(
                ("simulation",), "引用", f"找不到模拟练习文件“{sim_name}”（须与案例卡同目录）"
            )
        else:
            sim_bytes = sim_path.read_bytes()
            try:
                simulation = parse_simulation(sim_path, {r.criterion for r in rubric})
            except ContentProblems as exc:
                errors.items.extend(exc.errors)
    if errors.items:
        raise ContentProblems(errors.items)
    digest = hashlib.sha256(path.read_bytes() + sim_bytes + criteria_bytes).hexdigest()
    return DrillCardContent(
        id=card_id,
        title=title,
        talk_type=talk_type,
        difficulty=difficulty,
        duration=int(duration),
        hours=float(hours),
        summary=summary,
        objectives=tuple(objectives),
        checklist=tuple(checklist),
        rubric=tuple(rubric),
        cites_cases=tuple(cites),
        simulation=simulation,
        path=shown,
        content_hash=digest,
        **sections,
    )


def _choice(meta: dict, key: str, allowed: tuple[str, ...], errors: _Errors) -> str:
    value = _text(meta.get(key))
    if value not in allowed:
        errors.add((key,), "取值", f"“{key}”须为以下之一：{'、'.join(allowed)}")
        return ""
    return value


def _number(meta: dict, key: str, errors: _Errors, low, high, integer=False) -> float:
    value = meta.get(key)
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if not ok or isinstance(value, bool) or not low <= value <= high:
        kind = "整数" if integer else "数字"
        errors.add((key,), "取值", f"“{key}”须为 {low}–{high} 之间的{kind}")
        return 0
    return value


def _checklist(value, errors: _Errors) -> list[ChecklistItem]:
    if not isinstance(value, list) or len(value) < 3:
        errors.add(("checklist",), "格式", "checklist（程序清单）须为至少 3 项的列表")
        return []
    items: list[ChecklistItem] = []
    for i, item in enumerate(value):
        path = ("checklist", i)
        if not isinstance(item, dict):
            errors.add(path, "格式", f"程序清单第 {i + 1} 项须为“键: 值”形式")
            continue
        item_id = _text(item.get("id"))
        if not NODE_ID_RE.fullmatch(item_id):
            errors.add((*path, "id"), "取值", "清单项 id 须为 1–40 位字母、数字、下划线或连字符")
        elif any(existing.id == item_id for existing in items):
            errors.add((*path, "id"), "重复", f"清单项 id“{item_id}”重复")
        text = _require_text(item, "text", errors, path, 120)
        rule = _require_text(item, "rule", errors, path, 300)
        phase = _text(item.get("phase")) or "谈话中"
        if phase not in PHASES:
            errors.add((*path, "phase"), "取值", f"phase 须为以下之一：{'、'.join(PHASES)}")
        items.append(ChecklistItem(item_id, text, rule, phase))
    return items


def _rubric(value, criteria: dict[str, Criterion], errors: _Errors) -> list[RubricItem]:
    if not isinstance(value, list) or len(value) < 3:
        errors.add(("rubric",), "格式", "rubric（评分量表）须为至少 3 个评分维度的列表")
        return []
    items: list[RubricItem] = []
    for i, item in enumerate(value):
        path = ("rubric", i)
        if not isinstance(item, dict):
            errors.add(path, "格式", f"评分量表第 {i + 1} 项须为“键: 值”形式")
            continue
        cid = _text(item.get("criterion"))
        criterion = criteria.get(cid)
        if criterion is None:
            known = "、".join(criteria) or "（criteria.yaml 有误）"
            errors.add((*path, "criterion"), "引用", f"评分维度“{cid}”未定义；可用：{known}")
        elif any(existing.criterion == cid for existing in items):
            errors.add((*path, "criterion"), "重复", f"评分维度“{cid}”重复")
        weight = item.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100:
            errors.add((*path, "weight"), "取值", "weight（权重）须为 1–100 的整数")
            weight = 0
        levels = criterion.levels if criterion else ()
        if "levels" in item:
            levels = _levels(item["levels"], errors, (*path, "levels"))
        if criterion:
            items.append(RubricItem(cid, criterion.name, weight, levels))
    total = sum(item.weight for item in items)
    if items and len(items) == len(value) and total != 100:
        errors.add(("rubric",), "权重", f"各评分维度权重之和须为 100，现为 {total}")
    return items


def _sections(body: str, first_line: int, shown: str, errors: _Errors) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    current = None
    for offset, line in enumerate(body.splitlines()):
        heading = re.match(r"^##\s+(.+?)\s*$", line)
        if heading:
            name = heading.group(1)
            if name not in SECTIONS:
                allowed = "、".join(f"## {s}" for s in SECTIONS)
                errors.items.append(
                    ContentError(
                        shown, first_line + offset, "章节", f"未知的章节“{name}”；可用：{allowed}"
                    )
                )
                current = None
                continue
            if name in found:
                errors.items.append(
                    ContentError(shown, first_line + offset, "章节", f"章节“{name}”重复")
                )
            current = name
            found[name] = []
        elif current:
            found[current].append(line)
        elif line.strip():
            errors.items.append(
                ContentError(
                    shown, first_line + offset, "章节", "正文须以“## 案情背景”等章节标题开始"
                )
            )
            break
    result = {}
    for name, key in SECTIONS.items():
        text = "\n".join(found.get(name, [])).strip()
        if not text:
            errors.items.append(
                ContentError(shown, first_line, "章节", f"缺少章节“## {name}”或其内容为空")
            )
        result[key] = text
    return result


def _check_personal_data(path: Path, shown: str, errors: _Errors) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for pattern, label in _PERSONAL_DATA:
            if pattern.search(line):
                errors.items.append(
                    ContentError(shown, number, "匿名化", f"疑似包含{label}，案例卡须完全匿名化")
                )


# ---------------------------------------------------------------- simulation


def parse_simulation(path: Path, criteria: set[str]) -> Simulation:
    """Parse a simulation file and check its graph; ``criteria`` are the card's rubric ids."""
    shown = _display(path)
    data, lines = _yaml_file(path, shown)
    errors = _Errors(shown, lines)
    if not isinstance(data, dict):
        errors.add((), "格式", "模拟练习文件须为“键: 值”形式")
        raise ContentProblems(errors.items)
    intro = _require_text(data, "intro", errors, ())
    hours = _number(data, "hours", errors, 0.5, 4)
    nodes = _nodes(data.get("nodes"), criteria, errors)
    endings = _endings(data.get("endings"), errors)
    start = _text(data.get("start"))
    sim = Simulation(start, intro, float(hours), tuple(nodes), tuple(endings))
    if not errors.items:
        _check_graph(sim, data, errors)
    if errors.items:
        raise ContentProblems(errors.items)
    return Simulation(start, intro, float(hours), sim.nodes, sim.endings, best_scores(sim))


def _nodes(value, criteria: set[str], errors: _Errors) -> list[Node]:
    if not isinstance(value, list) or not value:
        errors.add(("nodes",), "格式", "nodes（情节节点）须为非空列表")
        return []
    nodes = []
    for i, item in enumerate(value):
        path = ("nodes", i)
        if not isinstance(item, dict):
            errors.add(path, "格式", f"第 {i + 1} 个节点须为“键: 值”形式")
            continue
        node_id = _text(item.get("id"))
        if not NODE_ID_RE.fullmatch(node_id):
            errors.add((*path, "id"), "取值", "节点 id 须为 1–40 位字母、数字、下划线或连字符")
        scene, says = _text(item.get("scene")), _text(item.get("says"))
        if not scene and not says:
            errors.add(path, "必填", f"节点“{node_id}”须有 scene（情景）或 says（对方的话）")
        options_raw = item.get("options")
        if not isinstance(options_raw, list) or not options_raw:
            errors.add(
                (*path, "options"), "死路", f"节点“{node_id}”没有可选的应对（options），练习会卡住"
            )
            options_raw = []
        options = [
            _move(o, (*path, "options", j), criteria, errors, typed=False)
            for j, o in enumerate(options_raw)
        ]
        intents: list[Choice] = []
        prompt = fallback = ""
        if "ask" in item:
            ask = item["ask"]
            if not isinstance(ask, dict):
                errors.add((*path, "ask"), "格式", "ask 须为“键: 值”形式")
            else:
                prompt = _require_text(ask, "prompt", errors, (*path, "ask"), 200)
                fallback = _require_text(ask, "fallback", errors, (*path, "ask"), 300)
                raw = ask.get("intents")
                if not isinstance(raw, list) or not raw:
                    errors.add((*path, "ask", "intents"), "格式", "intents 须为非空列表")
                    raw = []
                intents = [
                    _move(o, (*path, "ask", "intents", j), criteria, errors, typed=True)
                    for j, o in enumerate(raw)
                ]
        ids = [c.id for c in options + intents]
        for j, cid in enumerate(ids):
            if cid in ids[:j]:
                errors.add(path, "重复", f"节点“{node_id}”中的应对 id“{cid}”重复")
        nodes.append(Node(node_id, scene, says, tuple(options), prompt, tuple(intents), fallback))
    return nodes


def _move(item, path: tuple, criteria: set[str], errors: _Errors, typed: bool) -> Choice:
    if not isinstance(item, dict):
        errors.add(path, "格式", "应对须为“键: 值”形式")
        return Choice("", "", ())
    choice_id = _text(str(item.get("id", "")))
    if not NODE_ID_RE.fullmatch(choice_id):
        errors.add((*path, "id"), "取值", "应对 id 须为 1–40 位字母、数字、下划线或连字符")
    text = _require_text(item, "label" if typed else "text", errors, path, 200)
    branches = _branches(item.get("goto"), (*path, "goto"), errors)
    effects = {}
    raw_effects = item.get("effects") or {}
    if not isinstance(raw_effects, dict):
        errors.add((*path, "effects"), "格式", "effects 须为“评分维度: 分值”形式")
        raw_effects = {}
    for key, delta in raw_effects.items():
        if key not in criteria:
            errors.add(
                (*path, "effects", key), "引用", f"effects 中的“{key}”不是本卡评分量表的维度"
            )
        elif not isinstance(delta, int) or isinstance(delta, bool) or abs(delta) > MAX_EFFECT:
            errors.add(
                (*path, "effects", key), "分值", f"分值须为 -{MAX_EFFECT} 到 {MAX_EFFECT} 的整数"
            )
        else:
            effects[key] = delta
    sets = item.get("sets") or []
    if not isinstance(sets, list) or not all(isinstance(s, str) and s.strip() for s in sets):
        errors.add((*path, "sets"), "格式", "sets 须为标记名的列表")
        sets = []
    keywords: tuple[str, ...] = ()
    min_matches = 1
    if typed:
        keywords = tuple(_str_list(item, "keywords", errors, path, required=True))
        min_matches = item.get("min_matches", 1)
        if not isinstance(min_matches, int) or not 1 <= min_matches <= max(1, len(keywords)):
            errors.add((*path, "min_matches"), "取值", "min_matches 须为 1 到关键词个数之间的整数")
            min_matches = 1
    return Choice(
        choice_id,
        text,
        branches,
        effects,
        _text(item.get("feedback")),
        tuple(s.strip() for s in sets),
        keywords,
        min_matches,
    )


def _branches(value, path: tuple, errors: _Errors) -> tuple[Branch, ...]:
    if isinstance(value, str) and value.strip():
        return (Branch(value.strip()),)
    if not isinstance(value, list) or not value:
        errors.add(path, "死路", "goto 须为节点或结局的 id，或条件分支列表")
        return ()
    branches = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not _text(item.get("to")):
            errors.add((*path, i), "格式", "条件分支须写成 {if: 标记, to: 目标} 或 {to: 目标}")
            continue
        branches.append(Branch(_text(item["to"]), _text(item.get("if")), _text(item.get("unless"))))
    if branches and (branches[-1].if_flag or branches[-1].unless_flag):
        errors.add((*path, len(value) - 1), "死路", "条件分支的最后一项须为不带条件的 {to: 目标}")
    return tuple(branches)


def _endings(value, errors: _Errors) -> list[Ending]:
    if not isinstance(value, list) or not value:
        errors.add(("endings",), "格式", "endings（结局）须为非空列表")
        return []
    endings = []
    for i, item in enumerate(value):
        path = ("endings", i)
        if not isinstance(item, dict):
            errors.add(path, "格式", f"第 {i + 1} 个结局须为“键: 值”形式")
            continue
        ending_id = _text(item.get("id"))
        if not NODE_ID_RE.fullmatch(ending_id):
            errors.add((*path, "id"), "取值", "结局 id 须为 1–40 位字母、数字、下划线或连字符")
        outcome = _text(item.get("outcome"))
        if outcome not in OUTCOMES:
            errors.add((*path, "outcome"), "取值", f"outcome 须为以下之一：{'、'.join(OUTCOMES)}")
        title = _require_text(item, "title", errors, path, 60)
        text = _require_text(item, "text", errors, path)
        endings.append(Ending(ending_id, outcome, title, text))
    return endings


def _moves(node: Node) -> tuple[Choice, ...]:
    return node.options + node.intents


def _check_graph(sim: Simulation, data: dict, errors: _Errors) -> None:
    """Unique ids, existing targets, no loops, every node and ending reachable."""
    node_index: dict[str, int] = {}
    for i, node in enumerate(sim.nodes):
        if node.id in node_index:
            errors.add(("nodes", i, "id"), "重复", f"节点 id“{node.id}”重复")
        node_index.setdefault(node.id, i)
    ending_index: dict[str, int] = {}
    for i, ending in enumerate(sim.endings):
        if ending.id in ending_index or ending.id in node_index:
            errors.add(("endings", i, "id"), "重复", f"结局 id“{ending.id}”与其他节点或结局重复")
        ending_index.setdefault(ending.id, i)
    if sim.start not in node_index:
        errors.add(("start",), "引用", f"start“{sim.start}”不是任何节点的 id")
    flags_set = {flag for node in sim.nodes for move in _moves(node) for flag in move.sets}
    for i, node in enumerate(sim.nodes):
        paths = [("nodes", i, "options", j) for j in range(len(node.options))]
        paths += [("nodes", i, "ask", "intents", j) for j in range(len(node.intents))]
        for base, move in zip(paths, _moves(node), strict=True):
            single = isinstance(_raw(data, base).get("goto"), str)
            for k, branch in enumerate(move.branches):
                where = (*base, "goto") if single else (*base, "goto", k)
                if branch.to not in node_index and branch.to not in ending_index:
                    errors.add(where, "引用", f"goto 指向不存在的节点或结局“{branch.to}”")
                for flag in (branch.if_flag, branch.unless_flag):
                    if flag and flag not in flags_set:
                        errors.add(where, "引用", f"条件标记“{flag}”从未被任何应对设置（sets）")
    if errors.items:
        return
    cycle = _find_cycle(sim)
    if cycle:
        errors.add(
            ("nodes", node_index[cycle[0]]),
            "循环",
            f"情节出现循环：{' → '.join(cycle)}；练习可能无法结束",
        )
        return
    reached = _reachable(sim)
    if reached is None:
        errors.add(("nodes",), "规模", f"条件分支组合过多（超过 {MAX_STATES} 种状态），请减少标记")
        return
    for node in sim.nodes:
        if node.id not in reached:
            errors.add(("nodes", node_index[node.id]), "不可达", f"节点“{node.id}”从开始无法到达")
    for ending in sim.endings:
        if ending.id not in reached:
            errors.add(
                ("endings", ending_index[ending.id]), "不可达", f"结局“{ending.id}”从开始无法到达"
            )


def _raw(data, path: tuple) -> dict:
    for key in path:
        data = data[key]
    return data


def _find_cycle(sim: Simulation) -> list[str]:
    """A loop among nodes (ignoring conditions), as a path that returns to its start."""
    nodes = {n.id: n for n in sim.nodes}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished

    def visit(node_id: str, trail: list[str]) -> list[str]:
        state[node_id] = 1
        for move in _moves(nodes[node_id]):
            for branch in move.branches:
                if branch.to not in nodes:
                    continue
                if state.get(branch.to) == 1:
                    return [*trail[trail.index(branch.to) :], branch.to]
                if branch.to not in state:
                    found = visit(branch.to, [*trail, branch.to])
                    if found:
                        return found
        state[node_id] = 2
        return []

    for node in sim.nodes:
        if node.id not in state:
            found = visit(node.id, [node.id])
            if found:
                return found
    return []


def _reachable(sim: Simulation) -> set[str] | None:
    """Ids of nodes and endings reachable from the start, following the flags choices set."""
    nodes = {n.id: n for n in sim.nodes}
    start = (sim.start, frozenset())
    seen = {start}
    queue = deque([start])
    reached = {sim.start}
    while queue:
        node_id, flags = queue.popleft()
        for move in _moves(nodes[node_id]):
            after = flags | set(move.sets)
            target = move.target(after)
            reached.add(target)
            if target in nodes and (target, after) not in seen:
                if len(seen) >= MAX_STATES:
                    return None
                seen.add((target, after))
                queue.append((target, after))
    return reached


def best_scores(sim: Simulation) -> dict[str, int]:
    """The highest total of each criterion that any path from the start can reach."""
    nodes = {n.id: n for n in sim.nodes}
    memo: dict[tuple[str, frozenset], dict[str, int]] = {}

    def best(node_id: str, flags: frozenset) -> dict[str, int]:
        key = (node_id, flags)
        if key not in memo:
            outcomes = []
            for move in _moves(nodes[node_id]):
                after = flags | set(move.sets)
                target = move.target(after)
                rest = best(target, after) if target in nodes else {}
                outcomes.append((move.effects, rest))
            criteria = {c for effects, rest in outcomes for c in (*effects, *rest)}
            memo[key] = {
                c: max(effects.get(c, 0) + rest.get(c, 0) for effects, rest in outcomes)
                for c in criteria
            }
        return memo[key]

    return {k: v for k, v in best(sim.start, frozenset()).items() if v > 0}


# ---------------------------------------------------------------- storage


def simulation_to_data(sim: Simulation) -> dict:
    """A JSON-ready dict that ``simulation_from_data`` turns back into the same Simulation."""

    def move(c: Choice) -> dict:
        return {
            "id": c.id,
            "text": c.text,
            "branches": [[b.to, b.if_flag, b.unless_flag] for b in c.branches],
            "effects": dict(c.effects),
            "feedback": c.feedback,
            "sets": list(c.sets),
            "keywords": list(c.keywords),
            "min_matches": c.min_matches,
        }

    return {
        "start": sim.start,
        "intro": sim.intro,
        "hours": sim.hours,
        "best": dict(sim.best),
        "nodes": [
            {
                "id": n.id,
                "scene": n.scene,
                "says": n.says,
                "options": [move(c) for c in n.options],
                "prompt": n.prompt,
                "intents": [move(c) for c in n.intents],
                "fallback": n.fallback,
            }
            for n in sim.nodes
        ],
        "endings": [
            {"id": e.id, "outcome": e.outcome, "title": e.title, "text": e.text}
            for e in sim.endings
        ],
    }


def simulation_from_data(data: dict) -> Simulation:
    """Rebuild a Simulation stored with ``simulation_to_data``."""

    def move(d: dict) -> Choice:
        return Choice(
            d["id"],
            d["text"],
            tuple(Branch(*b) for b in d["branches"]),
            dict(d["effects"]),
            d["feedback"],
            tuple(d["sets"]),
            tuple(d["keywords"]),
            d["min_matches"],
        )

    return Simulation(
        start=data["start"],
        intro=data["intro"],
        hours=data["hours"],
        best=dict(data["best"]),
        nodes=tuple(
            Node(
                n["id"],
                n["scene"],
                n["says"],
                tuple(move(c) for c in n["options"]),
                n["prompt"],
                tuple(move(c) for c in n["intents"]),
                n["fallback"],
            )
            for n in data["nodes"]
        ),
        endings=tuple(Ending(**e) for e in data["endings"]),
    )
