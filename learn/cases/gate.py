"""The publish gate at the database session: no flush may leave a published case unclean.

Services check first and give a clear message; this listener is the backstop
for any other path (an import, an API endpoint, a script setting ``status``
by hand): it runs the checker whenever a case becomes published or a
published case's text changes, and refuses the flush if anything is found.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from learn.cases.models import CaseStatus, CaseStudy

_CONTENT = ("title", "outcome", "tags", "body", "status")


def _needs_check(case: CaseStudy, is_new: bool) -> bool:
    if case.status != CaseStatus.PUBLISHED:
        return False
    if is_new:
        return True
    state = inspect(case)
    return any(state.attrs[name].history.has_changes() for name in _CONTENT)


def _check_published(session: Session, _context, _instances) -> None:
    from learn.cases.services import ensure_publishable

    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, CaseStudy) and _needs_check(obj, obj in session.new):
            ensure_publishable(obj)


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "before_flush", _check_published):
        event.listen(Session, "before_flush", _check_published)
