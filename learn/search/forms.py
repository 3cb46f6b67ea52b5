"""Forms of the vocabulary admin page (input shape only; rules live in vocabulary_edits)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from learn.search.vocabulary_edits import MAX_TERM_CHARS


class WordForm(FlaskForm):
    term = StringField(
        "新词",
        validators=[DataRequired("请填写要加入词典的词。"), Length(max=MAX_TERM_CHARS)],
        description="如“四下基层”。加入后分词时整体保留，不再被切开。",
    )


class SynonymForm(FlaskForm):
    term = StringField(
        "检索词",
        validators=[DataRequired("请填写检索词。"), Length(max=MAX_TERM_CHARS)],
        description="与内置条目同名时替换内置条目。",
    )
    expansions = StringField(
        "也搜索",
        validators=[DataRequired("请填写扩展词。"), Length(max=300)],
        description="多个词用顿号（、）分隔，如：形式主义、官僚主义。",
    )
    two_way = BooleanField("双向等价（搜其中任何一个词都扩展到其余各词）")


class EntryActionForm(FlaskForm):
    """Remove or restore one entry (the buttons in the lists)."""

    kind = HiddenField(validators=[DataRequired()])
    term = HiddenField(validators=[DataRequired(), Length(max=MAX_TERM_CHARS)])


class RebuildForm(FlaskForm):
    pass
