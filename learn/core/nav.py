"""The main navigation: each domain registers its entries with the roles that may use them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str] = frozenset()  # empty: every logged-in user
    order: int = 100

    def visible_to(self, user) -> bool:
        return not self.roles or any(user.has_role(role) for role in self.roles)


def register_nav(app, label: str, endpoint: str, roles=(), order: int = 100) -> None:
    """Add an entry to the main navigation of ``app``."""
    app.extensions.setdefault("learn_nav", []).append(
        NavItem(label, endpoint, frozenset(roles), order)
    )


def nav_for(app, user) -> list[NavItem]:
    """The entries ``user`` may see, in order."""
    items = app.extensions.get("learn_nav", [])
    return sorted((i for i in items if i.visible_to(user)), key=lambda i: i.order)
