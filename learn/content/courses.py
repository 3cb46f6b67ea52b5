"""Course content: ``courses/<id>/course.md``, ``lessons/NN-key.md`` and ``questions.yaml``.

``load_courses(root)`` parses and validates every course folder under ``root``
(the ``drills`` folder belongs to the mock-talk cards and is skipped) and
returns frozen ``CourseDoc``s, or raises ``ContentProblems`` carrying every
problem found, each with its file and line. The format is documented in
docs/content-authoring.md. ``dump_course`` writes a ``CourseDoc`` back to the
same layout, so courses written in the browser export to files that load again.

No Flask and no database here; the vocabularies below mirror the enums of the
accounts and org domains (a test keeps them in step).
"""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from learn.content.base import ContentError, ContentProblems, read_front_matter

SKIPPED_FOLDERS = {"drills"}
COURSE_FILE = "course.md"
LESSONS_FOLDER = "lessons"
QUESTIONS_FILE = "questions.yaml"

COURSE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
LESSON_FILE_RE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]{0,62})\.md$")
QUESTION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
CASE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,79}$")

TRAINING_TYPES = ("初任培训", "任职培训", "在职培训", "专题培训", "集中轮训")
REQUIREMENTS = ("必修", "选修")
REQUIRED, ELECTIVE = REQUIREMENTS
CATEGORIES = ("新进干部", "青年干部", "镇纪委干部", "派驻干部", "领导干部")
RANK_BANDS = ("县处级", "乡科级及以下")
UNIT_TYPES = ("县纪委监委机关", "纪检监察室", "派驻纪检监察组", "镇纪委", "机关纪委", "片区协作组")
QUESTION_TYPES = {"single": "单选题", "multiple": "多选题", "truefalse": "判断题"}
LETTERS = "ABCDEFGH"

TITLE_MAX, SUMMARY_MAX, HOURS_MAX = 120, 200, 100
MAX_OPTIONS = len(LETTERS)
COURSE_KEYS = {
    "id",
    "title",
    "summary",
    "hours",
    "training_type",
    "audiences",
    "quiz",
    "cites_cases",
}
RULE_KEYS = {"categories", "rank_bands", "unit_types", "everyone", "requirement"}
QUIZ_KEYS = {"draw", "pass_mark", "max_attempts"}
LESSON_KEYS = {"title", "minutes"}
QUESTION_KEYS = {"id", "type", "stem", "options", "answer", "explanation"}


@dataclass(frozen=True)
class AudienceRule:
    """One 分级分类 rule: who it matches, and whether the course is 必修 or 选修 for them."""

    requirement: str
    everyone: bool = False
    categories: tuple[str, ...] = ()
    rank_bands: tuple[str, ...] = ()
    unit_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuizSpec:
    draw: int
    pass_mark: int  # percent
    max_attempts: int


@dataclass(frozen=True)
class LessonDoc:
    key: str
    position: int
    title: str
    minutes: int | None
    body: str


@dataclass(frozen=True)
class QuestionDoc:
    key: str
    qtype: str
    stem: str
    options: tuple[str, ...]
    answer: tuple[str, ...]  # option letters; ("true",) / ("false",) for 判断题
    explanation: str


@dataclass(frozen=True)
class CourseDoc:
    slug: str
    title: str
    summary: str
    hours: Decimal
    training_type: str
    audiences: tuple[AudienceRule, ...]
    intro: str
    lessons: tuple[LessonDoc, ...]
    questions: tuple[QuestionDoc, ...] = ()
    quiz: QuizSpec | None = None
    cites_cases: tuple[str, ...] = ()
    content_hash: str = field(default="", compare=False)


class _Lines:
    """Line numbers of every key and list item of a YAML text, by path."""

    def __init__(self, text: str, first_line: int):
        self._lines: dict[tuple, int] = {}
        try:
            node = yaml.compose(text)
        except yaml.YAMLError:
            node = None
        if node is not None:
            self._walk(node, first_line, ())

    def _walk(self, node, first_line: int, path: tuple) -> None:
        self._lines.setdefault(path, first_line + node.start_mark.line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    self._lines[(*path, key.value)] = first_line + key.start_mark.line
                    self._walk(value, first_line, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, first_line, (*path, i))

    def __call__(self, *path) -> int:
        while path and path not in self._lines:
            path = path[:-1]
        return self._lines.get(path, 1)


class _Problems:
    """Collects errors for one file."""

    def __init__(self, path: str, lines: _Lines):
        self.path = path
        self.lines = lines
        self.errors: list[ContentError] = []

    def add(self, path: tuple, rule: str, message: str) -> None:
        self.errors.append(ContentError(self.path, self.lines(*path), rule, message))


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(meta: dict, key: str, problems: _Problems, path: tuple, limit: int) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add((*path, key), "必填", f"缺少 {key}，须为非空文字")
        return ""
    if len(value.strip()) > limit:
        problems.add((*path, key), "长度", f"{key} 不能超过 {limit} 个字符")
    return value.strip()


def _unknown_keys(meta: dict, allowed: set, problems: _Problems, path: tuple) -> None:
    for key in meta:
        if key not in allowed:
            known = "、".join(sorted(allowed))
            problems.add((*path, key), "未知字段", f"不认识的字段 {key}（可用：{known}）")


def _hours(value, problems: _Problems) -> Decimal:
    try:
        hours = Decimal(str(value)) if _is_number(value) else None
    except InvalidOperation:
        hours = None
    if hours is None or not 0 < hours <= HOURS_MAX or (hours * 2) % 1:
        problems.add(("hours",), "学时", f"hours 须为 0.5 的整数倍，介于 0.5 与 {HOURS_MAX} 之间")
        return Decimal(0)
    return hours


def _choice_list(rule: dict, key: str, allowed, problems: _Problems, path: tuple) -> tuple:
    if key not in rule:
        return ()
    values = rule[key]
    if not isinstance(values, list) or not values:
        problems.add((*path, key), "适用对象", f"{key} 须为非空列表，如 [{allowed[0]}]")
        return ()
    for i, value in enumerate(values):
        if value not in allowed:
            problems.add(
                (*path, key, i),
                "适用对象",
                f"{key} 中的“{value}”无效，可用：{'、'.join(allowed)}",
            )
    return tuple(str(v) for v in values)


def _audience_rule(rule, problems: _Problems, path: tuple) -> AudienceRule | None:
    if not isinstance(rule, dict):
        problems.add(path, "适用对象", "每条规则须为“键: 值”形式")
        return None
    _unknown_keys(rule, RULE_KEYS, problems, path)
    requirement = rule.get("requirement")
    if requirement not in REQUIREMENTS:
        problems.add((*path, "requirement"), "适用对象", "requirement 须为 必修 或 选修")
    everyone = rule.get("everyone", False)
    if everyone not in (True, False):
        problems.add((*path, "everyone"), "适用对象", "everyone 只能写 true")
    categories = _choice_list(rule, "categories", CATEGORIES, problems, path)
    rank_bands = _choice_list(rule, "rank_bands", RANK_BANDS, problems, path)
    unit_types = _choice_list(rule, "unit_types", UNIT_TYPES, problems, path)
    narrowed = bool(categories or rank_bands or unit_types)
    if everyone is True and narrowed:
        problems.add(path, "适用对象", "everyone: true 不能与 categories 等条件同时使用")
    if everyone is not True and not narrowed:
        problems.add(
            path, "适用对象", "规则须写 everyone: true，或至少一个 categories/rank_bands/unit_types"
        )
    return AudienceRule(str(requirement), everyone is True, categories, rank_bands, unit_types)


def _audiences(meta: dict, problems: _Problems) -> tuple[AudienceRule, ...]:
    rules = meta.get("audiences")
    if not isinstance(rules, list) or not rules:
        problems.add(("audiences",), "必填", "缺少 audiences（适用对象规则列表）")
        return ()
    parsed = (_audience_rule(rule, problems, ("audiences", i)) for i, rule in enumerate(rules))
    return tuple(r for r in parsed if r is not None)


def _int_in(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _quiz(meta: dict, problems: _Problems) -> QuizSpec | None:
    quiz = meta.get("quiz")
    if quiz is None:
        return None
    if not isinstance(quiz, dict):
        problems.add(("quiz",), "测验", "quiz 须包含 draw、pass_mark、max_attempts")
        return None
    _unknown_keys(quiz, QUIZ_KEYS, problems, ("quiz",))
    before = len(problems.errors)
    checks = {
        "draw": (1, 100, "每次抽题数 draw 须为 1–100 的整数"),
        "pass_mark": (1, 100, "合格分 pass_mark 须为 1–100 的整数（百分制）"),
        "max_attempts": (1, 20, "测验次数上限 max_attempts 须为 1–20 的整数"),
    }
    for key, (low, high, message) in checks.items():
        if not _int_in(quiz.get(key), low, high):
            problems.add(("quiz", key), "测验", message)
    if len(problems.errors) > before:
        return None
    return QuizSpec(quiz["draw"], quiz["pass_mark"], quiz["max_attempts"])


def _cites(meta: dict, problems: _Problems) -> tuple[str, ...]:
    cites = meta.get("cites_cases", [])
    if not isinstance(cites, list):
        problems.add(("cites_cases",), "引用案例", "cites_cases 须为案例 id 列表")
        return ()
    for i, case_id in enumerate(cites):
        if not isinstance(case_id, str) or not CASE_ID_RE.match(case_id):
            problems.add(
                ("cites_cases", i), "引用案例", f"案例 id “{case_id}”须为小写字母、数字和连字符"
            )
    if len(set(cites)) != len(cites):
        problems.add(("cites_cases",), "引用案例", "cites_cases 中有重复的案例 id")
    return tuple(str(c) for c in cites)


def parse_course_meta(meta: dict, problems: _Problems, folder_name: str | None) -> dict:
    """Check the front matter of course.md; return the parsed fields."""
    _unknown_keys(meta, COURSE_KEYS, problems, ())
    slug = meta.get("id")
    if not isinstance(slug, str) or not COURSE_ID_RE.match(slug):
        problems.add(("id",), "id", "id 须为 3–64 位小写字母、数字或连字符，且以字母或数字开头")
        slug = ""
    elif folder_name is not None and slug != folder_name:
        problems.add(("id",), "id", f"id “{slug}”须与文件夹名“{folder_name}”一致")
    training_type = meta.get("training_type")
    if training_type not in TRAINING_TYPES:
        problems.add(
            ("training_type",), "培训类型", f"training_type 须为：{'、'.join(TRAINING_TYPES)}"
        )
    return {
        "slug": slug,
        "title": _text(meta, "title", problems, (), TITLE_MAX),
        "summary": _text(meta, "summary", problems, (), SUMMARY_MAX),
        "hours": _hours(meta.get("hours"), problems),
        "training_type": str(training_type),
        "audiences": _audiences(meta, problems),
        "quiz": _quiz(meta, problems),
        "cites_cases": _cites(meta, problems),
    }


def check_course_meta(meta: dict) -> tuple[dict, list[str]]:
    """Apply the course.md rules to fields typed in the browser; return fields and messages."""
    problems = _Problems("", _Lines("", 1))
    fields = parse_course_meta(meta, problems, None)
    return fields, [e.message for e in problems.errors]


def check_question(data: dict) -> tuple["QuestionDoc | None", list[str]]:
    """Apply the questions.yaml rules to one question typed in the browser."""
    problems = _Problems("", _Lines("", 1))
    question = parse_question(data, problems, ())
    return question, [e.message for e in problems.errors]


def _read(path: Path, shown: str, errors: list[ContentError]):
    """Read a front-matter file; on a malformed header record the problem and return None."""
    try:
        return read_front_matter(path, shown)
    except ContentProblems as exc:
        errors.extend(exc.errors)
        return None


def _header_lines(path: Path) -> _Lines:
    lines = path.read_text(encoding="utf-8").splitlines()
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    return _Lines("\n".join(lines[1:end]), 2)


def _lesson(path: Path, shown: str, position: int, key: str, errors) -> LessonDoc | None:
    parsed = _read(path, shown, errors)
    if parsed is None:
        return None
    problems = _Problems(shown, _header_lines(path))
    _unknown_keys(parsed.meta, LESSON_KEYS, problems, ())
    title = _text(parsed.meta, "title", problems, (), TITLE_MAX)
    minutes = parsed.meta.get("minutes")
    if minutes is not None and not _int_in(minutes, 1, 600):
        problems.add(("minutes",), "时长", "minutes 须为 1–600 的整数（预计学习分钟数）")
    if not parsed.body.strip():
        problems.errors.append(ContentError(shown, parsed.body_line, "正文", "课时正文不能为空"))
    errors.extend(problems.errors)
    if problems.errors:
        return None
    return LessonDoc(key, position, title, minutes, parsed.body.strip() + "\n")


def _lessons(folder: Path, shown: str, errors: list[ContentError]) -> tuple[LessonDoc, ...]:
    lessons_dir = folder / LESSONS_FOLDER
    if not lessons_dir.is_dir():
        errors.append(ContentError(f"{shown}/{LESSONS_FOLDER}", 1, "课时", "缺少 lessons 文件夹"))
        return ()
    lessons: list[LessonDoc] = []
    seen_numbers: dict[int, str] = {}
    seen_keys: dict[str, str] = {}
    files = sorted(p for p in lessons_dir.iterdir() if p.suffix == ".md")
    for path in files:
        file_shown = f"{shown}/{LESSONS_FOLDER}/{path.name}"
        match = LESSON_FILE_RE.match(path.name)
        if not match:
            errors.append(
                ContentError(file_shown, 1, "文件名", "课时文件名须为“两位序号-小写字母.md”")
            )
            continue
        number, key = int(match.group(1)), match.group(2)
        for seen, value, what in ((seen_numbers, number, "序号"), (seen_keys, key, "名称")):
            if value in seen:
                errors.append(
                    ContentError(file_shown, 1, "文件名", f"与 {seen[value]} 的{what}重复")
                )
            seen[value] = path.name
        lesson = _lesson(path, file_shown, number, key, errors)
        if lesson is not None:
            lessons.append(lesson)
    if not files:
        errors.append(ContentError(f"{shown}/{LESSONS_FOLDER}", 1, "课时", "至少需要一个课时文件"))
    return tuple(lessons)


def _answer(q: dict, qtype: str, options: tuple, problems: _Problems, path: tuple) -> tuple:
    answer = q.get("answer")
    where = (*path, "answer")
    if qtype == "truefalse":
        if answer not in (True, False):
            problems.add(where, "答案", "判断题的 answer 须为 true 或 false")
            return ()
        return ("true",) if answer else ("false",)
    letters = LETTERS[: len(options)]
    if qtype == "single":
        if not isinstance(answer, str) or answer not in letters or len(answer) != 1:
            problems.add(
                where, "答案", f"单选题的 answer 须为一个字母（{letters[:1]}–{letters[-1:]}）"
            )
            return ()
        return (answer,)
    if (
        not isinstance(answer, list)
        or len(answer) < 2
        or len(set(answer)) != len(answer)
        or any(not isinstance(a, str) or a not in letters for a in answer)
    ):
        problems.add(
            where, "答案", f"多选题的 answer 须为至少两个不重复的字母，如 [A, C]（可用 {letters}）"
        )
        return ()
    return tuple(sorted(answer))


def _options(q: dict, qtype: str, problems: _Problems, path: tuple) -> tuple[str, ...]:
    options = q.get("options")
    if qtype == "truefalse":
        if options is not None:
            problems.add((*path, "options"), "选项", "判断题不写 options")
        return ()
    if (
        not isinstance(options, list)
        or not 2 <= len(options) <= MAX_OPTIONS
        or any(not isinstance(o, str | int | float) or not str(o).strip() for o in options)
    ):
        problems.add((*path, "options"), "选项", f"options 须为 2–{MAX_OPTIONS} 个非空选项")
        return ()
    return tuple(str(o).strip() for o in options)


def parse_question(q, problems: _Problems, path: tuple) -> QuestionDoc | None:
    """Check one question of a bank; None when it has problems (recorded in ``problems``)."""
    before = len(problems.errors)
    if not isinstance(q, dict):
        problems.add(path, "题目", "每道题须为“键: 值”形式")
        return None
    _unknown_keys(q, QUESTION_KEYS, problems, path)
    key = q.get("id")
    if not isinstance(key, str) or not QUESTION_ID_RE.match(key):
        problems.add((*path, "id"), "题号", "id 须为 1–32 位字母、数字、下划线或连字符，如 q01")
    qtype = q.get("type")
    if qtype not in QUESTION_TYPES:
        problems.add((*path, "type"), "题型", "type 须为 single、multiple 或 truefalse")
        return None
    stem = _text(q, "stem", problems, path, 1000)
    explanation = _text(q, "explanation", problems, path, 2000)
    options = _options(q, qtype, problems, path)
    answer = _answer(q, qtype, options, problems, path)
    if len(problems.errors) > before:
        return None
    return QuestionDoc(key, qtype, stem, options, answer, explanation)


def _questions(folder: Path, shown: str, errors: list[ContentError]) -> tuple[QuestionDoc, ...]:
    path = folder / QUESTIONS_FILE
    shown = f"{shown}/{QUESTIONS_FILE}"
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.append(ContentError(shown, mark.line + 1 if mark else 1, "YAML", f"无法解析：{exc}"))
        return ()
    problems = _Problems(shown, _Lines(text, 1))
    if not isinstance(data, list) or not data:
        problems.add((), "题库", "题库须为题目列表（每题以“- id:”开始）")
        errors.extend(problems.errors)
        return ()
    questions = []
    seen: set[str] = set()
    for i, item in enumerate(data):
        question = parse_question(item, problems, (i,))
        if question is None:
            continue
        if question.key in seen:
            problems.add((i, "id"), "题号", f"题号 {question.key} 重复")
        seen.add(question.key)
        questions.append(question)
    errors.extend(problems.errors)
    return tuple(questions)


def content_hash(folder: Path) -> str:
    """SHA-256 over every file of a course folder (names and bytes), to skip unchanged ones."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_course(folder: Path, shown: str) -> tuple[CourseDoc | None, list[ContentError]]:
    """Parse one course folder; return the course (None when invalid) and its problems."""
    errors: list[ContentError] = []
    course_path = folder / COURSE_FILE
    if not course_path.is_file():
        return None, [ContentError(f"{shown}/{COURSE_FILE}", 1, "文件", "缺少 course.md")]
    course_shown = f"{shown}/{COURSE_FILE}"
    parsed = _read(course_path, course_shown, errors)
    fields = {}
    if parsed is not None:
        problems = _Problems(course_shown, _header_lines(course_path))
        fields = parse_course_meta(parsed.meta, problems, folder.name)
        if not parsed.body.strip():
            problems.errors.append(
                ContentError(course_shown, parsed.body_line, "正文", "course.md 须有课程导言正文")
            )
        errors.extend(problems.errors)
    lessons = _lessons(folder, shown, errors)
    questions: tuple[QuestionDoc, ...] = ()
    if (folder / QUESTIONS_FILE).is_file():
        questions = _questions(folder, shown, errors)
    quiz = fields.get("quiz")
    if quiz is not None and not errors and quiz.draw > len(questions):
        line = _header_lines(course_path)("quiz", "draw")
        errors.append(
            ContentError(
                course_shown,
                line,
                "测验",
                f"每次抽 {quiz.draw} 题，但 {QUESTIONS_FILE} 只有 {len(questions)} 道题",
            )
        )
    if errors:
        return None, errors
    course = CourseDoc(
        intro=parsed.body.strip() + "\n",
        lessons=lessons,
        questions=questions,
        content_hash=content_hash(folder),
        **fields,
    )
    return course, []


def course_folders(root: Path) -> list[Path]:
    """The course folders under ``root``: every visible folder except the drill cards'."""
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and p.name not in SKIPPED_FOLDERS
    )


def load_courses(root: Path) -> list[CourseDoc]:
    """Parse and validate every course under ``root``; raise ContentProblems listing all errors."""
    root = Path(root)
    if not root.is_dir():
        raise ContentProblems([ContentError(str(root), 1, "文件夹", "课程文件夹不存在")])
    courses, errors = [], []
    for folder in course_folders(root):
        course, problems = load_course(folder, f"{root.name}/{folder.name}")
        errors.extend(problems)
        if course is not None:
            courses.append(course)
    if errors:
        raise ContentProblems(errors)
    return courses


def _yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")


def _rule_dict(rule: AudienceRule) -> dict:
    data: dict = {}
    if rule.everyone:
        data["everyone"] = True
    for key in ("categories", "rank_bands", "unit_types"):
        if getattr(rule, key):
            data[key] = list(getattr(rule, key))
    data["requirement"] = rule.requirement
    return data


def _hours_value(hours: Decimal) -> int | float:
    return int(hours) if hours == hours.to_integral_value() else float(hours)


def _question_dict(q: QuestionDoc) -> dict:
    data: dict = {"id": q.key, "type": q.qtype, "stem": q.stem}
    if q.qtype == "truefalse":
        data["answer"] = q.answer == ("true",)
    else:
        data["options"] = list(q.options)
        data["answer"] = q.answer[0] if q.qtype == "single" else list(q.answer)
    data["explanation"] = q.explanation
    return data


def dump_course(course: CourseDoc) -> dict[str, str]:
    """The files of a course folder (relative path → text), in the format ``load_course`` reads."""
    meta: dict = {
        "id": course.slug,
        "title": course.title,
        "summary": course.summary,
        "hours": _hours_value(course.hours),
        "training_type": course.training_type,
        "audiences": [_rule_dict(r) for r in course.audiences],
    }
    if course.quiz is not None:
        meta["quiz"] = {
            "draw": course.quiz.draw,
            "pass_mark": course.quiz.pass_mark,
            "max_attempts": course.quiz.max_attempts,
        }
    if course.cites_cases:
        meta["cites_cases"] = list(course.cites_cases)
    files = {COURSE_FILE: f"---\n{_yaml(meta)}\n---\n{course.intro.strip()}\n"}
    for lesson in course.lessons:
        lesson_meta: dict = {"title": lesson.title}
        if lesson.minutes:
            lesson_meta["minutes"] = lesson.minutes
        name = f"{LESSONS_FOLDER}/{lesson.position:02d}-{lesson.key}.md"
        files[name] = f"---\n{_yaml(lesson_meta)}\n---\n{lesson.body.strip()}\n"
    if course.questions:
        files[QUESTIONS_FILE] = _yaml([_question_dict(q) for q in course.questions]) + "\n"
    return files
