"""``learn mentorship …`` commands."""

from datetime import date

import click
from flask.cli import AppGroup

from learn.core.timefmt import local_today
from learn.extensions import db
from learn.mentorship.services import health, pairings

mentorship_cli = AppGroup("mentorship", help="师徒帮带。")


@mentorship_cli.command("tick")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="按指定日期处理（默认今天，北京时间）。",
)
def tick_command(today):
    """记录期满的帮带关系并发送期满考核和长期未见面提醒（可重复执行，可在多台主机上同时执行）。"""
    day: date = today.date() if today else local_today()
    closed = pairings.close_ended_terms(day)
    flagged = health.flag_inactive(day)
    db.session.commit()
    click.echo(f"{day:%Y-%m-%d}：{len(closed)} 对转入期满考核，{len(flagged)} 对长期未见面已提醒。")
