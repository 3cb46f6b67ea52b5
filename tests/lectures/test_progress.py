"""The section on a cadre's growth page: lectures attended and given, scores only in aggregate."""

from datetime import timedelta

from flask import render_template

from learn.core.progress import progress_sections
from learn.extensions import db
from learn.lectures.attendance import mark_attendance
from learn.lectures.feedback import submit_feedback
from learn.lectures.models import AttendanceStatus
from tests.factories import make_user
from tests.lectures.factories import make_org, make_series, make_session


def test_section_lists_attended_and_given_with_anonymous_scores(app):
    county, township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    young = make_user("qingnian", name="苏若晴", unit=township, birth_year=1996)
    talk = make_session(
        trainer, series, starts_in=timedelta(days=-20), speakers=[young], title="我讲的一课"
    )
    heard = make_session(trainer, series, starts_in=timedelta(days=-10), title="我听的一课")
    raters = [make_user(f"rater{i}", name=f"评价人{i}") for i in range(3)]
    mark_attendance(trainer, talk, {r.id: AttendanceStatus.PRESENT for r in raters})
    mark_attendance(trainer, heard, {young.id: AttendanceStatus.PRESENT})
    for rater, score in zip(raters, (5, 4, 3), strict=True):
        submit_feedback(rater, talk, score, score, score, now=talk.ends_at + timedelta(hours=1))
    db.session.commit()

    section = next(s for s in progress_sections(app, young) if s.key == "lectures")
    assert [s.title for s in section.context["attended"]] == ["我听的一课"]
    ((given, summary),) = section.context["given"]
    assert given.title == "我讲的一课" and summary.visible
    with app.test_request_context():
        html = render_template(section.template, section=section)
    assert "综合 4.0 / 5（3 份）" in html and "我听的一课" in html
    for rater in raters:
        assert rater.name not in html


def test_no_section_for_someone_without_lectures(app):
    nobody = make_user("nobody")
    assert all(s.key != "lectures" for s in progress_sections(app, nobody))
