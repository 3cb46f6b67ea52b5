"""Factories for case files and case rows."""

from itertools import count
from pathlib import Path

from learn.cases import services
from learn.cases.library import render_case_file
from learn.cases.models import CaseStatus
from learn.content.cases import CaseFile, validate_case
from learn.extensions import db

_seq = count(1)

CLEAN_BODY = """## 基本案情

张某，男，中共党员，2019年至2022年任某县某镇农业服务中心主任。2021年，张某利用审核农机购置补贴的职务便利，收受某农机销售公司负责人王某所送现金2万元，为其虚报补贴提供帮助。

## 问题剖析

张某纪法意识淡薄，把审核权当作谋利工具；镇农业服务中心对补贴审核“一人说了算”，缺少交叉复核。

## 警示启示

1. **补贴审核要有制衡。** 建立审核、复核、公示相分离的机制。
"""


def case_meta(**overrides) -> dict:
    meta = {
        "id": overrides.pop("id") if "id" in overrides else f"test-case-{next(_seq)}",
        "title": "某镇农业服务中心原主任收受农机经销商财物问题剖析",
        "year": 2022,
        "categories": ["廉洁纪律", "职务违法"],
        "form": "第三种形态",
        "subject_level": "站所负责人",
        "domains": ["乡村振兴"],
        "outcome": "党内严重警告、政务撤职处分，收缴违纪违法所得",
        "tags": ["农机补贴", "收受财物"],
    }
    meta.update(overrides)
    return {k: v for k, v in meta.items() if v is not None}


def case_file(body: str = CLEAN_BODY, **overrides) -> CaseFile:
    return validate_case(case_meta(**overrides), body)


def file_text(body: str = CLEAN_BODY, **overrides) -> str:
    meta = case_meta(**overrides)
    return render_case_file(meta, body)


def write_case(folder: Path, body: str = CLEAN_BODY, name: str | None = None, **overrides) -> Path:
    """Write a case file (valid unless overrides make it otherwise) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = case_meta(**overrides)
    path = folder / (name or f"{meta['id']}.md")
    path.write_text(render_case_file(meta, body), encoding="utf-8")
    return path


def make_case(
    actor=None,
    status: CaseStatus = CaseStatus.PUBLISHED,
    restricted: bool = False,
    readers=(),
    body: str = CLEAN_BODY,
    **overrides,
):
    """A case in ``status`` (created by ``actor`` or by the command line), committed."""
    case = services.create_case(actor, case_file(body, **overrides))
    if status == CaseStatus.PUBLISHED:
        services._publish(None, case)
    elif status != CaseStatus.DRAFT:
        services._step(case, None, status)
    if restricted or readers:
        case.restricted = restricted
        from learn.cases.models import CaseReader

        case.reader_rows = [CaseReader(user_id=u.id) for u in readers]
    db.session.commit()
    return case
