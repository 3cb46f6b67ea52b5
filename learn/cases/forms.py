"""Forms of the case library: the case editor, the fix list, review, withdrawal and access."""

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from learn.content.cases import CATEGORIES, DOMAINS, FORMS, SUBJECT_LEVELS

_LIST_SPLIT = re.compile(r"[、,，;；\s]+")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _year(text: str | None) -> int | str:
    text = (text or "").strip()
    return int(text) if text.isdigit() else text


def split_list(text: str | None) -> list[str]:
    """Split “a、b，c” (or spaces/commas) into items."""
    return [part for part in _LIST_SPLIT.split(text or "") if part]


class CaseForm(FlaskForm):
    case_id = StringField(
        "编号",
        description="小写字母、数字和连字符，3–64 个字符，例如 cun-sanzi-2023-01；保存后不能修改。",
        validators=[DataRequired("请填写编号。"), Length(max=64)],
    )
    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=120)])
    # Text, not IntegerField: the file-format validator gives the Chinese message.
    year = StringField("办结年份", validators=[DataRequired("请填写四位办结年份，如 2023。")])
    categories = MultiCheckboxField("纪律类别", choices=[(c, c) for c in CATEGORIES])
    form_type = SelectField(
        "四种形态", choices=[("", "（不适用）")] + [(f, f) for f in FORMS], default=""
    )
    subject_level = SelectField("对象层级", choices=[(s, s) for s in SUBJECT_LEVELS])
    domains = MultiCheckboxField("领域", choices=[(d, d) for d in DOMAINS])
    outcome = StringField("处理结果", validators=[Optional(), Length(max=500)])
    tags = StringField(
        "标签", description="用顿号或逗号分隔，例如：虚报冒领、村集体资金", validators=[Optional()]
    )
    body = TextAreaField(
        "正文（Markdown）",
        description="须包含“## 基本案情”“## 问题剖析”两节，建议有“## 警示启示”。"
        "人名写作“张某”“李某某”，村、社区、公司写作“某村”“某社区”“某公司”。",
        validators=[DataRequired("请填写正文。")],
        render_kw={"rows": 24, "spellcheck": "false"},
    )
    # The revision the editor started from, so a concurrent save is detected.
    base_revision = HiddenField()
    note = StringField(
        "修改说明", description="选填，记入修订历史。", validators=[Optional(), Length(max=200)]
    )

    def base_revision_number(self) -> int | None:
        text = (self.base_revision.data or "").strip()
        return int(text) if text.isdigit() else None

    def set_domain_choices(self, extra: tuple[str, ...]) -> None:
        self.domains.choices = [(d, d) for d in (*DOMAINS, *extra)]

    def meta_dict(self) -> dict:
        """The form as front matter, ready for the file-format validator."""
        meta = {
            "id": (self.case_id.data or "").strip(),
            "title": (self.title.data or "").strip(),
            "year": _year(self.year.data),
            "categories": list(self.categories.data or []),
            "subject_level": self.subject_level.data,
            "domains": list(self.domains.data or []),
        }
        if self.form_type.data:
            meta["form"] = self.form_type.data
        if (self.outcome.data or "").strip():
            meta["outcome"] = self.outcome.data.strip()
        tags = split_list(self.tags.data)
        if tags:
            meta["tags"] = tags
        return meta


# Which form field shows each file-format rule's error.
RULE_FIELDS = {
    "编号": "case_id",
    "标题": "title",
    "年份": "year",
    "纪律类别": "categories",
    "形态": "form_type",
    "对象层级": "subject_level",
    "领域": "domains",
    "处理结果": "outcome",
    "标签": "tags",
    "章节": "body",
}


class ReplacementEntry(Form):
    original = HiddenField()
    kind = HiddenField()
    replacement = StringField("替换为", validators=[Optional(), Length(max=60)])
    accept = BooleanField("采用", default=True)


class FixForm(FlaskForm):
    entries = FieldList(FormField(ReplacementEntry))


class ReviewForm(FlaskForm):
    comment = TextAreaField(
        "审核意见",
        description="退回时必填，写明需要修改的地方；通过时可不填。",
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 4},
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        "撤回原因",
        validators=[DataRequired("请写明撤回原因。"), Length(max=500)],
        render_kw={"rows": 3},
    )


class AccessForm(FlaskForm):
    restricted = BooleanField(
        "受限阅读", description="勾选后，只有案例编辑、案例审核、系统管理员和下列指定读者可以阅读。"
    )
    readers = StringField(
        "指定读者（用户名）",
        description="用空格、逗号或顿号分隔，例如：lingdao、daoshi",
        validators=[Optional(), Length(max=2000)],
    )


class SubmitForm(FlaskForm):
    """Only the CSRF token: submit for review."""
