"""Who may read, edit, review and manage cases."""

from learn.accounts import Role

EDITORIAL_ROLES = (Role.CASE_EDITOR, Role.CASE_REVIEWER, Role.ADMIN)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_editorial(user) -> bool:
    """案例编辑, 案例审核 and 系统管理员 see every case, whatever its state."""
    return _authenticated(user) and any(user.has_role(r) for r in EDITORIAL_ROLES)


def can_edit(user) -> bool:
    return _authenticated(user) and (
        user.has_role(Role.CASE_EDITOR) or user.has_role(Role.CASE_REVIEWER)
    )


def can_review(user) -> bool:
    return _authenticated(user) and user.has_role(Role.CASE_REVIEWER)


def can_manage_access(user) -> bool:
    """Restrict a case and name its readers; withdraw a published case."""
    return _authenticated(user) and (user.has_role(Role.CASE_REVIEWER) or user.has_role(Role.ADMIN))


def can_read(user, case) -> bool:
    """Logged-in staff read published cases; restricted ones only editorial staff and named readers;
    unpublished ones only editorial staff."""
    if not _authenticated(user) or case is None:
        return False
    if is_editorial(user):
        return True
    if not case.is_published:
        return False
    return not case.restricted or user.id in case.reader_ids
