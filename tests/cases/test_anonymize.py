"""The anonymization checker: what it must always catch and what it must leave alone."""

import pytest

from learn.cases.anonymize import find_problems, id_check_digit, is_valid_id_number, luhn_ok


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in find_problems(text)]


def _id_number(birth: str = "19870315", ending: str | None = None) -> str:
    """A syntactically valid ID number (GB 11643 check digit), optionally forcing X."""
    for seq in range(1000):
        first17 = f"410102{birth}{seq:03d}"
        check = id_check_digit(first17)
        if ending is None or check == ending:
            return first17 + check
    raise AssertionError("no sequence gives that check digit")


def _card(prefix: str = "622202123456789") -> str:
    """A 16-digit card number with a valid Luhn digit."""
    for last in "0123456789":
        if luhn_ok(prefix + last):
            return prefix + last
    raise AssertionError


# ---------------------------------------------------------------- structured identifiers


def test_gb11643_check_digit():
    number = _id_number()
    assert is_valid_id_number(number)
    wrong = (
        number[:17] + str((int(number[17]) + 1) % 10) if number[17].isdigit() else number[:17] + "0"
    )
    assert not is_valid_id_number(wrong)
    with_x = _id_number(ending="X")
    assert with_x.endswith("X") and is_valid_id_number(with_x)


@pytest.mark.parametrize(
    "text",
    [
        "其身份证号码为{id}。",
        "公民身份号码：{id}，",
        "{id}",
        "身份证{idx}（末位为X）",
        "身份证{idx_lower}",
        "旧身份证号410102870315123。",
    ],
)
def test_id_numbers_are_always_caught(text):
    text = text.format(
        id=_id_number(), idx=_id_number(ending="X"), idx_lower=_id_number(ending="X").lower()
    )
    assert [rule for rule, _ in _found(text)] == ["身份证号"]


def test_an_id_number_with_a_wrong_check_digit_is_still_caught():
    number = _id_number()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert [rule for rule, _ in _found(f"身份证号{wrong}")] == ["身份证号"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("联系电话13812345678。", "手机号"),
        ("手机：139 1234 5678", "手机号"),
        ("手机号 186-1234-5678", "手机号"),
        ("电话+86 13712345678", "手机号"),
        ("办公电话0371-65123456", "固定电话"),
        ("座机（0710）3212345转8012", "固定电话"),
        ("联系方式：3212345", "固定电话"),
        ("转入其银行卡{card}", "银行卡号"),
        ("卡号{card_spaced}", "银行卡号"),
        ("对公账户41050178360800000123", "银行账号"),
        ("驾驶公车鄂F·23456外出", "车牌号"),
        ("车牌号为豫A12345的私家车", "车牌号"),
        ("新能源车粤B·D12345", "车牌号"),
        ("发送至zhangsan_1980@163.com邮箱", "电子邮箱"),
        ("住建设路128号", "详细地址"),
        ("家住人民大街25号3栋2单元501室", "详细地址"),
        ("某小区5栋2单元301室", "详细地址"),
        ("村3组12号", "详细地址"),
    ],
)
def test_structured_identifiers_are_caught(text, rule):
    card = _card()
    spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    text = text.format(card=card, card_spaced=spaced)
    assert rule in [r for r, _ in _found(text)], _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "身份证号码为410102********1234。",
        "联系电话138****5678，",
        "银行卡号尾号为1234的账户",
        "车牌号为鄂F·×××××的公车",
        "套取资金2.86万元，共计286000元，折合人民币贰拾捌万陆仟元。",
        "2023年4月15日至2023年12月31日",
        "根据汉纪发〔2023〕12号文件和县委〔2022〕3号文件精神",
        "经县纪委常委会2023年第12次会议研究",
        "举报电话12388，政务服务热线12345",
        "共查处问题37个，处理党员干部52人，其中县处级干部3人",
        "编号为2023-0471的资金拨付单",
        "县委1号文件",
        "某县某镇某村",
    ],
)
def test_numbers_that_identify_no_one_pass(text):
    assert _found(text) == []


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("李建国，男，1975年生，中共党员。", "李建国"),
        ("经查，王志强利用职务便利收受财物。", "王志强"),
        ("为村民张秀英办理低保。", "张秀英"),
        ("群众刘德福反映问题。", "刘德福"),
        ("党员陈晓燕参与分配。", "陈晓燕"),
        ("由孙立军书记主持会议。", "孙立军"),
        ("时任局长的欧阳文华同志。", "欧阳文华"),
        ("会计司马红梅负责记账。", "司马红梅"),
        ("其妻黄小梅代为收取。", "黄小梅"),
        ("2023年4月，县纪委给予赵立新党内警告处分。", "赵立新"),
        ("宋长青主任签字同意。", "宋长青"),
        ("村民王强反映。", "王强"),
    ],
)
def test_full_names_in_any_position_are_caught(text, name):
    assert ("姓名", name) in _found(text), _found(text)


def test_names_in_a_list_are_all_caught():
    found = _found("他与李娜、王伟、张敏三人合谋，又伙同诸葛明亮、上官婉清虚报冒领。")
    names = {text for rule, text in found if rule == "姓名"}
    assert {"李娜", "王伟", "张敏", "诸葛明亮", "上官婉清"} <= names


def test_a_name_found_once_is_flagged_everywhere_in_the_text():
    text = "村民李建华反映问题。经核实，李建华所反映问题属实。"
    assert [t for r, t in _found(text) if r == "姓名"] == ["李建华", "李建华"]


@pytest.mark.parametrize(
    "text",
    [
        "张某、李某某与欧阳某共同商议，并由王某某负责记账。",
        "任某县某镇党委书记期间，任某县交通局局长。",
        "时任某县某局局长的赵某某。",
        "王牌产品、高度重视、马上就办、方面、周边地区、黄金地段",
        "严格执行、常委会议、于是决定、全面从严、钱款去向、金额较大、向上级报告",
        "坚决杜绝“吃拿卡要”，让权力在阳光下运行，投标文件雷同。",
        "明白卡、辛苦费、唐僧肉、齐抓共管、廉政风险、牟利手段。",
        "某县纪委监委、武汉市、汉川县、城关镇、东岭镇纪委、湖北省",
        "习近平总书记强调，要坚持严的基调、严的措施、严的氛围。",
        "学习焦裕禄、谷文昌、杨善洲等同志的先进事迹，以刘青山、张子善案为镜鉴。",
        "范仲淹“先天下之忧而忧”，于谦“要留清白在人间”。",
        "申请人3名，经办人员对材料未严格审核，安监、卫健等部门配合。",
    ],
)
def test_anonymized_forms_places_words_and_public_figures_pass(text):
    assert _found(text) == []


# ---------------------------------------------------------------- villages, communities, companies


@pytest.mark.parametrize(
    ("text", "rule", "name"),
    [
        ("李家村党支部书记", "村名", "李家村"),
        ("红旗村村民委员会", "村名", "红旗村"),
        ("前进村委会研究决定", "村名", "前进村委会"),
        ("王家湾村", "村名", "王家湾村"),
        ("幸福社区居委会主任", "社区名", "幸福社区"),
        ("宏达建筑工程有限公司法定代表人", "公司名", "宏达建筑工程有限公司"),
        ("鑫源商贸有限公司", "公司名", "鑫源商贸有限公司"),
        ("绿源农民专业合作社", "公司名", "绿源农民专业合作社"),
    ],
)
def test_named_places_and_companies_are_caught(text, rule, name):
    assert (rule, name) in _found(text), _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "某镇某村党支部书记与某社区居委会主任",
        "该村、本村、各村、全村村民、邻村、行政村、自然村、贫困村、示范村、3个村",
        "套取村集体资金，安排村报账员保管，处分村集体财产。",
        "委托社区代为发放，挪用社区资金，指导社区依法启动罢免程序。",
        "某县城投公司与其妻弟开办的劳务公司、某建筑公司签订合同，子公司和空壳公司。",
        "入股合作社，借合作社之名，某农家乐，高档酒店，某养殖场。",
        "老旧小区改造，乡村振兴，农村集体“三资”。",
    ],
)
def test_generic_and_anonymized_places_pass(text):
    assert _found(text) == []
