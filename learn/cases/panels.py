"""Home-page panel for editorial staff: what waits for them on the case desk."""

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, load_only

from learn.cases.access import can_edit, can_review
from learn.cases.models import CaseStatus, CaseStudy
from learn.extensions import db
from learn.home.panels import Panel

CASES_SHOWN = 5


def _waiting(status: CaseStatus) -> dict:
    """The latest cases in ``status`` (title and date only) and how many there are in all."""
    latest = db.session.scalars(
        select(CaseStudy)
        .options(
            load_only(CaseStudy.id, CaseStudy.title, CaseStudy.updated_at),
            lazyload(CaseStudy.category_rows),
            lazyload(CaseStudy.reader_rows),
        )
        .where(CaseStudy.status == str(status))
        .order_by(CaseStudy.updated_at.desc(), CaseStudy.id)
        .limit(CASES_SHOWN)
    ).all()
    total = len(latest)
    if total == CASES_SHOWN:
        total = db.session.scalar(
            select(func.count()).select_from(CaseStudy).where(CaseStudy.status == str(status))
        )
    return {"cases": latest, "total": total, "status": status}


def editorial_panel(user) -> Panel | None:
    """Reviewers see cases awaiting review; editors see cases returned to them."""
    if can_review(user):
        return Panel("待审核的案例", "cases/_panel.html", _waiting(CaseStatus.IN_REVIEW), order=40)
    if can_edit(user):
        return Panel("退回修改的案例", "cases/_panel.html", _waiting(CaseStatus.RETURNED), order=40)
    return None
