"""Lectures: the county's lecture series — 季度大讲堂 (quarterly grand lecture), 小课堂
(topical small classes), 人人登讲台 (every young cadre takes the podium in turn) and
青言青语话清廉 (young cadres on integrity).

This domain owns series and their sessions (speakers, audience, capacity,
registration window, recurring generation), materials (stored through
learn.storage), registration, check-in by rotating code or locally drawn QR
code, hand-marked attendance and the 学时 it credits (attendance and lecturing,
through learn.ledger), the 人人登讲台 rota and its generator, anonymous feedback,
the calendar (.ics files and a personal feed at a secret URL) and reminders
(``learn lectures remind``).

Public names (for other domains): SeriesType, LectureSeries, LectureSession,
attended_sessions, given_sessions, next_sessions_for.
"""

from learn.lectures.models import LectureSeries, LectureSession, SeriesType
from learn.lectures.progress import attended_sessions, given_sessions
from learn.lectures.sessions import next_sessions_for

__all__ = [
    "LectureSeries",
    "LectureSession",
    "SeriesType",
    "attended_sessions",
    "given_sessions",
    "next_sessions_for",
]
