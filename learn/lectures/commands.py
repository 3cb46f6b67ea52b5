"""``learn lectures …`` commands."""

import click
from flask.cli import AppGroup

from learn.extensions import db
from learn.lectures.reminders import KIND_LABELS, send_due_reminders

lectures_cli = AppGroup("lectures", help="讲堂：提醒等定时任务。")


@lectures_cli.command("remind")
def remind_command():
    """发送到期的讲堂提醒（可重复执行，多台主机同时执行也不会重复发送）。"""
    sent = send_due_reminders()
    db.session.commit()
    for kind, label in KIND_LABELS.items():
        click.echo(f"{label}：{sent[kind]} 条")
    click.echo(f"自动确认举办：{sent['completed']} 场")
