"""The ``learn`` console script: a Flask CLI group that gathers every domain's commands."""

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade


def _create_app():
    from learn import create_app

    return create_app()


@click.command("init")
@with_appcontext
def init_command():
    """创建或升级数据库和数据目录（可重复执行）。"""
    upgrade(directory=current_app.config["MIGRATIONS_DIR"], revision="heads")
    click.echo(f"数据库已就绪；数据目录：{current_app.config['DATA_DIR']}")


@click.command("demo")
@with_appcontext
def demo_command():
    """载入示例内容和示例账号（可重复执行）。"""
    from learn.demo import load_demo

    logins = load_demo(current_app, echo=click.echo)
    click.echo(f"\n示例账号（密码均为 {logins.password}）：")
    for username, label in logins.accounts:
        click.echo(f"  {username:<10} {label}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="每个进程的线程数")
@click.option(
    "--workers", default=1, show_default=True, type=int, help="进程数；大于 1 时用 gunicorn"
)
@with_appcontext
def serve_command(host, port, threads, workers):
    """启动生产级服务（单进程 waitress，多进程 gunicorn）。"""
    from learn.serving import serve

    click.echo(f"learn 正在 http://{host}:{port} 运行（{workers} 个进程，按 Ctrl+C 停止）")
    serve(current_app._get_current_object(), host, port, workers, threads)


def register_commands(app) -> None:
    """Add the platform commands to ``app.cli``; domains add theirs in their setup."""
    for command in (init_command, demo_command, serve_command):
        app.cli.add_command(command)


def main() -> None:
    FlaskGroup(create_app=_create_app, help="纪检监察干部能力建设平台命令行。")()
