from sqlalchemy import func, select

from learn.accounts import Role, User
from learn.accounts import services as accounts
from learn.extensions import db
from learn.org import OrgUnit


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_is_idempotent_and_prints_logins(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin" in first.output and "learn2026" in first.output
    users, units = _count(User), _count(OrgUnit)
    assert users >= 8 and units >= 10
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert (_count(User), _count(OrgUnit)) == (users, units)


def test_users_create_reads_the_password_from_stdin(runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(
        args=[
            "users",
            "create",
            "zhaoli",
            "--name",
            "赵立",
            "--unit",
            "东岭镇纪委",
            "--role",
            "mentor",
            "--password-stdin",
        ],
        input="goodpass123\n",
    )
    assert result.exit_code == 0, result.output
    user = accounts.get_user_by_username("zhaoli")
    assert user.has_role(Role.MENTOR)
    assert accounts.authenticate("zhaoli", "goodpass123") is not None


def test_users_create_refuses_weak_password_and_unknown_unit(runner):
    weak = runner.invoke(
        args=["users", "create", "zhaoli", "--name", "赵立", "--password-stdin"], input="123\n"
    )
    assert weak.exit_code != 0
    assert "至少需要 8 位" in weak.output
    unit = runner.invoke(
        args=[
            "users",
            "create",
            "zhaoli",
            "--name",
            "赵立",
            "--unit",
            "无此单位",
            "--password-stdin",
        ],
        input="goodpass123\n",
    )
    assert unit.exit_code != 0
    assert "单位“无此单位”不存在" in unit.output
    assert accounts.get_user_by_username("zhaoli") is None


def test_users_token_prints_one_working_line(runner, client):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["users", "token", "peixun"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {lines[0]}"})
    assert response.get_json()["username"] == "peixun"


def test_users_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["users", "token", "ghost"])
    assert result.exit_code != 0
    assert "不存在" in result.output
