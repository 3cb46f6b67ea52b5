"""``learn search …``: rebuild, drain, run the writer, show status, measure relevance."""

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from learn.config import PROJECT_ROOT
from learn.search import outbox
from learn.search.indexer import Writer, WriterBusy, rebuild_reason
from learn.search.services import backend

search_cli = AppGroup("search", help="案例检索索引：重建、应用变更、后台写入、状态和相关性评测。")
DEFAULT_JUDGMENTS = PROJECT_ROOT / "bench" / "relevance" / "judgments.yaml"


@search_cli.command("rebuild")
@click.option("--wait", default=120, show_default=True, help="等待其他写入进程的最长秒数")
def rebuild_command(wait):
    """重建检索索引：写入新目录后原子切换，期间检索照常可用。"""
    try:
        count = Writer(backend()).run_exclusive(lambda w: w.rebuild(), wait)
    except WriterBusy as exc:
        raise click.ClickException("另一个进程正在写入检索索引，请稍后重试。") from exc
    click.echo(f"检索索引已重建：{count} 个案例。")


@search_cli.command("drain")
@click.option("--wait", default=120, show_default=True, help="等待其他写入进程的最长秒数")
def drain_command(wait):
    """把待处理的案例变更写入检索索引（缺失或过期的索引先重建）。"""

    def task(writer: Writer):
        reason = rebuild_reason(writer.backend)
        rebuilt = writer.rebuild() if reason else None
        return reason, rebuilt, writer.drain()

    try:
        reason, rebuilt, applied = Writer(backend()).run_exclusive(task, wait)
    except WriterBusy as exc:
        raise click.ClickException("另一个进程正在写入检索索引，请稍后重试。") from exc
    if reason:
        click.echo(f"索引{_REASONS[reason]}，已重建：{rebuilt} 个案例。")
    click.echo(f"已应用 {applied} 条变更。")


@search_cli.command("worker")
@click.option("--interval", default=2.0, show_default=True, help="检查变更的间隔秒数")
def worker_command(interval):
    """在前台持续运行索引写入进程（部署时可代替服务进程里的后台线程）。"""
    writer = Writer(backend())
    click.echo("检索索引写入进程已启动（按 Ctrl+C 停止）。")
    while True:
        report = writer.cycle()
        if report and (report.rebuilt or report.applied):
            click.echo(f"重建：{report.rebuilt or '否'}；应用变更：{report.applied} 条")
        time.sleep(interval)


_REASONS = {"missing": "不存在", "corrupt": "已损坏", "vocabulary": "与当前词库不一致"}


@search_cli.command("status")
def status_command():
    """显示检索索引状态。"""
    b = backend()
    status = b.status()
    click.echo(f"后端：{b.name}")
    state = "正常" if status.ok else f"索引{_REASONS.get(status.state, status.state)}"
    click.echo(f"状态：{state}")
    click.echo(f"案例数：{status.documents}")
    reason = rebuild_reason(b)
    if reason:
        click.echo(f"需要重建：索引{_REASONS[reason]}")
    click.echo(f"待处理变更：{outbox.pending_count()} 条")


@search_cli.command("evaluate")
@click.option(
    "--judgments",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_JUDGMENTS,
    show_default=True,
    help="评测查询集（YAML）",
)
@click.option("--cases", "cases_dir", type=click.Path(exists=True, file_okay=False), default=None)
@click.option("--verbose", is_flag=True, help="逐条列出每个查询的得分")
def evaluate_command(judgments, cases_dir, verbose):
    """用评测查询集计算 nDCG@10 和 recall@10（本引擎、去掉领域词汇的引擎、Whoosh 默认）。"""
    from learn.search.documents import documents_from_folder
    from learn.search.evaluation import VARIANTS, evaluate, load_judgments, mean

    docs = documents_from_folder(Path(cases_dir or current_app.config["CASES_DIR"]))
    judged = load_judgments(judgments)
    results = evaluate(docs, judged)
    click.echo(f"{len(judged)} 个查询，{len(docs)} 个案例\n")
    click.echo(f"{'nDCG@10':>8} {'recall@10':>10}  引擎")
    for name, scores in results.items():
        ndcg = mean(s.ndcg for s in scores)
        recall = mean(s.recall for s in scores)
        click.echo(f"{ndcg:8.3f} {recall:10.3f}  {name}: {VARIANTS[name]}")
    kinds = sorted({s.kind for scores in results.values() for s in scores})
    click.echo("\n按查询类型的 nDCG@10：")
    click.echo(f"{'':16}" + "".join(f"{k:>10}" for k in kinds))
    for name, scores in results.items():
        by_kind = [mean(s.ndcg for s in scores if s.kind == k) for k in kinds]
        click.echo(f"{name:16}" + "".join(f"{v:10.3f}" for v in by_kind))
    if verbose:
        for name, scores in results.items():
            click.echo(f"\n[{name}]")
            for s in scores:
                click.echo(f"{s.ndcg:6.3f} {s.recall:6.3f} {s.kind:<8} {s.query}")
