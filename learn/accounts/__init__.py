"""Accounts: users (cadres and their profiles), roles, passwords, API tokens and login.

Public names: User, Role, Category, RankBand, ApiToken, roles_required, services.
"""

from learn.accounts.models import ApiToken, Category, RankBand, Role, User
from learn.accounts.permissions import roles_required

__all__ = ["ApiToken", "Category", "RankBand", "Role", "User", "roles_required"]
