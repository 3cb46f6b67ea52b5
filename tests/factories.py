"""Factories for users and units; every object is flushed and committed."""

from datetime import date
from itertools import count

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.extensions import db
from learn.org import UnitType
from learn.org import services as org

PASSWORD = "secret123"
_seq = count(1)


def make_unit(name: str | None = None, unit_type=UnitType.OFFICE, parent=None, cluster=None):
    unit = org.save_unit(
        None,
        None,
        name=name or f"测试单位{next(_seq)}",
        unit_type=unit_type,
        parent_id=parent.id if parent else None,
        cluster_id=cluster.id if cluster else None,
    )
    db.session.commit()
    return unit


def make_user(
    username: str | None = None,
    *roles: Role,
    name: str = "测试干部",
    unit=None,
    password: str = PASSWORD,
    must_change: bool = False,
    birth_year: int | None = 1990,
    joined_on: date | None = date(2015, 7, 1),
    **profile,
):
    data = accounts.UserData(
        username=username or f"user{next(_seq)}",
        name=name,
        unit_id=unit.id if unit else None,
        roles=set(roles),
        birth_year=birth_year,
        joined_on=joined_on,
        **profile,
    )
    user = accounts.create_user(None, data, password, must_change=must_change)
    db.session.commit()
    return user
