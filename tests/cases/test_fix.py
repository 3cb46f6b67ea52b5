"""The fix: replacements are consistent within a case, never collide, and leave a clean text."""

from learn.cases.anonymize import (
    Replacement,
    apply_fix,
    diff_lines,
    find_problems,
    find_problems_in_fields,
    propose_fix,
)
from tests.cases.test_anonymize import _card, _id_number


def _proposal(fields):
    return {r.original: r.replacement for r in propose_fix(fields)}


def test_names_become_surname_plus_mou_consistently_across_fields():
    fields = {
        "title": "李建国违规发放补贴问题剖析",
        "body": "李建国，男，中共党员。村民王秀英反映，李建国未经公示即发放补贴。",
    }
    proposal = _proposal(fields)
    assert proposal["李建国"] == "李某"
    assert proposal["王秀英"] == "王某"
    fixed = apply_fix(fields, propose_fix(fields))
    assert fixed["title"] == "李某违规发放补贴问题剖析"
    assert fixed["body"].count("李某") == 2
    assert not any(find_problems_in_fields(fixed).values())


def test_two_people_with_one_surname_do_not_collide():
    fields = {"body": "村民李秀英反映，村党支部书记李建国与会计李某某合谋。"}
    proposal = _proposal(fields)
    # 李某某 is already someone else, so the two new names take the next free forms
    assert proposal["李秀英"] == "李某"
    assert proposal["李建国"] == "李某甲"
    assert len({proposal["李秀英"], proposal["李建国"], "李某某"}) == 3


def test_second_person_of_a_surname_gets_mou_mou():
    proposal = _proposal({"body": "村民张秀英、张德福反映问题。"})
    assert [proposal["张秀英"], proposal["张德福"]] == ["张某", "张某某"]


def test_numbers_are_masked_and_places_renamed():
    id_number, card = _id_number(), _card()
    body = (
        f"王志强，身份证号{id_number}，手机13812345678，银行卡{card}，"
        "驾驶鄂F·23456号车，住建设路128号，系红旗村党支部书记，与宏达建筑工程有限公司勾结，"
        "又在幸福社区购房。"
    )
    proposal = _proposal({"body": body})
    assert proposal[id_number] == "*" * 18
    assert proposal["13812345678"] == "138********"
    assert proposal[card] == "*" * 12 + card[-4:]
    assert proposal["鄂F·23456"] == "鄂F·*****"
    assert proposal["128号"] == "某号"
    assert proposal["红旗村"] == "某村"
    assert proposal["幸福社区"] == "某社区"
    assert proposal["宏达建筑工程有限公司"] == "某建筑工程有限公司"
    fixed = apply_fix({"body": body}, propose_fix({"body": body}))
    assert find_problems(fixed["body"]) == []


def test_several_villages_get_letters():
    proposal = _proposal({"body": "红旗村和李家村两村党支部书记"})
    assert {proposal["红旗村"], proposal["李家村"]} == {"A村", "B村"}


def test_an_edited_replacement_is_used_and_unlisted_findings_stay():
    fields = {"body": "村民王秀英反映，村民赵德福作证。"}
    chosen = [Replacement("name", "王秀英", "王某甲")]
    fixed = apply_fix(fields, chosen)
    assert fixed["body"] == "村民王某甲反映，村民赵德福作证。"
    assert [f.text for f in find_problems(fixed["body"])] == ["赵德福"]


def test_diff_shows_what_changes_line_by_line():
    old = "第一行没有变化\n村民王秀英反映"
    new = "第一行没有变化\n村民王某反映"
    (line,) = diff_lines(old, new)
    assert line.number == 2
    assert ("-", "秀英") in line.segments and ("+", "某") in line.segments
    assert "".join(t for op, t in line.segments if op != "+") == "村民王秀英反映"
    assert "".join(t for op, t in line.segments if op != "-") == "村民王某反映"
