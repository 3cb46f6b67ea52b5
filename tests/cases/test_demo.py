"""The demo loader imports and publishes the bundled library, restricts one case, leaves one
case waiting for review, and is idempotent."""

from learn.accounts import services as accounts
from learn.cases import can_read, published_case_ids
from learn.cases.demo import PENDING_CASE, RESTRICTED_CASE, load_demo_cases
from learn.cases.models import CaseStatus, CaseStudy
from learn.cases.services import status_counts
from learn.demo import _load_units, _load_users
from learn.extensions import db


def test_demo_library_is_alive_and_loading_twice_changes_nothing(app):
    _load_units()
    _load_users()
    db.session.commit()
    for _ in range(2):
        load_demo_cases(app, lambda *_: None)
        db.session.commit()
    counts = status_counts()
    assert counts[CaseStatus.PUBLISHED] >= 40 and counts[CaseStatus.IN_REVIEW] == 1
    assert RESTRICTED_CASE in published_case_ids()
    restricted = db.session.get(CaseStudy, RESTRICTED_CASE)
    assert can_read(accounts.get_user_by_username("lingdao"), restricted)
    assert not can_read(accounts.get_user_by_username("xueyuan"), restricted)
    pending = db.session.get(CaseStudy, PENDING_CASE.stem)
    assert pending.status == CaseStatus.IN_REVIEW and len(pending.revisions) == 1
