from datetime import date

from learn.lectures.recurrence import Frequency, Recurrence, occurrences

FRIDAY, THURSDAY = 4, 3


def test_second_friday_of_each_month():
    rule = Recurrence(Frequency.MONTHLY, FRIDAY, ordinal=2)
    assert occurrences(rule, date(2027, 1, 1), 3) == [
        date(2027, 1, 8),
        date(2027, 2, 12),
        date(2027, 3, 12),
    ]
    assert rule.describe() == "每月第二个周五"


def test_every_other_friday():
    rule = Recurrence(Frequency.BIWEEKLY, FRIDAY)
    assert occurrences(rule, date(2027, 1, 4), 3) == [
        date(2027, 1, 8),
        date(2027, 1, 22),
        date(2027, 2, 5),
    ]


def test_quarterly_on_the_last_thursday_of_the_quarters_second_month():
    rule = Recurrence(Frequency.QUARTERLY, THURSDAY, ordinal=-1, month_in_quarter=2)
    assert occurrences(rule, date(2027, 1, 1), 4) == [
        date(2027, 2, 25),
        date(2027, 5, 27),
        date(2027, 8, 26),
        date(2027, 11, 25),
    ]
    assert rule.describe() == "每季度第 2 个月的最后一个周四"


def test_until_and_count_limit_the_dates():
    rule = Recurrence(Frequency.WEEKLY, FRIDAY)
    assert occurrences(rule, date(2027, 1, 1), 10, until=date(2027, 1, 20)) == [
        date(2027, 1, 1),
        date(2027, 1, 8),
        date(2027, 1, 15),
    ]
    assert len(occurrences(rule, date(2027, 1, 1), 500)) == 52
