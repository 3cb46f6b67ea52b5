"""``learn drills …``: validate and sync the scenario cards."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from learn.content import ContentProblems
from learn.drills.services import cards
from learn.extensions import db

drills_cli = click.Group("drills", help="模拟谈话案例卡。")


def _directory(path: str | None) -> Path:
    return Path(path) if path else cards.drills_dir()


def _fail(exc: ContentProblems) -> None:
    for error in exc.errors:
        click.echo(str(error), err=True)
    raise click.ClickException(f"案例卡有 {len(exc.errors)} 处问题，未写入任何内容。")


@drills_cli.command("check")
@click.option(
    "--dir", "path", type=click.Path(file_okay=False), help="案例卡目录（默认 courses/drills）"
)
@with_appcontext
def check_command(path):
    """只校验案例卡，不写入数据库。"""
    try:
        _criteria, docs = cards.load_content(_directory(path))
    except ContentProblems as exc:
        _fail(exc)
    click.echo(f"校验通过：{len(docs)} 张案例卡。")


@drills_cli.command("sync")
@click.option(
    "--dir", "path", type=click.Path(file_okay=False), help="案例卡目录（默认 courses/drills）"
)
@with_appcontext
def sync_command(path):
    """校验全部案例卡后写入数据库；任一张有误则全部不写入。"""
    try:
        report = cards.sync_cards(None, _directory(path))
    except ContentProblems as exc:
        db.session.rollback()
        _fail(exc)
    db.session.commit()
    click.echo(f"案例卡已同步：{report.summary()}。")
