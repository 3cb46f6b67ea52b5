"""Check-in codes (rotation, expiry, reuse) and 学时 credited exactly once."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from learn.core.db import utcnow
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.lectures.attendance import (
    check_in,
    complete_session,
    credited_hours,
    mark_attendance,
    projector_code,
)
from learn.lectures.checkin_codes import code_for, code_is_valid, current_code, derive_secret
from learn.lectures.models import Attendance, AttendanceStatus
from learn.ledger import SourceType, entries_for
from tests.conftest import TEST_DATABASE_URL, login, make_app, post_form
from tests.factories import make_user
from tests.lectures.factories import make_org, make_series, make_session

STEP = 60
SECRET = derive_secret("test-secret")
NOON = datetime(2027, 3, 5, 4, 0, 5, tzinfo=UTC)


def test_code_rotates_each_window_and_is_six_digits():
    first, remaining = current_code(SECRET, 7, NOON, STEP)
    later, _ = current_code(SECRET, 7, NOON + timedelta(seconds=STEP), STEP)
    assert len(first) == 6 and first.isdigit()
    assert remaining == 55
    assert first != later


def test_code_works_in_its_window_and_the_next_then_expires():
    code, _ = current_code(SECRET, 7, NOON, STEP)
    assert code_is_valid(SECRET, 7, code, NOON, STEP)
    assert code_is_valid(SECRET, 7, code, NOON + timedelta(seconds=STEP), STEP)
    assert not code_is_valid(SECRET, 7, code, NOON + timedelta(seconds=2 * STEP), STEP)
    assert not code_is_valid(SECRET, 7, code, NOON - timedelta(seconds=STEP), STEP)


def test_code_is_bound_to_its_session_and_secret():
    code, _ = current_code(SECRET, 7, NOON, STEP)
    assert not code_is_valid(SECRET, 8, code, NOON, STEP)
    assert not code_is_valid(derive_secret("other"), 7, code, NOON, STEP)
    assert not code_is_valid(SECRET, 7, "12345", NOON, STEP)
    assert not code_is_valid(SECRET, 7, "abcdef", NOON, STEP)


def test_two_app_processes_with_the_same_secret_agree(tmp_path):
    """Stateless: another host (another app) accepts the code this one shows."""
    first = make_app(tmp_path / "a", SECRET_KEY="shared")
    second = make_app(tmp_path / "b", SECRET_KEY="shared")
    window = 1234567
    a = code_for(derive_secret(first.config["SECRET_KEY"]), 3, window)
    b = code_for(derive_secret(second.config["SECRET_KEY"]), 3, window)
    assert a == b


@pytest.fixture
def live_session(app):
    county, township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    speaker = make_user("daoshi", name="贺知远", unit=county)
    session = make_session(
        trainer, series, starts_in=timedelta(minutes=-5), speakers=[speaker], hours=Decimal("1.5")
    )
    cadre = make_user("xueyuan", name="林一帆", unit=township)
    return trainer, session, cadre, speaker


def _code(app, session, now=None):
    secret = derive_secret(app.config["SECRET_KEY"])
    return current_code(secret, session.id, now or utcnow(), app.config["LECTURE_CHECKIN_SECONDS"])[
        0
    ]


def test_check_in_credits_hours_once_even_when_repeated(app, live_session):
    _trainer, session, cadre, _speaker = live_session
    code = _code(app, session)
    first = check_in(cadre, session, code)
    db.session.commit()
    again = check_in(cadre, session, code)
    db.session.commit()
    assert not first.already and again.already
    entries = [e for e in entries_for(cadre.id) if e.source_type == SourceType.LECTURE_ATTENDANCE]
    assert [(e.hours, e.source_id, e.online) for e in entries] == [
        (Decimal("1.5"), str(session.id), False)
    ]
    assert credited_hours(cadre.id, session) == Decimal("1.5")


def test_an_expired_code_is_refused_and_credits_nothing(app, live_session):
    _trainer, session, cadre, _speaker = live_session
    old = _code(app, session, utcnow() - timedelta(seconds=3 * STEP))
    with pytest.raises(LearnError, match="签到码不正确或已过期"):
        check_in(cadre, session, old)
    assert credited_hours(cadre.id, session) is None


def test_a_code_of_another_session_is_refused(app, live_session):
    trainer, session, cadre, _speaker = live_session
    other = make_session(trainer, session.series, starts_in=timedelta(minutes=-1), title="另一场")
    with pytest.raises(LearnError):
        check_in(cadre, session, _code(app, other))


def test_check_in_outside_the_window_is_refused(app, live_session):
    trainer, session, cadre, _speaker = live_session
    later = make_session(trainer, session.series, starts_in=timedelta(days=2), title="后天")
    with pytest.raises(LearnError, match="不在签到时间"):
        check_in(cadre, later, _code(app, later))


def test_checking_in_late_is_recorded_as_late_and_still_credited(app, live_session):
    trainer, session, cadre, _speaker = live_session
    late = make_session(trainer, session.series, starts_in=timedelta(minutes=-40), title="迟到场")
    result = check_in(cadre, late, _code(app, late))
    db.session.commit()
    assert result.attendance.status == AttendanceStatus.LATE
    assert credited_hours(cadre.id, late) == Decimal("2.0")


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="concurrent writers need PostgreSQL")
def test_simultaneous_check_ins_of_one_cadre_credit_once(app, live_session):
    _trainer, session, cadre, _speaker = live_session
    code = _code(app, session)
    barrier = threading.Barrier(2)
    errors = []

    def attempt():
        with app.app_context():
            try:
                user = db.session.get(type(cadre), cadre.id)
                target = db.session.get(type(session), session.id)
                barrier.wait()
                check_in(user, target, code)
                db.session.commit()
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    assert len(entries_for(cadre.id)) == 1
    assert db.session.query(Attendance).filter_by(user_id=cadre.id).count() == 1


def test_hand_marking_credits_present_and_late_only(app, live_session):
    trainer, session, cadre, _speaker = live_session
    others = [make_user(f"cadre{i}", name=f"干部{i}") for i in range(3)]
    mark_attendance(
        trainer,
        session,
        {
            cadre.id: AttendanceStatus.PRESENT,
            others[0].id: AttendanceStatus.LATE,
            others[1].id: AttendanceStatus.LEAVE,
            others[2].id: AttendanceStatus.ABSENT,
        },
    )
    db.session.commit()
    credited = [credited_hours(u.id, session) for u in (cadre, *others)]
    assert credited == [Decimal("1.5"), Decimal("1.5"), None, None]
    # marking again (or checking in afterwards) adds nothing
    mark_attendance(trainer, session, {cadre.id: AttendanceStatus.LATE})
    check_in(cadre, session, _code(app, session))
    db.session.commit()
    assert len(entries_for(cadre.id)) == 1


def test_credited_hours_cannot_be_turned_into_absence(app, live_session):
    trainer, session, cadre, _speaker = live_session
    mark_attendance(trainer, session, {cadre.id: AttendanceStatus.PRESENT})
    db.session.commit()
    with pytest.raises(LearnError, match="已签到并计入学时"):
        mark_attendance(trainer, session, {cadre.id: AttendanceStatus.ABSENT})


def test_leave_marked_in_advance_then_checking_in_credits(app, live_session):
    trainer, session, cadre, _speaker = live_session
    mark_attendance(trainer, session, {cadre.id: AttendanceStatus.LEAVE})
    db.session.commit()
    check_in(cadre, session, _code(app, session))
    db.session.commit()
    assert credited_hours(cadre.id, session) == Decimal("1.5")


def test_only_the_organiser_marks_attendance_and_shows_the_code(app, live_session):
    _trainer, session, cadre, speaker = live_session
    for user in (cadre, speaker):
        with pytest.raises(PermissionDenied):
            mark_attendance(user, session, {cadre.id: AttendanceStatus.PRESENT})
        with pytest.raises(PermissionDenied):
            projector_code(user, session)


def test_completing_credits_speakers_at_the_multiple_once(app, live_session):
    trainer, session, _cadre, speaker = live_session
    complete_session(trainer, session)
    complete_session(trainer, session)
    db.session.commit()
    entries = entries_for(speaker.id)
    assert [(e.source_type, e.hours) for e in entries] == [
        (
            SourceType.LECTURE_SPEAKER,
            Decimal("1.5") * Decimal(str(app.config["SPEAKER_HOURS_MULTIPLE"])),
        )
    ]


def test_a_session_cannot_be_completed_before_it_starts(app, live_session):
    trainer, session, _cadre, _speaker = live_session
    later = make_session(trainer, session.series, starts_in=timedelta(days=1), title="明天")
    with pytest.raises(LearnError, match="还没有开始"):
        complete_session(trainer, later)


def test_check_in_page_flow_and_projector_permissions(app, client, live_session):
    _trainer, session, _cadre, _speaker = live_session
    login(client, "xueyuan")
    assert client.get(f"/lectures/sessions/{session.id}/projector").status_code == 403
    assert client.get(f"/lectures/sessions/{session.id}/checkin-qr.svg").status_code == 403
    page = client.get(f"/lectures/sessions/{session.id}")
    assert "现场签到" in page.get_data(as_text=True)
    bad = post_form(
        client,
        f"/lectures/sessions/{session.id}/checkin",
        {"code": "000000"},
        token_from=f"/lectures/sessions/{session.id}",
    )
    assert bad.status_code == 400
    assert "签到码不正确或已过期" in bad.get_data(as_text=True)
    good = post_form(
        client,
        f"/lectures/sessions/{session.id}/checkin",
        {"code": _code(app, session)},
        token_from=f"/lectures/sessions/{session.id}",
        follow_redirects=True,
    )
    assert "已计入 1.5 学时" in good.get_data(as_text=True)


def test_projector_shows_code_and_a_locally_drawn_qr(app, client, live_session):
    _trainer, session, _cadre, _speaker = live_session
    login(client, "peixun")
    page = client.get(f"/lectures/sessions/{session.id}/projector").get_data(as_text=True)
    assert _code(app, session) in page
    svg = client.get(f"/lectures/sessions/{session.id}/checkin-qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(f"/lectures/sessions/{session.id}/checkin-qr.png")
    assert png.data.startswith(b"\x89PNG")
    data = client.get(f"/lectures/sessions/{session.id}/checkin-code").get_json()
    assert data["code"] == _code(app, session) and 0 < data["remaining"] <= STEP
    landing = client.get(f"/lectures/sessions/{session.id}/checkin?code={data['code']}")
    assert f'value="{data["code"]}"' in landing.get_data(as_text=True)
