"""What the test needs beyond HTTP: an open lecture to check in to, and the stored facts.

It runs the application's own services in this process against the deployment's
database (no server of its own, no index writer), the way ``learn`` commands do.
"""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select, text

from learn import create_app
from learn.accounts import User
from learn.accounts import services as accounts
from learn.cases.models import CaseStudy
from learn.core.db import utcnow
from learn.extensions import db
from learn.lectures import access
from learn.lectures.models import Attendance, LectureSeries
from learn.lectures.sessions import SessionData, create_session
from learn.ledger import HourEntry, SourceType
from tests.scaleout.deployment import Deployment

LECTURE_HOURS = Decimal("1.5")


@contextmanager
def app_context(deployment: Deployment):
    app = create_app(
        {
            "DATA_DIR": str(deployment.data_dir),
            "DATABASE_URL": deployment.database_url,
            "SECRET_KEY": deployment.secret_key,
            "REDIS_URL": deployment.redis_url,
            "SEARCH_BACKEND": deployment.search_backend,
            "SEARCH_WORKER": False,
        }
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def reset_postgres(database_url: str) -> None:
    """An empty public schema, as tests/conftest.py gives each PostgreSQL test."""
    from sqlalchemy import create_engine

    from learn.config import sqlalchemy_url

    engine = create_engine(sqlalchemy_url(database_url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def open_lecture(deployment: Deployment, organiser: str) -> int:
    """A lecture that started five minutes ago, so check-in is open now; its id."""
    with app_context(deployment):
        trainer = accounts.get_user_by_username(organiser)
        series = next(
            s
            for s in db.session.scalars(select(LectureSeries).order_by(LectureSeries.id))
            if access.can_manage_series(trainer, s)
        )
        session = create_session(
            trainer,
            series,
            SessionData(
                title="扩容验证专题讲座",
                starts_at=utcnow() - timedelta(minutes=5),
                duration_minutes=60,
                hours=LECTURE_HOURS,
                place="县纪委三楼会议室",
            ),
        )
        db.session.commit()
        return session.id


def lecture_credit(deployment: Deployment, session_id: int) -> dict[str, tuple[int, int]]:
    """Per username: (hour-ledger entries, attendance rows) for the lecture."""

    with app_context(deployment):
        entries = dict(
            db.session.execute(
                select(User.username, func.count(HourEntry.id))
                .join(HourEntry, HourEntry.user_id == User.id)
                .where(
                    HourEntry.source_type == SourceType.LECTURE_ATTENDANCE,
                    HourEntry.source_id == str(session_id),
                )
                .group_by(User.username)
            ).all()
        )
        rows = dict(
            db.session.execute(
                select(User.username, func.count(Attendance.id))
                .join(Attendance, Attendance.user_id == User.id)
                .where(Attendance.session_id == session_id)
                .group_by(User.username)
            ).all()
        )
    return {name: (entries.get(name, 0), rows.get(name, 0)) for name in entries.keys() | rows}


def case_body(deployment: Deployment, case_id: str) -> str:
    with app_context(deployment):
        return db.session.get(CaseStudy, case_id).body
