"""Admin forms: user profile and roles, password reset, org unit, audit filters."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from learn.accounts import Category, RankBand, Role
from learn.org import UnitType


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(
        "用户名",
        validators=[DataRequired("请填写用户名。"), Length(3, 32, "用户名长度为 3–32 位。")],
    )
    name = StringField("姓名", validators=[DataRequired("请填写姓名。"), Length(max=40)])
    unit_id = SelectField("所在单位", coerce=int)
    position = StringField("职务", validators=[Optional(), Length(max=60)])
    rank_band = SelectField("职级", choices=[(r.value, r.value) for r in RankBand])
    birth_year = IntegerField(
        "出生年份",
        validators=[Optional(), NumberRange(1940, 2015, "请填写四位出生年份，如 1995。")],
    )
    joined_on = DateField("入职日期", validators=[Optional()])
    roles = MultiCheckboxField(
        "角色", choices=[(r.value, r.label) for r in Role if r != Role.LEARNER]
    )
    categories = MultiCheckboxField(
        "手动指定分类",
        choices=[(c.value, c.value) for c in Category],
        description="新进、青年、镇纪委、派驻、领导干部等分类会按入职日期、年龄、单位和职级自动判定；此处可额外指定。",
    )
    linked_units = MultiCheckboxField(
        "挂联单位", coerce=int, description="仅对“班子成员”角色生效。"
    )
    active = BooleanField("账号启用", default=True)
    password = PasswordField(
        "初始密码",
        validators=[Optional(), Length(max=128)],
        description="至少 8 位，须同时包含字母和数字；用户首次登录时须修改。",
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "临时密码",
        validators=[DataRequired("请填写临时密码。"), Length(max=128)],
        description="用户下次登录时须修改。",
    )


class UnitForm(FlaskForm):
    name = StringField("单位名称", validators=[DataRequired("请填写单位名称。"), Length(max=80)])
    unit_type = SelectField("单位类型", choices=[(t.value, t.value) for t in UnitType])
    parent_id = SelectField("上级单位", coerce=int)
    cluster_id = SelectField("所属片区协作组", coerce=int)
    sort_order = IntegerField("排序", default=0, validators=[Optional()])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    username = StringField("用户名", validators=[Optional(), Length(max=32)])
    action = SelectField("操作", validators=[Optional()])
    target_type = StringField("对象类型", validators=[Optional(), Length(max=40)])
    target_id = StringField("对象编号", validators=[Optional(), Length(max=80)])
    date_from = DateField("起始日期", validators=[Optional()])
    date_to = DateField("截止日期", validators=[Optional()])
