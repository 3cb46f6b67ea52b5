"""Who is told about a pairing: the trainers in charge of the mentee's unit."""

from itertools import product

from learn.accounts import Role
from learn.extensions import db
from learn.mentorship.services.notices import programme_owners
from learn.org import UnitType
from learn.org import services as org
from tests.factories import make_unit, make_user
from tests.mentorship.factories import make_pairing, make_programme


def test_trainers_above_the_mentee_or_over_its_cluster_own_the_pairing(app):
    p = make_programme()
    cluster = make_unit("东片区协作组", UnitType.CLUSTER, parent=p.root)
    town_c = make_unit("石桥镇纪委", UnitType.TOWNSHIP, parent=p.root, cluster=cluster)
    over_cluster = make_user("t-cluster", Role.TRAINER, name="周启明", unit=cluster)
    in_town_c = make_user("t-town-c", Role.TRAINER, name="陈书远", unit=town_c)
    make_user("t-town-b", Role.TRAINER, name="郑怀安", unit=p.town_b)
    make_user("not-trainer", Role.MENTOR, name="冯立言", unit=town_c)
    gone = make_user("t-gone", Role.TRAINER, name="钱知行", unit=p.root)
    gone.active = False
    db.session.commit()
    mentee = make_user("mentee-c", name="孙若溪", unit=town_c)

    owners = programme_owners(make_pairing(p.mentor, mentee))

    assert {u.username for u in owners} == {
        p.trainer.username,
        over_cluster.username,
        in_town_c.username,
    }


def test_units_above_is_the_inverse_of_units_below(app):
    p = make_programme()
    cluster = make_unit("西片区协作组", UnitType.CLUSTER, parent=p.root)
    town_c = make_unit("柳溪镇纪委", UnitType.TOWNSHIP, parent=p.root, cluster=cluster)
    office = make_unit("柳溪镇纪委办公室", UnitType.OFFICE, parent=town_c)
    units = [p.root, p.town_a, p.town_b, cluster, town_c, office]

    for low, high in product(units, units):
        below = low.id in org.with_units_below({high.id})
        assert (high.id in org.with_units_above({low.id})) == below, (low.name, high.name)
    assert org.with_units_above({office.id}) == {office.id, town_c.id, cluster.id, p.root.id}
