"""Forms of the mock-talk pages (input shape only; the rules live in the services)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length

from learn.drills.scoring import LEVEL_LABELS, LEVELS


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class GroupForm(FlaskForm):
    name = StringField(
        "小组名称",
        validators=[DataRequired("请填写小组名称。"), Length(max=60, message="名称不超过 60 字。")],
        description="例如：2026年新进干部模拟谈话第一小组",
    )
    members = MultiCheckboxField(
        "小组成员", coerce=int, description="至少 3 人；组织者本人可不在组内。"
    )


class SessionForm(FlaskForm):
    card = SelectField("案例卡", validators=[DataRequired("请选择案例卡。")], validate_choice=False)
    # Membership is checked by the service, which explains the problem in Chinese.
    lead = SelectField("主谈人", coerce=int, validate_choice=False)
    recorder = SelectField("记录人", coerce=int, validate_choice=False)
    co_talkers = MultiCheckboxField("协谈人（可选）", coerce=int, validate_choice=False)
    subject = SelectField("被谈话人扮演者", coerce=int, validate_choice=False)
    assessors = MultiCheckboxField(
        "评分人", coerce=int, validate_choice=False, description="至少 1 人，可以包括您本人。"
    )
    repeat_allowed = BooleanField(
        "允许重复练习",
        description="默认不给学员分配其做过的案例卡；确需重复练习（如针对性强化）时勾选。",
    )


class PlanForm(FlaskForm):
    talk_plan = TextAreaField(
        "谈话方案",
        validators=[DataRequired("请填写谈话方案。"), Length(max=20000)],
        description="谈话目的、依据、重点问题和提问顺序、可能的辩解及应对、政策把握。",
    )
    safety_plan = TextAreaField(
        "安全预案",
        validators=[DataRequired("请填写安全预案。"), Length(max=20000)],
        description="风险评估（身体、情绪、家庭）、场所与人员分工、安全员、突发情况处置、谈后交接。",
    )


class TranscriptForm(FlaskForm):
    transcript = TextAreaField("谈话笔录", validators=[Length(max=100000)])


class QuestionForm(FlaskForm):
    question = StringField(
        "直接提问",
        validators=[
            DataRequired("请输入要问的话。"),
            Length(max=200, message="问话不超过 200 字。"),
        ],
    )


def assessment_form(rubric: list[dict], checklist: list[dict], formdata=None):
    """A scoring form with one level choice per rubric criterion and one box per checklist item."""

    class AssessmentForm(FlaskForm):
        comments = TextAreaField(
            "点评意见",
            validators=[
                DataRequired("请填写点评意见。"),
                Length(10, 5000, "点评意见须为 10–5000 字。"),
            ],
            description="说明亮点与不足，并给出具体改进建议。",
        )

    for item in rubric:
        choices = [
            (str(level), f"{LEVEL_LABELS[level]}：{item['levels'][level - 1]}") for level in LEVELS
        ]
        field = RadioField(
            f"{item['name']}（权重 {item['weight']}%）",
            choices=choices,
            validators=[InputRequired(f"请为“{item['name']}”选择等级。")],
        )
        setattr(AssessmentForm, f"level_{item['criterion']}", field)
    for item in checklist:
        setattr(AssessmentForm, f"check_{item['id']}", BooleanField(item["text"]))
    return AssessmentForm(formdata=formdata) if formdata is not None else AssessmentForm()
