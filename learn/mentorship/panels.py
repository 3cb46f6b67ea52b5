"""The home-page panel: my pairing's status and the next meeting due, what waits for me."""

from learn.core.timefmt import local_today
from learn.home.panels import Panel
from learn.mentorship import access
from learn.mentorship.services import dashboard, pairings
from learn.mentorship.states import OPEN_STATES


def build_panel(user) -> Panel | None:
    today = local_today()
    as_mentee = [
        dashboard.pair_row(p, today)
        for p in pairings.pairings_as_mentee(user.id)
        if p.state_on(today) in OPEN_STATES
    ]
    as_mentor = [
        dashboard.pair_row(p, today)
        for p in pairings.pairings_as_mentor(user.id)
        if p.state_on(today) in OPEN_STATES
    ]
    board = dashboard.build(user, today) if access.is_trainer(user) else None
    if not (as_mentee or as_mentor or (board and board.rows)):
        return None
    return Panel(
        title="师徒帮带",
        template="mentorship/_panel.html",
        context={"as_mentee": as_mentee, "as_mentor": as_mentor, "board": board, "me": user},
        order=40,
    )
