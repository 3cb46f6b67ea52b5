"""Forms of the lectures pages (input shape only; rules live in the services)."""

from datetime import time

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from learn.accounts import Category
from learn.lectures.models import AttendanceStatus, Audience, SeriesType
from learn.lectures.recurrence import ORDINAL_LABELS, WEEKDAY_LABELS, Frequency


def _chinese(field_class, message: str):
    """A field whose parse error is ``message`` (WTForms' own messages are English)."""

    class Field(field_class):
        def process_formdata(self, valuelist):
            try:
                super().process_formdata(valuelist)
            except ValueError as exc:
                raise ValueError(message) from exc

    Field.__name__ = field_class.__name__
    return Field


CnDateField = _chinese(DateField, "请按“年-月-日”填写日期，例如 2027-03-05。")
CnTimeField = _chinese(TimeField, "请按“时:分”填写时间，例如 14:30。")
CnIntegerField = _chinese(IntegerField, "请填写整数。")
CnDecimalField = _chinese(DecimalField, "请填写数字，例如 2 或 1.5。")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SeriesForm(FlaskForm):
    name = StringField("系列名称", validators=[DataRequired("请填写系列名称。"), Length(max=80)])
    series_type = SelectField("讲堂类型", choices=[(t.value, t.label) for t in SeriesType])
    owner_unit_id = SelectField("主办单位", coerce=int)
    description = TextAreaField(
        "简介", validators=[Optional(), Length(max=5000)], description="支持 Markdown。"
    )
    default_hours = CnDecimalField(
        "每场默认学时",
        default=2,
        places=1,
        validators=[InputRequired("请填写学时。"), NumberRange(0, 24, "学时须在 0 到 24 之间。")],
    )
    default_minutes = CnIntegerField(
        "每场默认时长（分钟）",
        default=90,
        validators=[
            InputRequired("请填写时长。"),
            NumberRange(10, 720, "时长须在 10 到 720 分钟之间。"),
        ],
    )
    default_place = StringField("默认地点", validators=[Optional(), Length(max=120)])


class SessionForm(FlaskForm):
    title = StringField("讲座题目", validators=[DataRequired("请填写讲座题目。"), Length(max=120)])
    abstract = TextAreaField(
        "内容简介", validators=[Optional(), Length(max=10000)], description="支持 Markdown。"
    )
    day = CnDateField("日期", validators=[InputRequired("请选择日期。")])
    at = CnTimeField("开始时间（北京时间）", validators=[InputRequired("请填写开始时间。")])
    duration_minutes = CnIntegerField(
        "时长（分钟）",
        validators=[
            InputRequired("请填写时长。"),
            NumberRange(10, 720, "时长须在 10 到 720 分钟之间。"),
        ],
    )
    hours = CnDecimalField(
        "学时",
        places=1,
        validators=[InputRequired("请填写学时。"), NumberRange(0, 24, "学时须在 0 到 24 之间。")],
        description="出席（含迟到）的学员计入此学时；主讲人按规定倍数计入。",
    )
    place = StringField("地点", validators=[Optional(), Length(max=120)])
    online_url = StringField(
        "线上会议链接",
        validators=[Optional(), Length(max=300)],
        description="线上或线上线下结合时填写，以 https:// 开头。",
    )
    speaker_users = TextAreaField(
        "主讲人（平台用户）",
        validators=[Optional(), Length(max=2000)],
        description="每行一位，填用户名或不重名的姓名。",
    )
    speaker_guests = TextAreaField(
        "外部嘉宾",
        validators=[Optional(), Length(max=2000)],
        description="每行一位，格式：姓名｜单位职务，例如：赵某｜市纪委监委案件审理室。",
    )
    audience = RadioField(
        "面向对象",
        choices=[(a.value, a.label) for a in Audience],
        default=Audience.EVERYONE.value,
    )
    unit_ids = MultiCheckboxField("面向单位", coerce=int, description="含所选单位的下级单位。")
    categories = MultiCheckboxField("面向类别", choices=[(c.value, c.value) for c in Category])
    capacity = CnIntegerField(
        "人数上限",
        validators=[Optional(), NumberRange(1, 10000, "人数上限须为正整数。")],
        description="不限人数请留空。",
    )
    opens_day = CnDateField(
        "报名开始日期", validators=[Optional()], description="留空：立即开始报名。"
    )
    opens_at = CnTimeField("报名开始时间", validators=[Optional()], default=time(9, 0))
    closes_day = CnDateField(
        "报名截止日期", validators=[Optional()], description="留空：开讲时截止。"
    )
    closes_at = CnTimeField("报名截止时间", validators=[Optional()], default=time(18, 0))


class GenerateForm(FlaskForm):
    title = StringField(
        "题目模板",
        default="第{n}期",
        validators=[DataRequired("请填写题目模板。"), Length(max=100)],
        description="“{n}”会替换为期数；选题确定后可逐场修改。",
    )
    frequency = SelectField("重复方式", choices=[(f.value, f.label) for f in Frequency])
    weekday = SelectField("星期", coerce=int, choices=list(enumerate(WEEKDAY_LABELS)), default=4)
    ordinal = SelectField(
        "每月（季度）的第几个",
        coerce=int,
        choices=list(ORDINAL_LABELS.items()),
        default=2,
        description="仅“每月”“每季度”使用。",
    )
    month_in_quarter = SelectField(
        "季度中的第几个月",
        coerce=int,
        choices=[(1, "第一个月"), (2, "第二个月"), (3, "第三个月")],
        description="仅“每季度”使用。",
    )
    first_day = CnDateField("从哪天起", validators=[InputRequired("请选择起始日期。")])
    count = CnIntegerField(
        "场次",
        default=4,
        validators=[InputRequired("请填写场次。"), NumberRange(1, 52, "场次须在 1 到 52 之间。")],
    )
    until = CnDateField(
        "截止日期", validators=[Optional()], description="可选：此日期之后不再安排。"
    )
    at = CnTimeField(
        "开始时间（北京时间）", default=time(15, 0), validators=[InputRequired("请填写开始时间。")]
    )
    duration_minutes = CnIntegerField(
        "时长（分钟）",
        validators=[
            InputRequired("请填写时长。"),
            NumberRange(10, 720, "时长须在 10 到 720 分钟之间。"),
        ],
    )
    hours = CnDecimalField(
        "学时",
        places=1,
        validators=[InputRequired("请填写学时。"), NumberRange(0, 24, "学时须在 0 到 24 之间。")],
    )
    place = StringField("地点", validators=[Optional(), Length(max=120)])
    registration_days = CnIntegerField(
        "提前几天开放报名",
        default=14,
        validators=[InputRequired("请填写天数。"), NumberRange(0, 90, "须在 0 到 90 天之间。")],
        description="0 表示立即开放。",
    )


class CheckinForm(FlaskForm):
    code = StringField(
        "签到码",
        validators=[
            DataRequired("请输入签到码。"),
            Length(min=6, max=6, message="签到码为 6 位数字。"),
        ],
        description="输入投影屏上显示的 6 位数字。",
    )


class MaterialForm(FlaskForm):
    file = FileField("选择文件", validators=[FileRequired("请选择要上传的文件。")])
    title = StringField(
        "资料名称", validators=[Optional(), Length(max=120)], description="留空则用文件名。"
    )
    attendees_only = BooleanField("仅限本场报名学员下载")


class NoteForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=120)])
    text = TextAreaField(
        "内容",
        validators=[DataRequired("请填写内容。"), Length(max=20000)],
        description="支持 Markdown。",
    )
    attendees_only = BooleanField("仅限本场报名学员查看")


SCORE_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


class FeedbackForm(FlaskForm):
    content = RadioField(
        "内容（1–5 分）", choices=SCORE_CHOICES, validators=[InputRequired("请为内容打分。")]
    )
    usefulness = RadioField(
        "实用性（1–5 分）", choices=SCORE_CHOICES, validators=[InputRequired("请为实用性打分。")]
    )
    delivery = RadioField(
        "讲授效果（1–5 分）",
        choices=SCORE_CHOICES,
        validators=[InputRequired("请为讲授效果打分。")],
    )
    comment = TextAreaField(
        "意见和建议", validators=[Optional(), Length(max=1000)], description="可选。评价是匿名的。"
    )


class TopicForm(FlaskForm):
    title = StringField("讲题", validators=[DataRequired("请填写讲题。"), Length(max=120)])
    abstract = TextAreaField(
        "内容简介", validators=[Optional(), Length(max=10000)], description="支持 Markdown。"
    )


class AddAttendeeForm(FlaskForm):
    who = StringField(
        "用户名或姓名", validators=[DataRequired("请填写用户名或姓名。"), Length(max=40)]
    )
    status = SelectField("考勤", choices=[(s.value, s.label) for s in AttendanceStatus])


class RotaForm(FlaskForm):
    name = StringField(
        "名称",
        validators=[DataRequired("请填写名称。"), Length(max=80)],
        description="例如：2027 年上半年",
    )
    start_time = CnTimeField(
        "每场开始时间", default=time(15, 0), validators=[InputRequired("请填写开始时间。")]
    )
    duration_minutes = CnIntegerField(
        "每场时长（分钟）",
        default=60,
        validators=[
            InputRequired("请填写时长。"),
            NumberRange(10, 720, "时长须在 10 到 720 分钟之间。"),
        ],
    )
    place = StringField("地点", validators=[Optional(), Length(max=120)])


class RotaMembersForm(FlaskForm):
    members = MultiCheckboxField("轮值人员", coerce=int)


class RotaSlotsForm(FlaskForm):
    frequency = SelectField("重复方式", choices=[(f.value, f.label) for f in Frequency])
    weekday = SelectField("星期", coerce=int, choices=list(enumerate(WEEKDAY_LABELS)), default=4)
    ordinal = SelectField(
        "每月的第几个", coerce=int, choices=list(ORDINAL_LABELS.items()), default=2
    )
    first_day = CnDateField("从哪天起", validators=[InputRequired("请选择起始日期。")])
    count = CnIntegerField(
        "日期个数",
        default=8,
        validators=[InputRequired("请填写个数。"), NumberRange(1, 52, "须在 1 到 52 之间。")],
    )


class UnavailableForm(FlaskForm):
    days = MultiCheckboxField("不能到场的日期")


class SwapForm(FlaskForm):
    first = SelectField("日期一", coerce=int)
    second = SelectField("日期二", coerce=int)
