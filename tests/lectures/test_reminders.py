"""Reminders are sent once: again and again, and from two hosts at the same time."""

import io
import threading
from collections import Counter
from datetime import timedelta

import pytest

from learn.core.db import utcnow
from learn.extensions import db
from learn.lectures.attendance import mark_attendance
from learn.lectures.materials import add_file
from learn.lectures.models import AttendanceStatus, ReminderSent
from learn.lectures.registration import register
from learn.lectures.reminders import send_due_reminders
from learn.notifications import Notification
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user
from tests.lectures.factories import make_org, make_series, make_session


def _titles(user):
    return sorted(
        db.session.scalars(db.select(Notification.title).where(Notification.user_id == user.id))
    )


@pytest.fixture
def scene(app):
    county, township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    speaker = make_user("daoshi", name="贺知远", unit=county)
    tomorrow = make_session(
        trainer, series, starts_in=timedelta(hours=20), speakers=[speaker], title="明天的课"
    )
    past = make_session(trainer, series, starts_in=timedelta(hours=-4), title="刚结束的课")
    cadre = make_user("xueyuan", name="林一帆", unit=township)
    register(cadre, tomorrow)
    mark_attendance(trainer, past, {cadre.id: AttendanceStatus.PRESENT})
    add_file(speaker, tomorrow, io.BytesIO(b"%PDF-1.4 x"), "讲义.pdf")
    db.session.commit()
    return trainer, series, tomorrow, past, cadre, speaker


def test_each_kind_is_sent_and_a_second_run_sends_nothing(app, scene):
    _trainer, _series, tomorrow, past, cadre, speaker = scene
    first = send_due_reminders()
    db.session.commit()
    assert _titles(cadre) == sorted(
        [f"明天开讲：{tomorrow.title}", f"资料已上传：{tomorrow.title}", f"请评价：{past.title}"]
    )
    assert f"明天开讲：{tomorrow.title}" in _titles(speaker)
    trainer_titles = _titles(_trainer)
    assert f"开始报名：{tomorrow.title}" in trainer_titles  # in the audience, not registered
    assert first["completed"] == 1  # the past session with attendance is confirmed as held
    again = send_due_reminders()
    db.session.commit()
    assert sum(v for k, v in again.items() if k != "completed") == 0 and again["completed"] == 0
    assert Counter(_titles(cadre)) == Counter(
        [f"明天开讲：{tomorrow.title}", f"资料已上传：{tomorrow.title}", f"请评价：{past.title}"]
    )


def test_the_command_is_idempotent(app, runner, scene):
    first = runner.invoke(args=["lectures", "remind"])
    assert first.exit_code == 0, first.output
    assert "开讲前一天：2 条" in first.output
    second = runner.invoke(args=["lectures", "remind"])
    assert "开讲前一天：0 条" in second.output and "请求评价：0 条" in second.output


def test_a_reminder_already_recorded_is_not_sent(app, scene):
    _trainer, _series, tomorrow, _past, cadre, _speaker = scene
    db.session.add(ReminderSent(kind="day_before", ref_id=tomorrow.id, user_id=cadre.id))
    db.session.commit()
    send_due_reminders()
    db.session.commit()
    assert f"明天开讲：{tomorrow.title}" not in _titles(cadre)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="two concurrent hosts need PostgreSQL")
def test_two_hosts_running_at_once_send_each_reminder_once(app, scene):
    barrier = threading.Barrier(2)
    errors = []

    def host():
        with app.app_context():
            try:
                barrier.wait()
                send_due_reminders(utcnow())
                db.session.commit()
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=host) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    _trainer, _series, _tomorrow, _past, cadre, _speaker = scene
    titles = _titles(cadre)
    assert len(titles) == len(set(titles)) == 3
