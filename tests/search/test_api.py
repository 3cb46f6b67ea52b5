"""GET /api/v1/cases/search: the documented shape, every parameter validated, access."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases import CaseStudy
from learn.cases import services as cases
from learn.extensions import db
from tests.conftest import login
from tests.factories import make_user
from tests.search.factories import admin_user, index_now, library_files, publish

URL = "/api/v1/cases/search"
SHIPPED = (
    "gongkuan-chihe-2021-01",
    "gongche-siyong-2017-01",
    "liqin-shouli-2024-01",
    "weigui-jiehun-2020-01",
    "zhiji-zhifa-2023-01",
    "dibao-maoling-2022-01",
)


@pytest.fixture
def library(app):
    admin = admin_user()
    reviewer = make_user("reviewer", Role.CASE_REVIEWER, name="审核员")
    reader = make_user("reader", name="读者")
    make_user("other", name="旁人")
    publish(admin, library_files(*SHIPPED))
    case = db.session.get(CaseStudy, "zhiji-zhifa-2023-01")
    cases.set_access(reviewer, case, True, [reader.id])
    db.session.commit()
    index_now()


def test_the_documented_shape(client, library):
    login(client, "reader")
    response = client.get(URL, query_string={"q": "四风", "per_page": 2})
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) >= {"total", "page", "results", "facets", "expanded_terms"}
    assert data["page"] == 1 and len(data["results"]) == 2 and data["total"] >= 3
    first = data["results"][0]
    assert set(first) == {
        "id",
        "title",
        "year",
        "categories",
        "form",
        "subject_level",
        "domains",
        "score",
        "highlights",
    }
    assert isinstance(first["score"], float) and first["highlights"]
    assert set(data["facets"]) == {"categories", "form", "subject_level", "domains", "year"}
    assert sum(data["facets"]["year"].values()) == data["total"]
    assert "形式主义" in data["expanded_terms"]


def test_filters_sort_and_pages(client, library):
    login(client, "reader")
    query = {"categories": "廉洁纪律", "year_from": "2020", "year_to": "2024", "sort": "date"}
    data = client.get(URL, query_string=query).get_json()
    years = [r["year"] for r in data["results"]]
    assert years == sorted(years, reverse=True) and all(2020 <= y <= 2024 for y in years)
    assert all("廉洁纪律" in r["categories"] for r in data["results"])
    both = client.get(URL + "?categories=廉洁纪律&categories=生活纪律").get_json()
    assert [r["id"] for r in both["results"]] == ["weigui-jiehun-2020-01"]
    page2 = client.get(URL, query_string={"per_page": 2, "page": 2}).get_json()
    assert page2["page"] == 2 and len(page2["results"]) == 2


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"categories": "廉洁"}, "categories"),
        ({"form": "第五种形态"}, "form"),
        ({"subject_level": "处级"}, "subject_level"),
        ({"domains": "航天"}, "domains"),
        ({"year_from": "二〇二〇"}, "year_from"),
        ({"year_from": "1989"}, "year_from"),
        ({"year_to": "3000"}, "year_to"),
        ({"year_from": "2024", "year_to": "2020"}, "year_from"),
        ({"sort": "popular"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"per_page": "51"}, "per_page"),
        ({"per_page": "-1"}, "per_page"),
        ({"category": "廉洁纪律"}, "category"),
        ({"q": "礼" * 501}, "q"),
    ],
)
def test_every_parameter_is_validated(client, app, query, fragment):
    make_user("reader", name="读者")
    login(client, "reader")
    response = client.get(URL, query_string=query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert fragment in error
    assert any("\u4e00" <= c <= "\u9fff" for c in error)


def test_a_repeated_single_parameter_is_refused(client, app):
    make_user("reader", name="读者")
    login(client, "reader")
    response = client.get(URL + "?q=a&q=b")
    assert response.status_code == 400
    assert "只能出现一次" in response.get_json()["error"]


def test_results_never_include_a_case_the_user_may_not_read(app, client, library):
    login(client, "other")
    data = client.get(URL, query_string={"q": "跑风漏气", "per_page": 50}).get_json()
    assert "zhiji-zhifa-2023-01" not in [r["id"] for r in data["results"]]
    everything = client.get(URL, query_string={"per_page": 50}).get_json()
    assert everything["total"] == len(SHIPPED) - 1
    assert "纪检监察干部" not in everything["facets"]["subject_level"]
    reader = app.test_client()
    login(reader, "reader")
    data = reader.get(URL, query_string={"q": "跑风漏气"}).get_json()
    assert "zhiji-zhifa-2023-01" in [r["id"] for r in data["results"]]


def test_bearer_token_and_anonymous(app, client, library):
    anonymous = client.get(URL, query_string={"q": "礼金"})
    assert anonymous.status_code == 401
    _row, token = accounts.issue_token(accounts.get_user_by_username("reader"), "检索测试")
    db.session.commit()
    response = client.get(
        URL, query_string={"q": "礼金"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.get_json()["total"] >= 2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=120))
def test_any_q_is_answered_never_a_500(client, library, q):
    if client.get("/api/v1/me").status_code == 401:
        login(client, "reader")
    response = client.get(URL, query_string={"q": q})
    assert response.status_code in (200, 400)
    assert response.is_json
