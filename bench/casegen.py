"""Generate realistic synthetic case libraries of any size for benchmarks.

Cases are assembled from a vocabulary of case elements (positions, violations,
domains, amounts, years, discovery channels, causes, lessons) with sentences of
varied length and wording, so that index and query costs resemble the real
library rather than many copies of one text. Every generated file follows
shared/specs/case-format.md and passes the anonymization rules (people are
surname + 某, places 某村/某镇/某公司).

    python bench/casegen.py OUT_DIR --count 50000 [--seed 7]
"""

import argparse
import random
from pathlib import Path

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
SURNAMES += ["欧阳", "司马", "上官", "诸葛"]
LEVELS = {
    "村（社区）干部": [
        "某村党支部书记",
        "某村村委会主任",
        "某社区居委会主任",
        "某村报账员",
        "某村会计",
    ],
    "站所负责人": ["某镇农业服务中心主任", "某镇卫生院院长", "某镇财政所所长", "某中学校长"],
    "一般干部": ["某镇民政办工作人员", "某县社保中心科员", "某局执法大队队员", "某镇扶贫专干"],
    "科级干部": ["某镇党委副书记", "某镇镇长", "某局副局长", "某街道办事处主任"],
    "县处级干部": ["某县副县长", "某县局党组书记、局长（副县级）"],
    "纪检监察干部": ["某镇纪委书记", "县纪委监委某室干部", "某派驻纪检监察组组员"],
}
VIOLATIONS = [
    ("廉洁纪律", ["三资管理", "乡村振兴"], "侵占村集体资金", ["截留", "侵占", "套取"]),
    ("群众纪律", ["民政救助"], "在低保审核中优亲厚友", ["优亲厚友", "虚报冒领"]),
    ("廉洁纪律", ["作风建设"], "违规收受礼品礼金", ["违规收送礼品礼金", "四风"]),
    ("职务犯罪", ["工程建设"], "在工程项目中围标串标并收受贿赂", ["围标串标", "受贿"]),
    ("工作纪律", ["安全生产"], "安全生产监管失职失责", ["失职失责", "形式主义"]),
    ("职务违法", ["医疗", "社保"], "套取医保基金", ["套取", "虚报"]),
    ("组织纪律", ["选人用人"], "违规选拔任用干部", ["说情打招呼", "选人用人"]),
    ("廉洁纪律", ["作风建设"], "违规公款吃喝", ["公款吃喝", "四风"]),
    ("群众纪律", ["教育"], "在学生资助中吃拿卡要", ["吃拿卡要", "蝇贪蚁腐"]),
    ("工作纪律", ["生态环保"], "生态环保整改敷衍应付", ["敷衍塞责", "形式主义"]),
    ("生活纪律", ["作风建设"], "违规操办婚丧喜庆事宜", ["大操大办", "借机敛财"]),
    ("政治纪律", ["执纪执法"], "对抗组织审查", ["订立攻守同盟", "对抗审查"]),
]
FORMS = {
    "第一种形态": "批评教育、责令作出书面检查",
    "第二种形态": "党内警告处分",
    "第三种形态": "党内严重警告、政务撤职处分",
    "第四种形态": "开除党籍、开除公职，涉嫌犯罪问题移送检察机关依法审查起诉",
}
CHANNELS = ["县委巡察", "信访举报", "专项检查", "审计移送", "大数据比对", "日常监督", "群众来电"]
CAUSES = [
    "理想信念动摇，把集体资金当作“唐僧肉”",
    "村务监督委员会形同虚设，“四议两公开”流于形式",
    "镇级财务审核把关不严，报账凭证长期无人复核",
    "一把手权力过于集中，重大事项个人说了算",
    "纪法意识淡薄，认为“小钱小事”无人过问",
    "制度执行打折扣，资金拨付缺少交叉核验",
    "心存侥幸，以为时间久了就不会被发现",
]
LESSONS = [
    "加强对村级“三资”的常态化监督，推进财务公开透明",
    "压实主体责任，督促一把手带头遵规守纪",
    "用好大数据比对，及时发现虚报冒领等问题线索",
    "深化以案促改，堵塞制度漏洞",
    "坚持抓早抓小，精准运用监督执纪“四种形态”",
    "强化警示教育，引导干部算清政治账、经济账、家庭账",
    "健全民生资金全流程监管，畅通群众监督渠道",
]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(["某", "某某"])


def _paragraph(rng: random.Random, sentences: list[str], low: int, high: int) -> str:
    """Pick some sentences, keeping their narrative order."""
    k = min(len(sentences), rng.randint(low, high))
    return "".join(sentences[i] for i in sorted(rng.sample(range(len(sentences)), k)))


def make_case(index: int, rng: random.Random) -> tuple[str, str]:
    level, positions = rng.choice(list(LEVELS.items()))
    category, domains, act, tags = rng.choice(VIOLATIONS)
    form = rng.choice([*FORMS, None])
    year = rng.randint(2016, 2025)
    start = year - rng.randint(1, 6)
    amount = rng.choice([0.8, 1.2, 3.5, 6.8, 12.6, 28.4, 56.0, 132.5]) * rng.randint(1, 3)
    who, other = _person(rng), _person(rng)
    position = rng.choice(positions)
    channel = rng.choice(CHANNELS)
    case_id = f"syn-{index:06d}"
    title = f"{position}{who}{act}问题剖析（{year}）"
    facts = [
        f"{start}年至{year}年，{who}在担任{position}期间，{act}，涉及金额{amount:.1f}万元。",
        f"{year}年，县纪委监委在{channel}中发现相关问题线索，依规依纪依法开展核查。",
        f"经查，{who}多次利用职务便利，与{other}相互配合，通过虚列支出、重复报账等方式谋取私利。",
        f"{who}还存在{rng.choice(VIOLATIONS)[2]}等问题，群众反映强烈。",
        f"调查期间，{who}起初避重就轻，经政策教育后如实说明了问题。",
        f"为掩盖问题，{who}授意{other}伪造会议记录和签字，并以“劳务费”“协调费”名义分次提取现金。",
        f"{who}将所得款项用于个人消费、偿还债务及人情往来，其中部分资金存入亲属账户。",
        f"核查组调取了{start}年以来的财务凭证、银行流水和项目档案，逐笔比对资金去向。",
        f"在镇纪委走访中，多名群众反映{who}办事“看关系、收好处”，相关补助迟迟发放不到位。",
        f"{other}作为经办人员，明知报账资料不实仍予签字审核，负有直接责任。",
        f"案发后，{who}主动退缴违纪违法所得{amount / 2:.1f}万元，态度有所转变。",
        f"相关款项已全部追缴，{other}也受到相应处理。",
    ]
    causes = rng.sample(CAUSES, k=rng.randint(2, 4))
    lessons = rng.sample(LESSONS, k=rng.randint(3, 5))
    outcome = FORMS[form] if form else "诫勉"
    front = [
        "---",
        f"id: {case_id}",
        f"title: {title}",
        f"year: {year}",
        f"categories: [{category}]",
    ]
    if form:
        front.append(f"form: {form}")
    front += [
        f"subject_level: {level}",
        f"domains: [{', '.join(domains)}]",
        f"outcome: {outcome}",
        f"tags: [{', '.join(tags)}]",
        "---",
    ]
    body = [
        "## 基本案情",
        "",
        _paragraph(rng, facts, 3, 6),
        "",
        "## 问题剖析",
        "",
        "".join(f"{c}。" for c in causes)
        + rng.choice(
            [
                f"{who}的蜕变轨迹表明，“微权力”一旦失去监督，同样可能滋生“大腐败”。",
                "从案件暴露的问题看，监督链条中的多个环节同时失守，教训深刻。",
                "该案反映出基层权力运行中“熟人社会”对制度执行的消解作用。",
                "",
            ]
        ),
        "",
        "## 警示启示",
        "",
        *[f"{n}. {lesson}。" for n, lesson in enumerate(lessons, 1)],
        "",
    ]
    return case_id, "\n".join([*front, "", *body])


def generate(out: Path, count: int, seed: int = 7) -> None:
    """Write ``count`` case files to ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for index in range(1, count + 1):
        case_id, text = make_case(index, rng)
        (out / f"{case_id}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
