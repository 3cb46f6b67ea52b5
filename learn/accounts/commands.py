"""``learn users …`` commands: create, import a roster, issue an API token."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.accounts.importing import RosterError, import_users, parse_roster
from learn.errors import LearnError
from learn.extensions import db
from learn.org import services as org

users_cli = AppGroup("users", help="管理用户账号。")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", required=True, help="姓名")
@click.option("--unit", default="", help="所在单位名称")
@click.option("--position", default="", help="职务")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="角色，可重复",
)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取一行作为密码")
def create_user(username, name, unit, position, roles, password_stdin):
    """创建一个用户。"""
    unit_id = None
    if unit:
        found = org.get_unit_by_name(unit)
        if found is None:
            raise click.ClickException(f"单位“{unit}”不存在。")
        unit_id = found.id
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    data = accounts.UserData(
        username=username,
        name=name,
        unit_id=unit_id,
        position=position,
        roles={Role(r) for r in roles},
    )
    try:
        user = accounts.create_user(None, data, password)
    except LearnError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"已创建用户 {user.username}（{user.name}）。")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_roster(file: Path):
    """从 CSV（UTF-8 或 GBK）或 XLSX 名单批量导入用户；任一行有误则全部不导入。"""
    try:
        rows = parse_roster(file)
    except RosterError as exc:
        for problem in exc.problems:
            click.echo(f"{file}: {problem}", err=True)
        raise click.ClickException(f"名单有 {len(exc.problems)} 处错误，未导入任何用户。") from exc
    try:
        with click.progressbar(length=len(rows), label="导入用户", file=sys.stderr) as bar:
            import_users(None, rows, progress=lambda _row: bar.update(1))
    except LearnError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.message}（未导入任何用户）") from exc
    db.session.commit()
    click.echo(f"已导入 {len(rows)} 名用户；首次登录须修改密码。")
    generated = [row for row in rows if row.password_generated]
    if generated:
        click.echo("以下用户的初始密码由系统生成，请妥善转交：")
        for row in generated:
            click.echo(f"{row.data.username}\t{row.password}")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="命令行生成", help="令牌用途")
@click.option("--write", is_flag=True, help="生成读写令牌（默认只读）")
def issue_token(username, name, write):
    """为用户生成一个新的 API 令牌，打印到标准输出（仅此一次）。"""
    user = accounts.get_user_by_username(username)
    if user is None:
        raise click.ClickException(f"用户“{username}”不存在。")
    _token, clear = accounts.issue_token(user, name, "write" if write else "read")
    db.session.commit()
    click.echo(clear)
