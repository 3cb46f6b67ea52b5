"""``learn backup FILE`` and ``learn restore FILE``."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from learn.backup.services import create_backup, restore_backup
from learn.errors import LearnError


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path):
    """备份数据库（在线一致性副本）和上传文件到一个 .tar.gz 文件。"""
    try:
        report = create_backup(Path(current_app.config["DATA_DIR"]), file)
    except LearnError as exc:
        raise click.ClickException(exc.message) from exc
    rows = sum(t["rows"] for t in report.tables.values())
    click.echo(f"已备份到 {report.path}（{len(report.tables)} 张表，{rows} 行）。")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再确认，直接覆盖当前数据")
@with_appcontext
def restore_command(file: Path, yes: bool):
    """从备份文件恢复数据库和上传文件（请先停止服务）；检索索引将在下次启动时重建。"""
    if not yes:
        click.confirm("恢复将覆盖当前全部数据，确定继续吗？", abort=True)
    try:
        report = restore_backup(Path(current_app.config["DATA_DIR"]), file)
    except LearnError as exc:
        raise click.ClickException(exc.message) from exc
    rows = sum(t["rows"] for t in report.tables.values())
    click.echo(f"已恢复 {len(report.tables)} 张表，{rows} 行；检索索引将在下次启动时重建。")
