"""Home-page panel for editorial staff: what waits for them on the case desk."""

from learn.cases.access import can_edit, can_review
from learn.cases.models import CaseStatus
from learn.cases.services import cases_in
from learn.home.panels import Panel


def editorial_panel(user) -> Panel | None:
    """Reviewers see cases awaiting review; editors see cases returned to them."""
    if can_review(user):
        waiting = cases_in([CaseStatus.IN_REVIEW])
        return Panel(
            "待审核的案例",
            "cases/_panel.html",
            {"cases": waiting[:5], "total": len(waiting), "status": CaseStatus.IN_REVIEW},
            order=40,
        )
    if can_edit(user):
        returned = cases_in([CaseStatus.RETURNED])
        return Panel(
            "退回修改的案例",
            "cases/_panel.html",
            {"cases": returned[:5], "total": len(returned), "status": CaseStatus.RETURNED},
            order=40,
        )
    return None
