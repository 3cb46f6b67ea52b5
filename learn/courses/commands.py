"""``learn content sync`` and ``learn content check`` for the course files."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from learn.content import ContentProblems
from learn.content.courses import load_courses
from learn.courses.sync import sync_courses
from learn.extensions import db


def _root(directory: str | None) -> Path:
    return Path(directory or current_app.config["COURSES_DIR"])


def _fail(problems: ContentProblems) -> None:
    for error in problems.errors:
        click.echo(str(error), err=True)
    click.echo(f"共 {len(problems.errors)} 处问题，未写入任何内容。", err=True)
    raise SystemExit(1)


@click.command("check")
@click.option("--dir", "directory", help="课程文件夹（默认 LEARN_COURSES_DIR）")
@with_appcontext
def check_command(directory):
    """检查课程文件（不写数据库）；有问题时逐条列出文件和行号。"""
    try:
        courses = load_courses(_root(directory))
    except ContentProblems as problems:
        _fail(problems)
    click.echo(f"课程文件检查通过：{len(courses)} 门课程。")


@click.command("sync")
@click.option("--dir", "directory", help="课程文件夹（默认 LEARN_COURSES_DIR）")
@with_appcontext
def sync_command(directory):
    """校验全部课程文件，全部无误后写入数据库：按 id 新增或更新，未变的跳过，删除的归档。"""
    try:
        report = sync_courses(load_courses(_root(directory)), root_name=_root(directory).name)
    except ContentProblems as problems:
        db.session.rollback()
        _fail(problems)
    db.session.commit()
    click.echo(f"课程同步完成：{report.summary()}。")
    for label, slugs in (
        ("新增", report.created),
        ("更新", report.updated),
        ("归档", report.archived),
    ):
        for slug in slugs:
            click.echo(f"  {label} {slug}")


def register(app) -> None:
    """Add ``check`` and ``sync`` to the ``content`` group, creating it if no domain has yet."""
    group = app.cli.commands.get("content")
    if group is None:
        group = AppGroup("content", help="内容文件：检查与同步。")
        app.cli.add_command(group)
    group.add_command(check_command)
    group.add_command(sync_command)
