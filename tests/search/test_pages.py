"""Search pages: results, notices, expansions, suggestions, help, audit, slots, vocabulary admin."""

import re
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from learn.accounts import Role
from learn.audit import AuditEvent
from learn.cases import CaseStudy
from learn.cases import services as cases
from learn.extensions import db
from learn.search.models import VocabularyEntry
from learn.search.outbox import SearchOutbox
from tests.conftest import login, post_form
from tests.factories import make_user
from tests.search.factories import admin_user, index_now, library_files, publish

SHIPPED = (
    "gongkuan-chihe-2021-01",
    "gongche-siyong-2017-01",
    "liqin-shouli-2024-01",
    "weigui-jiehun-2020-01",
    "yibashou-2024-02",
    "weibiao-chuanbiao-2020-01",
    "juzhang-jiaji-2019-02",
    "zhiji-zhifa-2023-01",
)


@pytest.fixture
def library(app):
    admin = admin_user()
    reviewer = make_user("reviewer", Role.CASE_REVIEWER, name="审核员")
    make_user("reader", name="读者")
    publish(admin, library_files(*SHIPPED))
    case = db.session.get(CaseStudy, "zhiji-zhifa-2023-01")
    cases.set_access(reviewer, case, True, [])
    db.session.commit()
    index_now()


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def result_ids(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/cases/([a-z0-9-]+)"', html)


def test_search_page_shows_results_expansions_and_facets(client, library):
    login(client, "reader")
    html = page(client, "/search/?q=四风")
    assert "也搜索了：" in html and "形式主义" in html
    assert "gongkuan-chihe-2021-01" in result_ids(html)
    assert "<mark>" in html
    assert re.search(r"问题类别</h3>", html) and re.search(r"年份</h3>", html)


def test_search_page_lists_everything_readable_without_a_query(client, library):
    login(client, "reader")
    html = page(client, "/search/")
    assert f"全部案例（{len(SHIPPED) - 1}）" in html
    assert "zhiji-zhifa-2023-01" not in html


def test_two_facets_narrow_and_chips_remove_them(client, library):
    login(client, "reader")
    html = page(client, "/search/?q=插手工程")
    link = re.search(r'href="([^"]+)"[^>]*>\s*<span class="facet-value">廉洁纪律', html).group(1)
    narrowed = page(client, link.replace("&amp;", "&"))
    link = re.search(r'href="([^"]+)"[^>]*>\s*<span class="facet-value">第四种形态', narrowed)
    both = page(client, link.group(1).replace("&amp;", "&"))
    assert set(result_ids(both)) == {"yibashou-2024-02", "weibiao-chuanbiao-2020-01"}
    assert "去掉筛选：廉洁纪律" in both and "去掉筛选：第四种形态" in both


def test_no_results_suggests_what_to_drop_with_true_counts(client, library):
    login(client, "reader")
    html = page(client, "/search/?q=一把手 插手工程 电子红包")
    assert "没有找到符合条件的案例" in html
    suggestions = re.findall(r'<a href="([^"]+)">(去掉[^<]+)</a>，可找到 (\d+) 个案例', html)
    assert suggestions
    for href, _label, count in suggestions:
        followed = page(client, unquote(href.replace("&amp;", "&")))
        assert f"找到 {count} 个案例" in followed
    filtered = page(client, "/search/?q=礼金&year_from=2016&year_to=2017")
    assert "去掉筛选“2016–2017年”" in filtered


def test_bad_syntax_gets_a_message_not_an_error(client, library):
    login(client, "reader")
    assert "引号不成对" in page(client, '/search/?q="收受礼金')
    assert "OR" in page(client, "/search/?q=OR")
    assert "无法检索的字符" in page(client, "/search/?q=😀😀")
    assert "只使用了前 100 个字符" in page(client, "/search/?q=" + "礼金" * 300)
    assert "不是有效的四种形态" in page(client, "/search/?q=礼金&form=第九种形态")
    assert page(client, "/search/?page=999999")
    assert page(client, "/search/?q=礼金%01")
    nul = client.get("/search/?q=%00礼金")  # PostgreSQL text cannot hold NUL: refused up front
    assert nul.status_code == 400 and "空字符" in nul.get_data(as_text=True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_the_page_answers_any_query(client, library, q):
    if client.get("/api/v1/me").status_code == 401:
        login(client, "reader")
    response = client.get("/search/", query_string={"q": q})
    assert response.status_code in ((400,) if "\x00" in q else (200, 302))


def test_searches_and_page_views_are_audited(client, library):
    login(client, "reader")
    page(client, "/search/")
    page(client, "/search/?q=公车私用&categories=廉洁纪律")
    client.get("/api/v1/cases/search?q=礼金")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case_search").order_by(AuditEvent.id)
    ).all()
    assert len(events) == 3
    assert "q=公车私用" in events[1].detail and "问题类别=廉洁纪律" in events[1].detail
    assert events[2].detail.startswith("API")


def test_help_page(client, library):
    login(client, "reader")
    html = page(client, "/search/help")
    assert "精确短语" in html and "OR" in html and "也搜索了" in html


def test_case_page_shows_related_cases_it_may_read(client, library):
    login(client, "reader")
    html = page(client, "/cases/weibiao-chuanbiao-2020-01")
    aside = html[html.index("相关案例") :]
    related = re.findall(r'href="/cases/([a-z0-9-]+)"', aside)
    assert "yibashou-2024-02" in related
    assert "weibiao-chuanbiao-2020-01" not in related[:5]
    assert "zhiji-zhifa-2023-01" not in related


def test_cited_cases_slot(app, library):
    from flask_login import login_user

    from learn.accounts import User
    from learn.core.slots import render_slot

    reader = db.session.scalar(select(User).where(User.username == "reader"))
    with app.test_request_context():
        login_user(reader)
        html = str(
            render_slot(
                "cited_cases",
                case_ids=["weibiao-chuanbiao-2020-01", "zhiji-zhifa-2023-01", "nonexistent-1"],
                user=reader,
            )
        )
    assert "案例延伸" in html and "相关案例" in html
    assert "weibiao-chuanbiao-2020-01" in html
    assert "zhiji-zhifa-2023-01" not in html and "nonexistent-1" not in html


VOCABULARY_POSTS = [
    ("/search/vocabulary/words", {"term": "四下基层"}),
    ("/search/vocabulary/synonyms", {"term": "四下基层", "expansions": "调研"}),
    ("/search/vocabulary/remove", {"kind": "word", "term": "八项规定"}),
    ("/search/vocabulary/restore", {"kind": "word", "term": "八项规定"}),
    ("/search/vocabulary/rebuild", {}),
]


@pytest.mark.parametrize("username", ["reader", "reviewer"])
def test_the_vocabulary_page_is_for_admins_only(client, library, username):
    login(client, username)
    assert client.get("/search/vocabulary").status_code == 403
    for url, data in VOCABULARY_POSTS:
        assert post_form(client, url, data, token_from="/search/").status_code == 403
    assert db.session.scalars(select(VocabularyEntry)).all() == []


def test_an_admin_edits_the_vocabulary_and_a_rebuild_is_queued(client, library):
    login(client, "searchadmin")
    html = page(client, "/search/vocabulary")
    assert "八项规定" in html and "四风 =&gt; 形式主义" in html
    before = len(db.session.scalars(select(SearchOutbox)).all())
    response = post_form(client, "/search/vocabulary/words", {"term": "四下基层"})
    assert response.status_code == 302
    response = post_form(
        client,
        "/search/vocabulary/synonyms",
        {"term": "四下基层", "expansions": "下基层调研、现场办公", "two_way": "y"},
        token_from="/search/vocabulary",
    )
    assert response.status_code == 302
    post_form(
        client,
        "/search/vocabulary/remove",
        {"kind": "word", "term": "八项规定"},
        token_from="/search/vocabulary",
    )
    rows = {(r.kind, r.term): r for r in db.session.scalars(select(VocabularyEntry))}
    assert set(rows) == {("word", "四下基层"), ("synonym", "四下基层"), ("word", "八项规定")}
    assert rows[("word", "八项规定")].disabled
    assert len(db.session.scalars(select(SearchOutbox)).all()) == before + 3
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "search_vocabulary_changed")
    ).all()
    index_now()
    html = page(client, "/search/?q=下基层调研")
    assert "也搜索了：" in html and "四下基层" in html


def test_vocabulary_form_errors_are_shown_in_chinese(client, library):
    login(client, "searchadmin")
    response = post_form(
        client, "/search/vocabulary/words", {"term": ""}, token_from="/search/vocabulary"
    )
    assert response.status_code == 400
    assert "请填写要加入词典的词" in response.get_data(as_text=True)
    post_form(
        client, "/search/vocabulary/words", {"term": "八项规定"}, token_from="/search/vocabulary"
    )
    assert "已在词典中" in page(client, "/search/vocabulary")
    post_form(
        client,
        "/search/vocabulary/synonyms",
        {"term": "甲=乙", "expansions": "丙"},
        token_from="/search/vocabulary",
    )
    assert "不能有空格、等号" in page(client, "/search/vocabulary")
