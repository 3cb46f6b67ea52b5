"""The benchmark workload: a synthetic case corpus on disk and the typical queries.

Queries are what a cadre types on the search page: two or three words plus one
or two facet filters, drawn from the same vocabulary as ``casegen`` so that
they match a realistic share of the corpus rather than nothing or everything.
"""

import random
from pathlib import Path
from urllib.parse import urlencode

import yaml
from casegen import generate, make_case

# (words, facet filters) — the filter names are the search page's query parameters.
QUERIES = [
    ("侵占 集体资金", {"categories": "廉洁纪律"}),
    ("低保 优亲厚友", {"domains": "民政救助", "year_from": 2020}),
    ("围标串标 受贿", {"categories": "职务犯罪"}),
    ("公款吃喝 四风", {"subject_level": "科级干部"}),
    ("套取 医保基金", {"domains": "医疗", "form": "第二种形态"}),
    ("村党支部书记 截留", {"subject_level": "村（社区）干部"}),
    ("虚报冒领 民政", {"year_from": 2018, "year_to": 2023}),
    ("大数据比对 虚报 资金", {"categories": "职务违法"}),
    ("伪造 会议记录", {"form": "第三种形态"}),
    ("退缴 违纪违法所得", {"categories": "廉洁纪律", "domains": "三资管理"}),
    ("工程项目 贿赂", {"domains": "工程建设"}),
    ("学生资助 吃拿卡要", {"domains": "教育"}),
    ("安全生产 失职失责 监管", {"categories": "工作纪律"}),
    ("婚丧喜庆 大操大办", {"subject_level": "一般干部"}),
    ("选拔任用 说情打招呼", {"categories": "组织纪律", "year_from": 2019}),
    ("信访举报 侵占", {"form": "第四种形态"}),
    ("银行流水 财务凭证 核查", {"year_to": 2021}),
    ("亲属账户 个人消费", {"subject_level": "站所负责人"}),
    ("生态环保 敷衍", {"domains": "生态环保", "categories": "工作纪律"}),
    ("对抗组织审查 攻守同盟", {"categories": "政治纪律"}),
]


def query_string(words: str, facets: dict) -> str:
    return urlencode({"q": words, **facets})


def filters_for(facets: dict):
    from learn.search.backends.base import Filters

    return Filters(
        categories=tuple(v for k, v in facets.items() if k == "categories"),
        domains=tuple(v for k, v in facets.items() if k == "domains"),
        form=facets.get("form"),
        subject_level=facets.get("subject_level"),
        year_from=facets.get("year_from"),
        year_to=facets.get("year_to"),
    )


def case_files(folder: Path, count: int) -> Path:
    """Write ``count`` case files (the same cases ``synthetic_documents`` yields first)."""
    generate(folder, count)
    return folder


def synthetic_documents(count: int, seed: int = 7):
    """The generator's cases as index documents, in memory (no files, no database)."""
    from learn.search.documents import IndexDocument

    rng = random.Random(seed)
    for index in range(1, count + 1):
        _case_id, text = make_case(index, rng)
        _, front, body = text.split("---\n", 2)
        yield IndexDocument.from_mapping({**yaml.safe_load(front), "text": body})
