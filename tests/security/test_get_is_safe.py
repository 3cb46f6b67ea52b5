"""Nothing changes state on GET, for every role, on every page of the demo world.

Each demo account (one per role) and an anonymous visitor crawl every page they
can reach, plus object URLs that no link leads to; every SQL write sent while
a GET is handled is recorded, and the whole database is fingerprinted before
and after. The only writes allowed are the audit-log entries below, each
declared with its reason.
"""

import pytest
from sqlalchemy import select, text

from learn.accounts import User
from learn.audit import AuditEvent
from learn.extensions import db
from learn.lectures import ical
from tests.security.crawl import (
    ROLE_USERS,
    changed_tables,
    crawl,
    demo_world,
    fingerprint,
    logged_in,
    recorded_writes,
)

# endpoint -> (tables it may write on GET, the audit actions it may add, why)
ALLOWED_READ_SIDE_EFFECTS = {
    "cases.detail": (
        {"audit_events"},
        {"case_viewed"},
        "who opened which case is itself evidence (case viewers page, ASVS 7.1)",
    ),
    "cases_api.get_case": ({"audit_events"}, {"case_viewed"}, "API case reads are audited too"),
    "cases.index": (
        {"audit_events"},
        {"case_search"},
        "filtering the case library by category/year is audited like a search",
    ),
    "search.index": ({"audit_events"}, {"case_search"}, "case searches are audited"),
    "search_api.search": ({"audit_events"}, {"case_search"}, "API case searches are audited"),
    "reports.export": (
        {"audit_events"},
        {"report_exported"},
        "a download of personal training records is audited",
    ),
    "mentorship.export": (
        {"audit_events"},
        {"mentorship_exported"},
        "a download of the pairings' ledger (personal data) is audited",
    ),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with demo_world(tmp_path_factory.mktemp("get-safe")) as app:
        yield app


def _first(sql: str):
    return db.session.execute(text(sql)).scalar()


def object_urls(username: str) -> tuple[str, ...]:
    """URLs with real ids that no page links to (API, downloads, direct-entry pages)."""
    case_id = _first("SELECT id FROM case_studies ORDER BY id")
    slug = _first("SELECT slug FROM courses ORDER BY id")
    course_id = _first("SELECT id FROM courses ORDER BY id")
    lesson = _first(f"SELECT id FROM course_lessons WHERE course_id = {course_id} ORDER BY id")
    question = _first(f"SELECT id FROM course_questions WHERE course_id = {course_id} ORDER BY id")
    attempt = db.session.execute(
        text(
            "SELECT c.slug, a.id FROM course_quiz_attempts a "
            "JOIN courses c ON c.id = a.course_id ORDER BY a.id"
        )
    ).first()
    drill_session = _first("SELECT id FROM drill_sessions ORDER BY id")
    lecture = _first("SELECT id FROM lecture_sessions ORDER BY id")
    material = _first("SELECT id FROM lecture_materials ORDER BY id")
    rota = _first("SELECT id FROM lecture_rotas ORDER BY id")
    reviewed = _first("SELECT pairing_id FROM mentor_final_reviews ORDER BY pairing_id")
    goal = db.session.execute(text("SELECT pairing_id, id FROM mentor_goals ORDER BY id")).first()
    user = db.session.scalar(select(User).where(User.username == username))
    feed_token = ical.new_feed_token(user)
    db.session.commit()
    urls = [
        f"/cases/{case_id}/fix",
        f"/api/v1/cases/{case_id}",
        f"/courses/manage/{slug}/edit",
        f"/courses/manage/{slug}/lessons/new",
        f"/courses/manage/{slug}/lessons/{lesson}",
        f"/courses/manage/{slug}/questions/new",
        f"/courses/manage/{slug}/questions/{question}",
        f"/api/v1/drills/sessions/{drill_session}",
        f"/lectures/sessions/{lecture}/checkin",
        f"/lectures/sessions/{lecture}/checkin-code",
        f"/lectures/sessions/{lecture}/checkin-qr.png",
        f"/lectures/sessions/{lecture}/checkin-qr.svg",
        f"/lectures/sessions/{lecture}/feedback",
        f"/api/v1/lectures/sessions/{lecture}",
        f"/api/v1/lectures/sessions/{lecture}/results",
        f"/lectures/materials/{material}/download",
        f"/lectures/rotas/{rota}",
        f"/lectures/calendar/feed/{feed_token}.ics",
        f"/mentorship/pairings/{goal[0]}/goals/{goal[1]}/edit",
        f"/mentorship/pairings/{reviewed}/review/print",
    ]
    if attempt:
        urls.append(f"/courses/{attempt[0]}/quiz/{attempt[1]}")
    return tuple(urls)


def _audit_actions_after(last_id: int) -> set[str]:
    return set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > last_id)))


def _crawl_and_check(app, client, extra=()) -> set[str]:
    db.session.commit()
    last_audit = db.session.scalar(select(db.func.max(AuditEvent.id))) or 0
    before = fingerprint()
    with recorded_writes() as writes:
        pages = crawl(app, client, extra=extra)
    after = fingerprint()
    db.session.rollback()

    errors = [(p.url, p.status) for p in pages if p.status >= 500]
    assert not errors, f"server errors while crawling: {errors}"
    unexpected = sorted(
        {
            (endpoint, path, table)
            for method, path, endpoint, table in writes
            if method == "GET" and table not in ALLOWED_READ_SIDE_EFFECTS.get(endpoint, ((),))[0]
        }
    )
    assert not unexpected, f"GET requests wrote to the database: {unexpected}"
    allowed_tables = set().union(*(t for t, _, _ in ALLOWED_READ_SIDE_EFFECTS.values()))
    assert changed_tables(before, after) <= allowed_tables
    allowed_actions = set().union(*(a for _, a, _ in ALLOWED_READ_SIDE_EFFECTS.values()))
    assert _audit_actions_after(last_audit) <= allowed_actions
    return {p.endpoint for p in pages}


def test_no_role_changes_state_on_get(world):
    reached = set()
    for username in ROLE_USERS:
        client = logged_in(world, username)
        reached |= _crawl_and_check(world, client, extra=object_urls(username))
    reached |= _crawl_and_check(world, world.test_client(), extra=object_urls("xueyuan"))

    get_endpoints = {
        rule.endpoint
        for rule in world.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    }
    assert get_endpoints <= reached, f"GET routes never visited: {get_endpoints - reached}"


def test_a_case_view_adds_exactly_one_audit_entry(world):
    """The declared side effect is what it claims to be, not an arbitrary write."""
    client = logged_in(world, "xueyuan")
    case_id = _first("SELECT id FROM case_studies WHERE status = 'published' ORDER BY id")
    db.session.commit()
    last_audit = db.session.scalar(select(db.func.max(AuditEvent.id)))
    before = fingerprint()
    assert client.get(f"/cases/{case_id}").status_code == 200
    after = fingerprint()
    assert changed_tables(before, after) == {"audit_events"}
    new = db.session.scalars(select(AuditEvent).where(AuditEvent.id > last_audit)).all()
    assert [(e.action, e.target_id) for e in new] == [("case_viewed", case_id)]
