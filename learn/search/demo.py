"""Demo loader: bring the search index up to date with the demo cases (idempotent).

``learn demo`` is a command, not a web request, so it may act as the writer;
the serving process's writer thread would otherwise do the same within seconds.
"""

from learn.search.indexer import Writer
from learn.search.services import backend


def load_demo_index(app, echo) -> None:
    report = Writer(backend()).cycle()
    if report is None:
        echo("检索索引正由其他进程更新，稍后即可检索。")
        return
    echo(f"检索索引已就绪：{backend().status().documents} 个案例。")
