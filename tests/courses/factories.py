"""Course factories: real course folders written to disk and synced like `learn content sync`."""

from decimal import Decimal
from pathlib import Path

from learn.content.courses import (
    AudienceRule,
    CourseDoc,
    LessonDoc,
    QuestionDoc,
    QuizSpec,
    dump_course,
    load_courses,
)
from learn.courses import services
from learn.courses.sync import sync_courses
from learn.extensions import db

EVERYONE_REQUIRED = (AudienceRule("必修", everyone=True),)
EVERYONE_ELECTIVE = (AudienceRule("选修", everyone=True),)
DEFAULT_QUIZ = QuizSpec(2, 100, 2)

LESSON_BODY = """## 要点

本讲围绕监督检查中的常见问题展开，说明依据、做法和容易出错的地方。

> 规则原文以正式文本为准。

- 第一条要点
- 第二条要点
"""


def question_docs(count: int) -> tuple[QuestionDoc, ...]:
    """``count`` questions cycling through the three types; answers are A / [A, C] / true."""
    docs = []
    for i in range(1, count + 1):
        kind = ("single", "multiple", "truefalse")[(i - 1) % 3]
        if kind == "single":
            docs.append(
                QuestionDoc(f"q{i:02d}", kind, f"单选题{i}", ("甲", "乙", "丙"), ("A",), f"解析{i}")
            )
        elif kind == "multiple":
            docs.append(
                QuestionDoc(
                    f"q{i:02d}",
                    kind,
                    f"多选题{i}",
                    ("甲", "乙", "丙", "丁"),
                    ("A", "C"),
                    f"解析{i}",
                )
            )
        else:
            docs.append(QuestionDoc(f"q{i:02d}", kind, f"判断题{i}", (), ("true",), f"解析{i}"))
    return tuple(docs)


def course_doc(
    slug: str = "ceshi-kecheng",
    *,
    title: str = "测试课程",
    hours: Decimal | str = "2",
    lessons: int = 2,
    questions: int = 4,
    quiz: QuizSpec | None = DEFAULT_QUIZ,
    audiences: tuple[AudienceRule, ...] = EVERYONE_REQUIRED,
    training_type: str = "专题培训",
    cites_cases: tuple[str, ...] = (),
    lesson_body: str = LESSON_BODY,
) -> CourseDoc:
    return CourseDoc(
        slug=slug,
        title=title,
        summary=f"{title}的简介。",
        hours=Decimal(str(hours)),
        training_type=training_type,
        audiences=audiences,
        intro="课程导言。\n",
        lessons=tuple(
            LessonDoc(f"lesson-{n}", n, f"第{n}讲", 20, lesson_body) for n in range(1, lessons + 1)
        ),
        questions=question_docs(questions),
        quiz=quiz if questions else None,
        cites_cases=cites_cases,
    )


def write_course(root: Path, doc: CourseDoc) -> Path:
    """Write ``doc`` as a course folder under ``root``."""
    folder = root / doc.slug
    for name, text in dump_course(doc).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def sync_folder(root: Path):
    """Load and sync ``root`` like `learn content sync`, then commit."""
    report = sync_courses(load_courses(root))
    db.session.commit()
    return report


def make_course(tmp_path: Path, slug: str = "ceshi-kecheng", **kwargs):
    """Write, sync and return one published course."""
    root = tmp_path / "courses"
    root.mkdir(exist_ok=True)
    write_course(root, course_doc(slug, **kwargs))
    sync_folder(root)
    return services.get_course(slug)
