from sqlalchemy import select

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.audit import AuditEvent
from learn.extensions import db
from learn.org import UnitType
from learn.org import services as org
from tests.conftest import login, post_form
from tests.factories import make_unit, make_user

USER_FORM = {
    "name": "新同志",
    "unit_id": "0",
    "rank_band": "乡科级及以下",
    "position": "",
    "birth_year": "",
    "joined_on": "",
}


def _admin(client):
    make_user("boss", Role.ADMIN, name="管理员")
    login(client, "boss")


def test_admin_creates_a_user_who_must_change_password(client):
    _admin(client)
    unit = make_unit("东岭镇纪委", UnitType.TOWNSHIP)
    data = dict(USER_FORM, username="xinren", unit_id=str(unit.id), password="Start2026x")
    response = post_form(client, "/admin/users/new", data)
    assert response.status_code == 302
    user = accounts.get_user_by_username("xinren")
    assert user.must_change_password and user.unit.name == "东岭镇纪委"


def test_duplicate_username_re_renders_with_a_chinese_message(client):
    _admin(client)
    make_user("taken")
    data = dict(USER_FORM, username="taken", password="Start2026x")
    response = post_form(client, "/admin/users/new", data)
    assert response.status_code == 200
    assert "用户名“taken”已存在" in response.get_data(as_text=True)


def test_bad_birth_year_shows_the_field_error(client):
    _admin(client)
    data = dict(USER_FORM, username="nian", password="Start2026x", birth_year="18")
    page = post_form(client, "/admin/users/new", data).get_data(as_text=True)
    assert "请填写四位出生年份" in page
    assert accounts.get_user_by_username("nian") is None


def test_role_change_is_audited_and_leader_links_saved(client):
    _admin(client)
    unit = make_unit("河湾镇纪委", UnitType.TOWNSHIP)
    target = make_user("lead", name="班子成员甲")
    data = dict(
        USER_FORM,
        username="lead",
        name="班子成员甲",
        roles=["leader"],
        linked_units=[str(unit.id)],
        active="y",
    )
    response = post_form(client, f"/admin/users/{target.id}", data)
    assert response.status_code == 302
    db.session.expire_all()
    assert accounts.get_user(target.id).has_role(Role.LEADER)
    assert org.linked_unit_ids(target.id) == {unit.id}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roles_changed"))
    assert event.username == "boss" and "班子成员" in event.detail


def test_admin_cannot_remove_own_admin_role(client):
    _admin(client)
    me = accounts.get_user_by_username("boss")
    data = dict(USER_FORM, username="boss", name="管理员", roles=[], active="y")
    page = post_form(client, f"/admin/users/{me.id}", data, follow_redirects=True)
    assert "不能移除自己的系统管理员角色" in page.get_data(as_text=True)
    db.session.expire_all()
    assert accounts.get_user(me.id).has_role(Role.ADMIN)


def test_unit_cannot_become_its_own_ancestor(client):
    _admin(client)
    parent = make_unit("上级", UnitType.COMMISSION)
    child = make_unit("下级", UnitType.OFFICE, parent=parent)
    data = {
        "name": "上级",
        "unit_type": "县纪委监委机关",
        "parent_id": str(child.id),
        "cluster_id": "0",
        "sort_order": "0",
    }
    page = post_form(client, f"/admin/units/{parent.id}", data).get_data(as_text=True)
    assert "上级单位不能是本单位或其下级单位" in page
    db.session.expire_all()
    assert org.get_unit(parent.id).parent_id is None


def test_cluster_must_be_a_cluster_unit(client):
    _admin(client)
    not_cluster = make_unit("普通单位", UnitType.OFFICE)
    data = {
        "name": "某镇纪委",
        "unit_type": "镇纪委",
        "parent_id": "0",
        "cluster_id": str(not_cluster.id),
        "sort_order": "0",
    }
    page = post_form(client, "/admin/units/new", data).get_data(as_text=True)
    assert "片区协作组" in page
    assert org.get_unit_by_name("某镇纪委") is None


def test_audit_page_filters_by_action(client):
    _admin(client)
    login(client.application.test_client(), "boss", "wrong-pass9")
    page = client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "登录失败" in page
    assert page.count("<tr>") == 2  # header + the one failed login


def test_password_reset_forces_change(client):
    _admin(client)
    target = make_user("zhang")
    post_form(
        client,
        f"/admin/users/{target.id}/password",
        {"password": "Temp2026x"},
        token_from=f"/admin/users/{target.id}",
    )
    db.session.expire_all()
    assert accounts.get_user(target.id).must_change_password
    assert accounts.authenticate("zhang", "Temp2026x") is not None
