"""Course forms: the course editor (with audience rules and quiz settings), lessons,
questions, assignment, and the catalogue filters. Shapes only; rules live in services."""

import re
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from learn.content.courses import (
    CATEGORIES,
    QUESTION_TYPES,
    RANK_BANDS,
    REQUIREMENTS,
    TRAINING_TYPES,
    UNIT_TYPES,
)
from learn.courses.authoring import CourseFields

AUDIENCE_ROWS = 4


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class AudienceRuleForm(Form):
    """One 分级分类 rule row; a row without 必修/选修 is ignored."""

    requirement = SelectField(
        "本条规则", choices=[("", "（不使用）")] + [(r, r) for r in REQUIREMENTS], default=""
    )
    everyone = BooleanField("全体干部")
    categories = MultiCheckboxField("干部类别", choices=[(c, c) for c in CATEGORIES])
    rank_bands = MultiCheckboxField("职级", choices=[(r, r) for r in RANK_BANDS])
    unit_types = MultiCheckboxField("单位类型", choices=[(u, u) for u in UNIT_TYPES])

    def as_rule(self) -> dict | None:
        if not self.requirement.data:
            return None
        rule: dict = {"requirement": self.requirement.data}
        if self.everyone.data:
            rule["everyone"] = True
        for key in ("categories", "rank_bands", "unit_types"):
            if getattr(self, key).data:
                rule[key] = list(getattr(self, key).data)
        return rule


class CourseForm(FlaskForm):
    slug = StringField(
        "课程 id",
        validators=[DataRequired("请填写课程 id。"), Length(max=64)],
        description=(
            "小写字母、数字和连字符，如 xiangzhen-jiandu；用于链接和学时台账，创建后不能修改。"
        ),
    )
    title = StringField("课程名称", validators=[DataRequired("请填写课程名称。"), Length(max=120)])
    summary = TextAreaField(
        "简介",
        validators=[DataRequired("请填写简介。"), Length(max=200, message="简介不超过 200 字。")],
    )
    hours = DecimalField(
        "学时",
        places=1,
        validators=[DataRequired("请填写学时。"), NumberRange(Decimal("0.5"), 100)],
        description="完成课程后计入的学时，可为 0.5 的倍数。",
    )
    training_type = SelectField("培训类型", choices=[(t, t) for t in TRAINING_TYPES])
    intro = TextAreaField("课程导言（Markdown）", validators=[DataRequired("请填写课程导言。")])
    audiences = FieldList(FormField(AudienceRuleForm), min_entries=AUDIENCE_ROWS)
    quiz_enabled = BooleanField("设置课后测验")
    quiz_draw = IntegerField("每次抽题数", validators=[Optional(), NumberRange(1, 100)], default=5)
    quiz_pass_mark = IntegerField(
        "合格分（百分制）", validators=[Optional(), NumberRange(1, 100)], default=80
    )
    quiz_max_attempts = IntegerField(
        "测验次数上限", validators=[Optional(), NumberRange(1, 20)], default=3
    )
    cites_cases = StringField(
        "引用案例 id", validators=[Optional(), Length(max=500)], description="多个 id 用逗号分隔。"
    )

    def fields_for_service(self) -> CourseFields:
        quiz = None
        if self.quiz_enabled.data:
            quiz = {
                "draw": self.quiz_draw.data,
                "pass_mark": self.quiz_pass_mark.data,
                "max_attempts": self.quiz_max_attempts.data,
            }
        rules = [row.form.as_rule() for row in self.audiences]
        return CourseFields(
            slug=(self.slug.data or "").strip(),
            title=(self.title.data or "").strip(),
            summary=(self.summary.data or "").strip(),
            hours=self.hours.data,
            training_type=self.training_type.data,
            audiences=[r for r in rules if r is not None],
            quiz=quiz,
            cites_cases=[c for c in re.split(r"[\s,，、]+", self.cites_cases.data or "") if c],
            intro=self.intro.data or "",
        )

    def load(self, course) -> None:
        """Fill the form from a course (GET of the edit page)."""
        self.slug.data = course.slug
        self.title.data = course.title
        self.summary.data = course.summary
        self.hours.data = course.hours
        self.training_type.data = course.training_type
        self.intro.data = course.intro_md
        self.quiz_enabled.data = course.has_quiz
        if course.has_quiz:
            self.quiz_draw.data = course.quiz_draw
            self.quiz_pass_mark.data = course.quiz_pass_mark
            self.quiz_max_attempts.data = course.quiz_max_attempts
        self.cites_cases.data = ", ".join(course.cites_cases)
        for row, rule in zip(self.audiences, course.audiences, strict=False):
            row.form.requirement.data = rule.requirement
            row.form.everyone.data = rule.everyone
            row.form.categories.data = list(rule.categories)
            row.form.rank_bands.data = list(rule.rank_bands)
            row.form.unit_types.data = list(rule.unit_types)


class LessonForm(FlaskForm):
    title = StringField("课时标题", validators=[DataRequired("请填写课时标题。"), Length(max=120)])
    position = IntegerField(
        "序号", validators=[Optional(), NumberRange(1, 99)], description="留空则排在最后。"
    )
    minutes = IntegerField(
        "预计学习分钟数",
        validators=[Optional(), NumberRange(1, 600, "请填写 1–600 之间的分钟数。")],
    )
    body = TextAreaField("正文（Markdown）", validators=[DataRequired("课时正文不能为空。")])


TRUE_WORDS = {"对", "正确", "是", "true", "t", "√", "✓"}
FALSE_WORDS = {"错", "错误", "否", "false", "f", "×", "✗"}


class QuestionForm(FlaskForm):
    qtype = SelectField("题型", choices=list(QUESTION_TYPES.items()))
    stem = TextAreaField("题干", validators=[DataRequired("请填写题干。"), Length(max=1000)])
    options = TextAreaField(
        "选项", description="单选、多选题每行一个选项，依次为 A、B、C……；判断题不填。"
    )
    answer = StringField(
        "正确答案",
        validators=[DataRequired("请填写正确答案。"), Length(max=20)],
        description="单选填一个字母，如 B；多选填多个字母，如 ACD；判断题填“对”或“错”。",
    )
    explanation = TextAreaField(
        "解析", validators=[DataRequired("请填写解析，说明为什么并给出依据。"), Length(max=2000)]
    )

    def as_question(self) -> dict:
        """The fields as a questions.yaml entry (checked by the content rules in the service)."""
        data: dict = {
            "type": self.qtype.data,
            "stem": self.stem.data or "",
            "explanation": self.explanation.data or "",
        }
        raw = (self.answer.data or "").strip()
        if self.qtype.data == "truefalse":
            word = raw.lower()
            data["answer"] = True if word in TRUE_WORDS else False if word in FALSE_WORDS else raw
            return data
        data["options"] = [
            line.strip() for line in (self.options.data or "").splitlines() if line.strip()
        ]
        letters = re.findall(r"[A-Ha-h]", raw)
        letters = [x.upper() for x in letters]
        data["answer"] = (
            letters[0] if self.qtype.data == "single" and len(letters) == 1 else letters
        )
        return data

    def load(self, question) -> None:
        self.qtype.data = question.qtype
        self.stem.data = question.stem
        self.options.data = "\n".join(question.options)
        if question.qtype == "truefalse":
            self.answer.data = "对" if question.answer == ["true"] else "错"
        else:
            self.answer.data = "".join(question.answer)
        self.explanation.data = question.explanation


class AssignForm(FlaskForm):
    unit_id = SelectField("指定给单位（含下级单位）", coerce=int)
    usernames = TextAreaField(
        "或指定给个人",
        validators=[Optional(), Length(max=4000)],
        description="填写用户名，每行一个，或用逗号分隔。",
    )
