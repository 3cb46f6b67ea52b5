from datetime import date

from learn.accounts import Category, RankBand
from learn.accounts import services as accounts
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.org import UnitType
from tests.factories import make_unit, make_user


def test_categories_are_derived_from_profile(app):
    township = make_unit("东岭镇纪委", UnitType.TOWNSHIP)
    this_year = local_today().year
    user = make_user(
        "xin", unit=township, birth_year=this_year - 24, joined_on=date(this_year, 1, 1)
    )
    assert user.categories == {Category.NEW_RECRUIT, Category.YOUNG, Category.TOWNSHIP}


def test_resident_group_and_county_rank(app):
    group = make_unit("第一派驻纪检监察组", UnitType.RESIDENT_GROUP)
    user = make_user(
        "lao", unit=group, birth_year=1970, joined_on=date(1995, 1, 1), rank_band=RankBand.COUNTY
    )
    assert user.categories == {Category.RESIDENT, Category.LEADER}


def test_manual_categories_are_added(app):
    user = make_user("shou", birth_year=1970, joined_on=date(1995, 1, 1))
    data = accounts.UserData(
        username="shou", name=user.name, birth_year=1970, categories={Category.YOUNG}
    )
    accounts.update_user(None, user, data, active=True)
    db.session.commit()
    assert user.categories == {Category.YOUNG}
