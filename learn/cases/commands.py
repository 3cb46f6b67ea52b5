"""``learn cases …``: check, import and export case files; measure the anonymization checker."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases import services
from learn.cases.evaluation import evaluate_folder
from learn.cases.library import available_cores, check_files
from learn.errors import LearnError
from learn.extensions import db

cases_cli = AppGroup("cases", help="案例库：检查、导入、导出案例文件。")

_PATHS = click.Path(exists=True, path_type=Path)


def _extra_domains() -> tuple[str, ...]:
    return tuple(current_app.config.get("CASES_EXTRA_DOMAINS", ()))


def _report_problems(report) -> None:
    for error in report.errors:
        click.echo(str(error), err=True)


@cases_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
def check_command(paths):
    """检查案例文件的格式和匿名化情况（不改动数据库）；有问题时以非零状态退出。"""
    report = check_files(paths, _extra_domains(), workers=available_cores())
    _report_problems(report)
    if report.errors:
        files = len({e.path for e in report.errors})
        raise click.ClickException(f"{files} 个文件共有 {len(report.errors)} 处问题。")
    click.echo(f"已检查 {len(report.cases)} 个案例文件，未发现问题。")


def _admin(username: str | None):
    if not username:
        raise click.ClickException("直接发布须用 --user 指定一名系统管理员账号。")
    user = accounts.get_user_by_username(username)
    if user is None or not user.has_role(Role.ADMIN):
        raise click.ClickException(f"“{username}”不是系统管理员，不能导入并直接发布。")
    return user


@cases_cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="导入后直接发布（须为系统管理员）")
@click.option("--user", "username", help="以该账号的名义导入（--publish 时须为系统管理员）")
def import_command(folder, publish, username):
    """导入一个文件夹中的全部案例：任一文件有问题则全部不导入。"""
    actor = (
        _admin(username)
        if publish
        else (accounts.get_user_by_username(username) if username else None)
    )
    if username and actor is None:
        raise click.ClickException(f"用户“{username}”不存在。")
    report = check_files([folder], _extra_domains(), workers=available_cores())
    if report.errors:
        _report_problems(report)
        raise click.ClickException(
            f"有 {len(report.errors)} 处问题，未导入任何案例，案例库保持不变。"
        )
    try:
        result = services.import_cases(actor, report.cases, publish=publish, checked=True)
    except LearnError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.message}（未导入任何案例）") from exc
    db.session.commit()
    click.echo(
        f"新增 {len(result.created)} 个，更新 {len(result.updated)} 个，"
        f"未变 {len(result.unchanged)} 个；"
        + (
            f"已发布 {len(result.published)} 个。"
            if publish
            else "新增和更新的案例已进入审核队列。"
        )
    )


@cases_cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--include-restricted", is_flag=True, help="同时导出受限阅读的案例")
def export_command(folder, include_restricted):
    """把已发布的案例按案例文件格式写入文件夹（可再导入）。"""
    written = services.export_cases(None, folder, include_restricted=include_restricted)
    db.session.commit()
    click.echo(f"已导出 {len(written)} 个案例到 {folder}。")


@cases_cli.command("measure")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def measure_command(folder):
    """在带标注的样本集上测量匿名化检查的查准率和查全率。"""
    result = evaluate_folder(folder)
    for line in result.report_lines():
        click.echo(line)
