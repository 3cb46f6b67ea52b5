"""Index lifecycle: outbox → single writer, rebuild and swap, healing, vocabulary changes."""

from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from learn.accounts import Role
from learn.cases import CaseStudy
from learn.cases import services as cases
from learn.extensions import db
from learn.search import lease
from learn.search.backends.base import Filters
from learn.search.documents import document_for_case, published_documents
from learn.search.indexer import Writer, WriterBusy, rebuild_reason
from learn.search.outbox import SearchOutbox
from learn.search.params import SearchParams
from learn.search.services import SearchUnavailable, backend, search_cases
from learn.search.vocabulary import current_vocabulary
from learn.search.vocabulary_edits import add_word
from tests.factories import make_user
from tests.search.factories import admin_user, case_file, index_now, library_files, publish


def whoosh_only():
    if backend().name != "whoosh":
        pytest.skip("index files: Whoosh backend only")


def found(user, q: str, **filters) -> set[str]:
    outcome = search_cases(user, SearchParams(q=q, filters=Filters(**filters), per_page=50))
    return {h.id for h in outcome.hits}


@pytest.fixture
def people(app):
    return {
        "admin": admin_user(),
        "reviewer": make_user("reviewer", Role.CASE_REVIEWER, name="审核员"),
        "reader": make_user("reader", name="读者"),
        "other": make_user("other", name="旁人"),
    }


def test_published_is_searchable_withdrawn_is_gone(people):
    publish(people["admin"], library_files("gongkuan-chihe-2021-01", "liqin-shouli-2024-01"))
    index_now()
    assert found(people["reader"], "公款吃喝") == {"gongkuan-chihe-2021-01"}
    case = db.session.get(CaseStudy, "gongkuan-chihe-2021-01")
    cases.withdraw_case(people["reviewer"], case, "内容需要更新")
    db.session.commit()
    index_now()
    assert found(people["reader"], "公款吃喝") == set()
    assert found(people["reviewer"], "公款吃喝") == set()  # withdrawn is out of search for all


def test_an_edit_is_searchable_after_the_writer_runs(people):
    publish(people["admin"], [case_file("bianji-ceshi", "张某违规收受电子红包。")])
    index_now()
    assert found(people["reader"], "电子红包") == {"bianji-ceshi"}
    case = db.session.get(CaseStudy, "bianji-ceshi")
    cases.update_case(people["reviewer"], case, case_file("bianji-ceshi", "张某违规使用公务用车。"))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 1
    index_now()
    assert found(people["reader"], "电子红包") == set()
    assert found(people["reader"], "公务用车") == {"bianji-ceshi"}
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0


def test_restricted_only_for_those_allowed(people):
    publish(people["admin"], library_files("zhiji-zhifa-2023-01", "zhiji-zhifa-2022-02"))
    case = db.session.get(CaseStudy, "zhiji-zhifa-2023-01")
    cases.set_access(people["reviewer"], case, True, [people["reader"].id])
    db.session.commit()
    index_now()
    assert "zhiji-zhifa-2023-01" in found(people["reader"], "跑风漏气")
    assert "zhiji-zhifa-2023-01" in found(people["reviewer"], "跑风漏气")
    assert "zhiji-zhifa-2023-01" not in found(people["other"], "跑风漏气")
    outcome = search_cases(people["other"], SearchParams(q=""))
    assert outcome.total == 1
    assert outcome.facets["subject_level"] == {"纪检监察干部": 1}


def test_results_never_include_a_case_the_user_may_not_read_even_before_the_writer_runs(people):
    publish(people["admin"], library_files("zhiji-zhifa-2023-01"))
    index_now()
    assert found(people["other"], "跑风漏气") == {"zhiji-zhifa-2023-01"}
    case = db.session.get(CaseStudy, "zhiji-zhifa-2023-01")
    cases.set_access(people["reviewer"], case, True, [people["reader"].id])
    db.session.commit()
    # The outbox has the change but the writer has not run yet.
    assert found(people["other"], "跑风漏气") == set()
    assert found(people["reader"], "跑风漏气") == {"zhiji-zhifa-2023-01"}


def test_rebuild_swaps_in_a_fresh_index_while_searches_keep_working(people, app):
    whoosh_only()
    publish(people["admin"], library_files("gongkuan-chihe-2021-01"))
    index_now()
    root = Path(app.config["DATA_DIR"]) / "search" / "whoosh"
    old = (root / "CURRENT").read_text()
    ix, _vocabulary = backend()._open()
    searcher = ix.searcher()  # a search in flight during the rebuild
    publish(people["admin"], library_files("liqin-shouli-2024-01"))
    Writer(backend()).run_exclusive(lambda w: w.rebuild())
    assert (root / "CURRENT").read_text() != old
    assert searcher.doc_count() == 1  # the old index stays readable
    searcher.close()
    assert found(people["reader"], "礼金") >= {"liqin-shouli-2024-01"}
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0


def test_a_missing_index_is_detected_and_rebuilt(people, app):
    publish(people["admin"], library_files("gongkuan-chihe-2021-01"))
    with pytest.raises(SearchUnavailable):
        search_cases(people["reader"], SearchParams(q="公款吃喝"))
    assert rebuild_reason(backend()) == "missing"
    report = Writer(backend()).cycle()
    assert report.rebuilt == "missing"
    assert found(people["reader"], "公款吃喝") == {"gongkuan-chihe-2021-01"}


def test_a_corrupt_index_is_detected_and_rebuilt(people, app):
    whoosh_only()
    publish(people["admin"], library_files("gongkuan-chihe-2021-01"))
    index_now()
    root = Path(app.config["DATA_DIR"]) / "search" / "whoosh"
    current = root / (root / "CURRENT").read_text()
    for toc in current.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not an index")
    app.extensions["learn_search"] = type(backend())(root)  # a process starting afresh
    assert rebuild_reason(backend()) == "corrupt"
    assert Writer(backend()).cycle().rebuilt == "corrupt"
    assert found(people["reader"], "公款吃喝") == {"gongkuan-chihe-2021-01"}


def test_a_dictionary_change_triggers_a_rebuild(people):
    publish(people["admin"], [case_file("xinci-ceshi", "坚持四下基层，深入群众。")])
    index_now()
    assert "四下基层" not in backend().vocabulary().segmenter.words("四下基层")
    add_word(people["admin"], "四下基层")
    db.session.commit()
    assert rebuild_reason(backend()) == "vocabulary"
    report = Writer(backend()).cycle()
    assert report.rebuilt == "vocabulary"
    assert backend().vocabulary().fingerprint == current_vocabulary().fingerprint
    assert backend().vocabulary().segmenter.words("四下基层") == ["四下基层"]
    assert found(people["reader"], "四下基层") == {"xinci-ceshi"}


def test_only_one_writer_holds_the_lease(app):
    first, second = lease.new_holder(), lease.new_holder()
    assert lease.acquire(lease.WRITER, first, 60)
    assert not lease.acquire(lease.WRITER, second, 60)
    assert lease.acquire(lease.WRITER, first, 60)  # renewing
    assert Writer(backend(), second).cycle() is None
    with pytest.raises(WriterBusy):
        Writer(backend(), second).run_exclusive(lambda w: w.rebuild(), wait_seconds=0)
    lease.release(lease.WRITER, first)
    assert lease.acquire(lease.WRITER, second, 60)


def test_an_expired_lease_is_taken_over(app):
    dead, alive = lease.new_holder(), lease.new_holder()
    assert lease.acquire(lease.WRITER, dead, -1)  # its holder died long ago
    assert lease.acquire(lease.WRITER, alive, 60)


def test_searching_never_writes_the_index(people, app, client):
    from tests.conftest import login

    whoosh_only()
    publish(people["admin"], library_files("gongkuan-chihe-2021-01"))
    index_now()
    root = Path(app.config["DATA_DIR"]) / "search" / "whoosh"
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    login(client, "reader")
    assert client.get("/search/?q=公款吃喝").status_code == 200
    assert client.get("/api/v1/cases/search?q=公款吃喝").status_code == 200
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before


def test_a_full_rebuild_reads_cases_in_chunks_not_one_query_each(people):
    publish(
        people["admin"],
        [case_file(f"fenpi-{n:02d}", f"张某第{n}次违规收受礼金。") for n in range(12)],
    )
    db.session.expire_all()
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        docs = list(published_documents(chunk=5))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # the ids, then per chunk of 5 one query for the cases and one per eager relationship
    assert len(statements) <= 1 + 3 * 3
    db.session.expire_all()
    assert docs == [document_for_case(f"fenpi-{n:02d}") for n in range(12)]


def test_postgres_rebuild_is_one_transaction_readers_see_old_or_new(people, app):
    if backend().name != "postgres":
        pytest.skip("PostgreSQL backend only")
    from learn.search.models import SearchDocument

    publish(people["admin"], library_files("gongkuan-chihe-2021-01"))
    index_now()
    publish(people["admin"], library_files("liqin-shouli-2024-01"))

    def other_reader() -> int:
        with db.engine.connect() as conn:  # another process's view
            return conn.scalar(select(func.count()).select_from(SearchDocument))

    def rebuild_and_look(writer):
        writer.backend.rebuild(published_documents(), current_vocabulary())
        during = other_reader()
        db.session.commit()
        return during

    during = Writer(backend()).run_exclusive(rebuild_and_look)
    assert during == 1
    assert other_reader() == 2
