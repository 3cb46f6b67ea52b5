"""Demo org structure and accounts for a first look; domains add their own demo loaders.

Everything here is fictitious. ``load_demo`` is idempotent: existing rows are kept.
"""

from dataclasses import dataclass
from datetime import date

from learn.accounts import Category, RankBand, Role
from learn.accounts import services as accounts
from learn.extensions import db
from learn.org import UnitType
from learn.org import services as org

DEMO_PASSWORD = "learn2026"

# (name, type, parent, cluster)
UNITS = [
    ("县纪委监委机关", UnitType.COMMISSION, None, None),
    ("第一纪检监察室", UnitType.OFFICE, "县纪委监委机关", None),
    ("第二纪检监察室", UnitType.OFFICE, "县纪委监委机关", None),
    ("案件审理室", UnitType.OFFICE, "县纪委监委机关", None),
    ("第一派驻纪检监察组", UnitType.RESIDENT_GROUP, "县纪委监委机关", None),
    ("第二派驻纪检监察组", UnitType.RESIDENT_GROUP, "县纪委监委机关", None),
    ("县直机关纪委", UnitType.ORGAN, "县纪委监委机关", None),
    ("东片区协作组", UnitType.CLUSTER, "县纪委监委机关", None),
    ("西片区协作组", UnitType.CLUSTER, "县纪委监委机关", None),
    ("城关镇纪委", UnitType.TOWNSHIP, "县纪委监委机关", "东片区协作组"),
    ("东岭镇纪委", UnitType.TOWNSHIP, "县纪委监委机关", "东片区协作组"),
    ("河湾镇纪委", UnitType.TOWNSHIP, "县纪委监委机关", "西片区协作组"),
    ("柳坪镇纪委", UnitType.TOWNSHIP, "县纪委监委机关", "西片区协作组"),
]

# (username, name, unit, position, rank, birth year, joined, roles, label)
USERS = [
    (
        "admin",
        "系统管理员",
        "县纪委监委机关",
        "信息管理",
        RankBand.SECTION_AND_BELOW,
        1985,
        date(2010, 7, 1),
        {Role.ADMIN},
        "系统管理员",
    ),
    (
        "peixun",
        "宋立衡",
        "县纪委监委机关",
        "组织部副部长",
        RankBand.SECTION_AND_BELOW,
        1983,
        date(2008, 9, 1),
        {Role.TRAINER},
        "培训管理员",
    ),
    (
        "lingdao",
        "秦望舒",
        "县纪委监委机关",
        "县纪委副书记、县监委副主任",
        RankBand.COUNTY,
        1975,
        date(1998, 8, 1),
        {Role.LEADER, Role.MENTOR},
        "班子成员（挂联东片区）",
    ),
    (
        "daoshi",
        "贺知远",
        "第一纪检监察室",
        "主任",
        RankBand.SECTION_AND_BELOW,
        1980,
        date(2005, 7, 1),
        {Role.MENTOR},
        "导师",
    ),
    (
        "xueyuan",
        "林一帆",
        "东岭镇纪委",
        "纪委委员",
        RankBand.SECTION_AND_BELOW,
        2001,
        date(2025, 8, 1),
        set(),
        "学员（镇纪委新进干部）",
    ),
    (
        "qingnian",
        "苏若晴",
        "第一派驻纪检监察组",
        "科员",
        RankBand.SECTION_AND_BELOW,
        1996,
        date(2019, 7, 1),
        set(),
        "学员（派驻组青年干部）",
    ),
    (
        "bianji",
        "江书言",
        "案件审理室",
        "副主任",
        RankBand.SECTION_AND_BELOW,
        1988,
        date(2012, 7, 1),
        {Role.CASE_EDITOR},
        "案例编辑",
    ),
    (
        "shenhe",
        "顾清和",
        "案件审理室",
        "主任",
        RankBand.SECTION_AND_BELOW,
        1978,
        date(2003, 7, 1),
        {Role.CASE_REVIEWER},
        "案例审核",
    ),
]
LEADER_LINKS = {"lingdao": ["城关镇纪委", "东岭镇纪委"]}


@dataclass(frozen=True)
class DemoLogins:
    password: str
    accounts: list[tuple[str, str]]


def register_demo_loader(app, loader) -> None:
    """Add ``loader(app, echo)`` to what ``learn demo`` loads after the accounts."""
    app.extensions.setdefault("learn_demo_loaders", []).append(loader)


def _load_units() -> None:
    for name, unit_type, parent, cluster in UNITS:
        if org.get_unit_by_name(name):
            continue
        org.save_unit(
            None,
            None,
            name=name,
            unit_type=unit_type,
            parent_id=org.get_unit_by_name(parent).id if parent else None,
            cluster_id=org.get_unit_by_name(cluster).id if cluster else None,
            sort_order=len(UNITS),
        )


def _load_users() -> None:
    for username, name, unit, position, rank, born, joined, roles, _label in USERS:
        if accounts.get_user_by_username(username):
            continue
        data = accounts.UserData(
            username=username,
            name=name,
            unit_id=org.get_unit_by_name(unit).id,
            position=position,
            rank_band=rank,
            birth_year=born,
            joined_on=joined,
            roles=roles,
            categories={Category.LEADER} if Role.LEADER in roles else set(),
        )
        user = accounts.create_user(None, data, DEMO_PASSWORD)
        for unit_name in LEADER_LINKS.get(username, []):
            org.set_leader_links(
                None,
                user,
                org.linked_unit_ids(user.id) | {org.get_unit_by_name(unit_name).id},
            )


def load_demo(app, echo=print) -> DemoLogins:
    """Load demo units, accounts and every registered domain's demo content."""
    _load_units()
    _load_users()
    db.session.commit()
    echo("示例单位和账号已就绪。")
    for loader in app.extensions.get("learn_demo_loaders", []):
        loader(app, echo)
        db.session.commit()
    return DemoLogins(DEMO_PASSWORD, [(u[0], u[8]) for u in USERS])
