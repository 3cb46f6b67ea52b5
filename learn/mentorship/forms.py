"""Mentorship forms (input shape only; the rules live in the services)."""

from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from learn.core.timefmt import local_today
from learn.mentorship.models import (
    GoalArea,
    Grade,
    MeetingRhythm,
    MeetingType,
    ProgressMode,
    VisitKind,
)

DATE_MESSAGE = "请填写有效日期，格式如 2026-03-01。"
LONG_TEXT = 4000


class LocalDateField(DateField):
    """A date field whose parse error is in Chinese."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(DATE_MESSAGE) from exc


def _date(label: str, **kw) -> DateField:
    return LocalDateField(
        label, validators=[InputRequired(DATE_MESSAGE)], render_kw={"inputmode": "numeric"}, **kw
    )


def _one_year_on() -> object:
    return local_today() + timedelta(days=365)


class PairingForm(FlaskForm):
    mentor_id = SelectField("导师", coerce=int, validators=[DataRequired("请选择导师。")])
    mentee_id = SelectField("学员（徒弟）", coerce=int, validators=[DataRequired("请选择学员。")])
    start_on = _date("帮带开始日期", default=local_today)
    end_on = _date("帮带结束日期", default=_one_year_on, description="一般为一年。")


class AgreementForm(FlaskForm):
    measures = TextAreaField(
        "帮带措施",
        validators=[Optional(), Length(max=LONG_TEXT)],
        description="例如：每季度共同研读一起典型案例；带学员参与一次监督检查；每月交流一次读书心得。",
    )
    meeting_rhythm = SelectField("见面频次", choices=[(r.value, r.label) for r in MeetingRhythm])


class GoalForm(FlaskForm):
    area = SelectField("所属方面", choices=[(a.value, a.label) for a in GoalArea])
    title = StringField("目标", validators=[DataRequired("请填写目标。"), Length(max=120)])
    detail = TextAreaField("具体要求", validators=[Optional(), Length(max=LONG_TEXT)])


class MilestoneForm(FlaskForm):
    title = StringField("里程碑", validators=[DataRequired("请填写里程碑内容。"), Length(max=120)])
    due_day = IntegerField(
        "帮带开始后第几天到期",
        validators=[
            InputRequired("请填写天数。"),
            NumberRange(0, 1098, "请填写 0–1098 之间的天数。"),
        ],
        description="到期日按帮带开始日期推算，例如 90 表示开始后第 90 天。",
        render_kw={"inputmode": "numeric"},
    )


class TaskForm(FlaskForm):
    title = StringField("任务", validators=[DataRequired("请填写任务内容。"), Length(max=120)])
    due_on = LocalDateField("完成期限（可选）", validators=[Optional()])


class CommentForm(FlaskForm):
    body = TextAreaField(
        "评论", validators=[DataRequired("请填写评论内容。"), Length(max=LONG_TEXT)]
    )


class ProgressForm(FlaskForm):
    mode = RadioField(
        "进度计算方式",
        choices=[
            (ProgressMode.TASKS.value, "按任务完成情况自动计算"),
            (ProgressMode.MANUAL.value, "由导师设定"),
        ],
        default=ProgressMode.TASKS.value,
    )
    percent = IntegerField(
        "进度（%）",
        validators=[Optional(), NumberRange(0, 100, "进度须为 0–100 之间的整数。")],
        render_kw={"inputmode": "numeric"},
    )
    note = TextAreaField("依据说明", validators=[Optional(), Length(max=LONG_TEXT)])


class MeetingForm(FlaskForm):
    held_on = _date("见面日期", default=local_today)
    meeting_type = SelectField("形式", choices=[(t.value, t.value) for t in MeetingType])
    topic = StringField("主题", validators=[DataRequired("请填写见面主题。"), Length(max=120)])
    notes = TextAreaField(
        "谈话要点",
        validators=[Optional(), Length(max=LONG_TEXT)],
        description="仅导师、学员本人和培训管理员可见。",
    )
    follow_ups = TextAreaField(
        "后续事项", validators=[Optional(), Length(max=LONG_TEXT)], render_kw={"rows": 3}
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField("原因", validators=[DataRequired("请填写原因。"), Length(max=LONG_TEXT)])


class NoteForm(FlaskForm):
    note = TextAreaField("说明", validators=[Optional(), Length(max=LONG_TEXT)])


class ExtendForm(FlaskForm):
    end_on = _date("新的结束日期")


class VisitForm(FlaskForm):
    visited_on = _date("日期", default=local_today)
    kind = SelectField("形式", choices=[(k.value, k.value) for k in VisitKind])
    topic = StringField("主题", validators=[DataRequired("请填写指导主题。"), Length(max=120)])
    notes = TextAreaField("情况记录", validators=[Optional(), Length(max=LONG_TEXT)])


GRADE_CHOICES = [("", "请选择")] + [(g.value, g.value) for g in Grade]


def self_review_form(goals, review=None):
    """A form with one self-assessment box per goal, plus the overall summary."""

    class SelfReviewForm(FlaskForm):
        summary = TextAreaField(
            "总体自评",
            validators=[DataRequired("请填写总体自评。"), Length(max=LONG_TEXT)],
            description="帮带期间的主要收获、不足和今后努力方向。",
        )

    for goal in goals:
        setattr(
            SelfReviewForm,
            f"goal_{goal.id}",
            TextAreaField(
                f"{goal.area_label}：{goal.title}",
                validators=[DataRequired("请对这项目标进行自评。"), Length(max=LONG_TEXT)],
            ),
        )
    form = SelfReviewForm()
    if review is not None and not form.is_submitted():
        form.summary.data = review.self_summary
        for goal in goals:
            row = review.for_goal(goal.id)
            form[f"goal_{goal.id}"].data = row.self_assessment if row else ""
    return form


def mentor_review_form(goals, review=None):
    """A form with a rating and comment per goal, the overall grade and the conclusion."""

    class MentorReviewForm(FlaskForm):
        grade = SelectField(
            "总体考核等次",
            choices=GRADE_CHOICES,
            validators=[DataRequired("请选择总体考核等次。")],
        )
        conclusion = TextAreaField(
            "考核结论",
            validators=[DataRequired("请填写考核结论。"), Length(max=LONG_TEXT)],
        )

    for goal in goals:
        setattr(
            MentorReviewForm,
            f"rating_{goal.id}",
            SelectField(
                f"评价等次：{goal.title}",
                choices=GRADE_CHOICES,
                validators=[DataRequired("请选择评价等次。")],
            ),
        )
        setattr(
            MentorReviewForm,
            f"comment_{goal.id}",
            TextAreaField(
                f"导师评语：{goal.title}",
                validators=[Optional(), Length(max=LONG_TEXT)],
                render_kw={"rows": 3},
            ),
        )
    form = MentorReviewForm()
    if review is not None and not form.is_submitted():
        form.grade.data = review.mentor_grade or ""
        form.conclusion.data = review.mentor_conclusion
        for goal in goals:
            row = review.for_goal(goal.id)
            if row:
                form[f"rating_{goal.id}"].data = row.rating or ""
                form[f"comment_{goal.id}"].data = row.mentor_comment
    return form
