"""The Whoosh backend on the shipped library: phrases, synonyms, operators, facets, access."""

import itertools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from learn.extensions import db
from learn.search.backends.base import FACETS, Access, Filters
from learn.search.backends.postgres import PostgresBackend
from learn.search.backends.whoosh_index import WhooshBackend
from learn.search.documents import documents_from_folder
from learn.search.highlight import snippets
from learn.search.models import SearchDocument, SearchIndexState
from learn.search.plan import build_plan
from learn.search.query import parse_query
from learn.search.vocabulary import shipped_vocabulary
from tests.conftest import TEST_DATABASE_URL, make_app
from tests.search.factories import LIBRARY

ALL = Access(None, everything=True)
RESTRICTED_ID = "zhiji-zhifa-2023-01"
READER = 7


@pytest.fixture(scope="module")
def docs():
    docs = documents_from_folder(LIBRARY)
    # One restricted case named reader 7, to check access filtering at the engine.
    return [
        replace(d, restricted=True, reader_ids=(READER,)) if d.id == RESTRICTED_ID else d
        for d in docs
    ]


BACKENDS = ["whoosh"]
if (TEST_DATABASE_URL or "").startswith("postgres"):
    BACKENDS.append("postgres")


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, docs, tmp_path_factory):
    """Each backend over the same documents: the same tests must hold for both."""
    if request.param == "whoosh":
        backend = WhooshBackend(tmp_path_factory.mktemp("whoosh"))
        backend.rebuild(docs, shipped_vocabulary())
        yield backend
        return
    app = make_app(tmp_path_factory.mktemp("pg"))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        tables = [SearchDocument.__table__, SearchIndexState.__table__]
        db.metadata.create_all(db.engine, tables=tables)
        backend = PostgresBackend()
        backend.rebuild(docs, shipped_vocabulary())
        db.session.commit()
        yield backend
        db.session.remove()
        db.engine.dispose()


def search(backend, q, filters=None, access=ALL, **kw):
    plan = build_plan(parse_query(q), backend.vocabulary())
    return backend.search(plan, filters or Filters(), access, **kw)


def ids(page):
    return {h.id for h in page.hits}


def test_a_chinese_phrase_finds_the_cases_that_contain_it(backend, docs):
    for phrase in ("收受礼金", "村（社区）", "四议两公开", "门难进、脸难看"):
        page = search(backend, f'"{phrase}"', limit=50)
        expected = {d.id for d in docs if phrase in f"{d.title}\n{d.keywords}\n{d.body}"}
        assert ids(page) == expected, phrase
        assert expected


def test_synonyms_expand_and_are_reported(backend, docs):
    page = search(backend, "四风", limit=50)
    plan = build_plan(parse_query("四风"), backend.vocabulary())
    assert {"形式主义", "官僚主义", "公款吃喝"} <= set(plan.expanded_terms)
    without_the_word = {d.id for d in docs if "四风" not in d.body and "四风" not in d.keywords}
    found_by_synonym = ids(page) & without_the_word
    assert "xingshi-zhuyi-2023-02" in found_by_synonym  # 形式主义, never says 四风
    plan = build_plan(parse_query("串通投标"), backend.vocabulary())
    assert plan.expanded_terms == ("围标串标",)
    assert "xuexiao-caigou-2024-01" in ids(search(backend, "串通投标"))


def test_a_quoted_word_is_not_expanded(backend):
    plan = build_plan(parse_query('"四风"'), backend.vocabulary())
    assert plan.expanded_terms == ()
    assert ids(search(backend, '"四风"', limit=50)) == {
        "gongche-siyong-2017-01",
        "gongkuan-chihe-2021-01",
        "liqin-shouli-2024-01",
    }


def test_exclusion_and_or(backend, docs):
    bribery = ids(search(backend, "受贿", limit=50))
    without = ids(search(backend, "受贿 -工程", limit=50))
    assert without and without < bribery
    assert not any("工程" in d.body for d in docs if d.id in without)
    either = ids(search(backend, "骗保 OR 赌博", limit=50))
    assert either == ids(search(backend, "骗保", limit=50)) | ids(search(backend, "赌博", limit=50))


def test_a_natural_question_ranks_the_case_it_is_about_first(backend):
    page = search(backend, "村里的低保被干部冒领怎么处理")
    assert page.hits[0].id == "dibao-maoling-2022-01"


def _combinations(backend):
    """Filter combinations of up to two facet values, from the facets of all cases."""
    facets = search(backend, "").facets
    singles = []
    for name in FACETS:
        for value in facets[name]:
            if name in ("categories", "domains"):
                singles.append(Filters(**{name: (value,)}))
            elif name == "year":
                singles.append(Filters(year_from=value, year_to=value))
            else:
                singles.append(Filters(**{name: value}))
    pairs = []
    for a, b in itertools.combinations(singles, 2):
        merged = Filters(
            categories=a.categories + b.categories,
            form=a.form or b.form,
            subject_level=a.subject_level or b.subject_level,
            domains=a.domains + b.domains,
            year_from=a.year_from or b.year_from,
            year_to=a.year_to or b.year_to,
        )
        pairs.append(merged)
    return [Filters(), *singles, *pairs[::7]]


@pytest.mark.parametrize("q", ["", "资金", "四风"])
def test_facet_counts_add_up_for_every_filter_combination(backend, docs, q):
    for filters in _combinations(backend):
        page = search(backend, q, filters, limit=50)
        facets = page.facets
        assert sum(facets["subject_level"].values()) == page.total
        assert sum(facets["year"].values()) == page.total
        no_form = sum(1 for h in page.hits if h.form is None)
        assert sum(facets["form"].values()) + no_form == page.total
        for name in ("categories", "domains"):
            assert sum(facets[name].values()) >= page.total
        # Each count is exactly what choosing that value gives.
        for value, count in facets["categories"].items():
            narrowed = replace(filters, categories=(*filters.categories, value))
            assert search(backend, q, narrowed, limit=1).total == count
        for value, count in facets["form"].items():
            assert search(backend, q, replace(filters, form=value), limit=1).total == count


@pytest.mark.parametrize("q", ["资金", "收受礼金 -公款吃喝", "受贿 OR 行贿", "村干部侵占集体资金"])
def test_count_is_the_total_the_search_gives(backend, q):
    # The "no results" suggestions show ``count`` as what clicking them finds.
    plan = build_plan(parse_query(q), backend.vocabulary())
    for filters in _combinations(backend)[::3]:
        for access in (ALL, Access(READER + 1)):
            total = backend.search(plan, filters, access, limit=1).total
            assert backend.count(plan, filters, access) == total, (q, filters)


def test_restricted_cases_only_for_named_readers_and_editorial_staff(backend):
    q = "跑风漏气"
    assert RESTRICTED_ID in ids(search(backend, q, access=ALL))
    assert RESTRICTED_ID in ids(search(backend, q, access=Access(READER)))
    stranger = search(backend, q, access=Access(READER + 1), limit=50)
    assert RESTRICTED_ID not in ids(stranger)
    everything = search(backend, "", access=ALL, limit=50)
    hidden = search(backend, "", access=Access(READER + 1), limit=50)
    assert hidden.total == everything.total - 1
    # Facet counts never count the hidden case either.
    assert hidden.facets["subject_level"]["纪检监察干部"] == (
        everything.facets["subject_level"]["纪检监察干部"] - 1
    )
    related = backend.related(["zhiji-zhifa-2022-02"], Access(READER + 1), limit=40)
    assert RESTRICTED_ID not in {h.id for h in related}


def test_pages_cover_the_results_once_and_date_sort_is_newest_first(backend):
    whole = search(backend, "资金", limit=50)
    seen = []
    for page in range(3):
        seen += [h.id for h in search(backend, "资金", offset=page * 5, limit=5).hits]
    assert seen == [h.id for h in whole.hits][:15]
    by_date = search(backend, "资金", sort="date", limit=50)
    years = [h.year for h in by_date.hits]
    assert years == sorted(years, reverse=True)
    assert by_date.total == whole.total


def test_highlights_mark_what_was_searched(backend):
    hit = search(backend, "小金库").hits[0]
    assert hit.id == "jiaoyu-shitang-2022-01"
    assert "<mark>小金库</mark>" in hit.title_html
    assert all("<mark>" in str(h) for h in hit.highlights)
    marked = snippets("正文<script>alert(1)</script>设立小金库", ["小金库", "script"])
    assert "<script>" not in str(marked[0])
    assert "&lt;<mark>script</mark>&gt;" in str(marked[0])


def test_related_cases_are_alike_and_never_the_case_itself(backend):
    related = [h.id for h in backend.related(["weibiao-chuanbiao-2020-01"], ALL, limit=5)]
    assert "weibiao-chuanbiao-2020-01" not in related
    assert len(related) == 5
    assert {"xuexiao-caigou-2024-01", "yibashou-2024-02"} & set(related[:3])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_hostile_queries_never_raise(backend, raw):
    parsed = parse_query(raw)
    plan = build_plan(parsed, backend.vocabulary())
    page = backend.search(plan, Filters(), ALL, limit=5)
    assert page.total >= 0
    if plan.is_empty:
        # Nothing usable: every case rather than nothing, and the person is told why.
        assert page.total == 40
        assert plan.notices or not raw.strip()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            ['"', "“", "”", "-", "OR", "|", "(", ")", " ", "礼金", "四风", "😀", "收受", "a", "--"]
        ),
        max_size=25,
    ).map("".join)
)
def test_operator_soup_never_raises_and_is_explained(backend, raw):
    parsed = parse_query(raw)
    plan = build_plan(parsed, backend.vocabulary())
    backend.search(plan, Filters(), ALL, limit=5)
    if raw.count('"') % 2 == 1 and "“" not in raw and "”" not in raw:
        assert any("引号" in n for n in plan.notices)
