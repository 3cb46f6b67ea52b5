"""分级分类: who must take a course, who may, and who joins an audience later."""

from datetime import date

import pytest

from learn.accounts import Category, RankBand, Role
from learn.accounts import services as accounts
from learn.content.courses import AudienceRule
from learn.courses import assignments, required_completion, services
from learn.courses.audience import Cadre, Standing, audience_requirement, rule_matches
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.org import UnitType
from tests.courses.factories import EVERYONE_ELECTIVE, make_course
from tests.factories import make_unit, make_user

TOWNSHIP_NEW = (
    AudienceRule("必修", categories=("新进干部", "镇纪委干部")),
    AudienceRule("选修", everyone=True),
)


@pytest.fixture
def county(app):
    root = make_unit("县纪委监委机关", UnitType.COMMISSION)
    return {
        "root": root,
        "township": make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=root),
        "other_township": make_unit("河湾镇纪委", UnitType.TOWNSHIP, parent=root),
        "office": make_unit("第一纪检监察室", UnitType.OFFICE, parent=root),
        "group": make_unit("第一派驻纪检监察组", UnitType.RESIDENT_GROUP, parent=root),
    }


def _cadre(**kw):
    base = {
        "user_id": 1,
        "categories": frozenset(),
        "rank_band": RankBand.SECTION_AND_BELOW.value,
        "unit_type": None,
        "unit_chain": frozenset(),
    }
    return Cadre(**{**base, **kw})


def test_rule_dimensions_all_have_to_match():
    rule = AudienceRule("必修", categories=("青年干部",), unit_types=("镇纪委",))
    assert rule_matches(rule, _cadre(categories=frozenset({"青年干部"}), unit_type="镇纪委"))
    assert not rule_matches(
        rule, _cadre(categories=frozenset({"青年干部"}), unit_type="纪检监察室")
    )
    assert not rule_matches(rule, _cadre(categories=frozenset({"派驻干部"}), unit_type="镇纪委"))
    county_only = AudienceRule("必修", rank_bands=("县处级",))
    assert rule_matches(county_only, _cadre(rank_band="县处级"))
    assert not rule_matches(county_only, _cadre())


def test_first_matching_rule_wins():
    rules = (AudienceRule("选修", categories=("领导干部",)), AudienceRule("必修", everyone=True))
    assert audience_requirement(rules, _cadre(categories=frozenset({"领导干部"}))) == "选修"
    assert audience_requirement(rules, _cadre()) == "必修"
    assert audience_requirement(rules[:1], _cadre()) is None


def test_new_township_cadre_gets_the_township_courses(county, tmp_path):
    course = make_course(tmp_path, "xiangzhen", audiences=TOWNSHIP_NEW)
    newcomer = make_user(
        "newcomer", unit=county["township"], joined_on=date.today(), birth_year=1999
    )
    veteran_office = make_user("veteran", unit=county["office"], joined_on=date(2005, 7, 1))
    assert services.standing_for(newcomer, course) == Standing.REQUIRED
    assert services.standing_for(veteran_office, course) == Standing.ELECTIVE
    assert required_completion(newcomer) == (0, 1)
    assert required_completion(veteran_office) == (0, 0)


def test_joining_an_audience_later_makes_the_course_required_at_once(county, tmp_path):
    course = make_course(tmp_path, "xiangzhen", audiences=TOWNSHIP_NEW)
    mover = make_user("mover", unit=county["office"], joined_on=date(2010, 7, 1))
    assert services.standing_for(mover, course) == Standing.ELECTIVE
    accounts.update_user(
        mover,
        mover,
        accounts.UserData(
            username="mover",
            name=mover.name,
            unit_id=county["township"].id,
            joined_on=date(2010, 7, 1),
        ),
        True,
    )
    db.session.commit()
    db.session.expire_all()
    assert services.standing_for(mover, course) == Standing.REQUIRED
    assert [p.slug for p in services.my_courses(mover) if p.required] == ["xiangzhen"]


def test_manual_category_counts(county, tmp_path):
    course = make_course(
        tmp_path, "lingdao", audiences=(AudienceRule("必修", categories=("领导干部",)),)
    )
    plain = make_user("plain", unit=county["office"])
    assert services.standing_for(plain, course) is None
    made_leader = make_user("made", unit=county["office"], categories={Category.LEADER})
    assert services.standing_for(made_leader, course) == Standing.REQUIRED


def test_electives_are_self_enrolled_and_outsiders_cannot(county, tmp_path):
    elective = make_course(tmp_path, "xuanxiu", audiences=EVERYONE_ELECTIVE)
    closed = make_course(
        tmp_path, "paizhu", audiences=(AudienceRule("必修", unit_types=("派驻纪检监察组",)),)
    )
    user = make_user("learner", unit=county["office"])
    assert services.my_courses(user) == []
    enrollment = services.enroll(user, elective)
    assert enrollment.origin == "elective"
    assert services.enroll(user, elective).id == enrollment.id
    with pytest.raises(LearnError, match="不面向您"):
        services.enroll(user, closed)
    with pytest.raises(LearnError, match="报名"):
        services.complete_lesson(user, closed, closed.active_lessons[0])
    db.session.commit()
    assert [p.slug for p in services.my_courses(user)] == ["xuanxiu"]
    assert required_completion(user) == (0, 0)


def test_unit_assignment_reaches_sub_units_and_later_members(county, tmp_path):
    course = make_course(tmp_path, "zhiding", audiences=EVERYONE_ELECTIVE)
    trainer = make_user("trainer", Role.TRAINER, unit=county["root"])
    in_township = make_user("in-township", unit=county["township"])
    elsewhere = make_user("elsewhere", unit=county["office"])
    assignments.assign_to_unit(trainer, course, county["township"].id)
    db.session.commit()
    assert services.standing_for(in_township, course) == Standing.UNIT_ASSIGNED
    assert services.standing_for(elsewhere, course) == Standing.ELECTIVE
    later = make_user("later", unit=county["township"])
    assert services.standing_for(later, course) == Standing.UNIT_ASSIGNED

    assignments.assign_to_unit(trainer, course, county["root"].id)
    db.session.commit()
    assert services.standing_for(elsewhere, course) == Standing.UNIT_ASSIGNED


def test_personal_assignment_and_trainer_scope(county, tmp_path):
    course = make_course(tmp_path, "zhiding", audiences=EVERYONE_ELECTIVE)
    township_trainer = make_user("zhenpeixun", Role.TRAINER, unit=county["township"])
    mine = make_user("mine", unit=county["township"])
    theirs = make_user("theirs", unit=county["other_township"])
    assignments.assign_to_people(township_trainer, course, ["mine"])
    db.session.commit()
    assert services.standing_for(mine, course) == Standing.ASSIGNED
    with pytest.raises(PermissionDenied):
        assignments.assign_to_people(township_trainer, course, ["mine", "theirs"])
    with pytest.raises(PermissionDenied):
        assignments.assign_to_unit(township_trainer, course, county["other_township"].id)
    with pytest.raises(LearnError, match="不存在"):
        assignments.assign_to_people(township_trainer, course, ["nobody"])
    db.session.rollback()
    assert services.standing_for(theirs, course) == Standing.ELECTIVE


def test_archived_courses_are_never_required(county, tmp_path):
    course = make_course(tmp_path, "old")
    user = make_user("user", unit=county["office"])
    assert required_completion(user) == (0, 1)
    course.status = "archived"
    db.session.commit()
    assert required_completion(user) == (0, 0)
