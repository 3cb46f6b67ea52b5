"""``learn search …`` commands: rebuild, drain, status, evaluate."""

from learn.extensions import db
from tests.search.factories import admin_user, library_files, publish


def test_rebuild_drain_and_status(app, runner):
    publish(admin_user(), library_files("gongkuan-chihe-2021-01", "liqin-shouli-2024-01"))
    status = runner.invoke(args=["search", "status"])
    assert "索引不存在" in status.output and "待处理变更：2 条" in status.output
    drained = runner.invoke(args=["search", "drain"])
    assert drained.exit_code == 0, drained.output
    assert "已重建：2 个案例" in drained.output
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0 and "2 个案例" in rebuilt.output
    status = runner.invoke(args=["search", "status"])
    assert "状态：正常" in status.output and "案例数：2" in status.output
    assert "待处理变更：0 条" in status.output
    db.session.remove()


def test_rebuild_waits_for_another_writer(app, runner):
    from learn.search import lease

    holder = lease.new_holder()
    assert lease.acquire(lease.WRITER, holder, 60)
    result = runner.invoke(args=["search", "rebuild", "--wait", "0"])
    assert result.exit_code != 0
    assert "另一个进程正在写入检索索引" in result.output


def test_evaluate_prints_ndcg_and_recall(app, runner):
    result = runner.invoke(args=["search", "evaluate"])
    assert result.exit_code == 0, result.output
    assert "nDCG@10" in result.output and "recall@10" in result.output
    assert "whoosh-default" in result.output and "plain" in result.output
