"""Forms for login, password change and API tokens (input shape only)."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=32)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。"), Length(max=128)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码。")])
    new = PasswordField(
        "新密码",
        validators=[DataRequired("请输入新密码。"), Length(max=128, message="密码过长。")],
        description="至少 8 位，须同时包含字母和数字。",
    )
    confirm = PasswordField(
        "确认新密码",
        validators=[DataRequired("请再次输入新密码。"), EqualTo("new", "两次输入的新密码不一致。")],
    )


class TokenForm(FlaskForm):
    name = StringField(
        "令牌用途",
        validators=[DataRequired("请填写令牌用途，便于日后识别。"), Length(max=60)],
        description="例如：统计脚本、学时对接",
    )
    scope = RadioField(
        "权限",
        choices=[("read", "只读（推荐）"), ("write", "读写")],
        default="read",
        validators=[DataRequired("请选择令牌权限。")],
    )
