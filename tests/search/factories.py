"""Cases for search tests: the shipped library (or part of it) published, and the index
brought up to date the way the writer thread would do it."""

from pathlib import Path

from learn.accounts import Role
from learn.cases import services as cases
from learn.config import PROJECT_ROOT
from learn.content.cases import load_case_files, validate_case
from learn.extensions import db
from learn.search.indexer import Writer
from learn.search.services import backend
from tests.factories import make_user

LIBRARY = PROJECT_ROOT / "cases_library"


def library_files(*ids: str):
    """Case files of the shipped library (all, or only ``ids``)."""
    paths = [LIBRARY / f"{i}.md" for i in ids] if ids else [LIBRARY]
    files, errors = load_case_files([Path(p) for p in paths])
    assert not errors, errors
    return files


def case_file(case_id: str, body_text: str, **meta):
    """A small valid case whose 基本案情 says ``body_text``."""
    data = {
        "id": case_id,
        "title": meta.pop("title", f"某镇干部{case_id}问题剖析"),
        "year": meta.pop("year", 2023),
        "categories": meta.pop("categories", ["廉洁纪律"]),
        "subject_level": meta.pop("subject_level", "一般干部"),
        "domains": meta.pop("domains", ["作风建设"]),
        **meta,
    }
    body = f"## 基本案情\n\n{body_text}\n\n## 问题剖析\n\n张某纪律意识淡薄。\n"
    return validate_case(data, body, path=f"{case_id}.md")


def admin_user(username: str = "searchadmin"):
    return make_user(username, Role.ADMIN, name="检索管理员")


def publish(admin, files) -> None:
    cases.import_cases(admin, list(files), publish=True)
    db.session.commit()


def index_now() -> None:
    """Apply every pending change (rebuilding a missing or stale index first)."""
    report = Writer(backend()).cycle()
    assert report is not None, "the writer lease was busy"
    db.session.expire_all()
