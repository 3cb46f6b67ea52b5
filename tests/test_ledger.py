from decimal import Decimal

from learn.ledger import SourceType, credit_hours, entries_for
from tests.factories import make_user


def test_an_activity_is_credited_once(app):
    user = make_user("zhang")
    first = credit_hours(user.id, SourceType.COURSE, "sizhong-xingtai", 4, "四种形态")
    again = credit_hours(user.id, SourceType.COURSE, "sizhong-xingtai", 4, "四种形态")
    assert first.id == again.id
    assert [e.hours for e in entries_for(user.id)] == [Decimal("4.0")]


def test_same_source_id_of_another_type_is_separate(app):
    user = make_user("zhang")
    credit_hours(user.id, SourceType.LECTURE_ATTENDANCE, 7, 2, "小课堂")
    credit_hours(user.id, SourceType.LECTURE_SPEAKER, 7, 3, "小课堂（主讲）")
    assert len(entries_for(user.id)) == 2
