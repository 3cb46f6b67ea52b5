"""我的学时, printable documents and their verification by a trainer."""

import re
from datetime import datetime

from learn.accounts import RankBand, Role
from learn.core.timefmt import LOCAL_TZ, local_today
from learn.extensions import db
from learn.ledger import DocumentKind, SourceType, credit_hours, find_document
from tests.conftest import login, post_form
from tests.courses.factories import make_course
from tests.courses.helpers import finish_course
from tests.factories import make_user

THIS_YEAR = local_today().year


def _credit(user, key, hours, online=False, year=THIS_YEAR):
    credit_hours(
        user.id,
        SourceType.MANUAL,
        key,
        hours,
        f"培训{key}",
        online=online,
        when=datetime(year, 1, 10, 9, tzinfo=LOCAL_TZ),
    )


def _code(page: str) -> str:
    return re.search(r'class="code">([A-Z2-7-]+)<', page).group(1)


def test_my_hours_page_shows_quotas_remaining_and_sources(app, client):
    user = make_user("cadre", name="林一帆")
    _credit(user, "a", 30, online=True)
    _credit(user, "b", 24)
    db.session.commit()
    login(client, "cadre")
    page = client.get("/ledger/").get_data(as_text=True)
    assert f"{THIS_YEAR}年度学时" in page
    assert "<strong>54</strong> / 90 学时" in page
    assert "还差 <strong>36</strong> 学时" in page  # 90 - 54
    assert "还差 <strong>20</strong> 学时" in page  # online 50 - 30
    assert "培训a" in page and "其他培训（手工登记）" in page and "网络自学" in page
    assert 'max="100" value="60"' in page  # 54 of 90


def test_county_cadres_see_the_five_year_window(app, client):
    lao = make_user("lao", rank_band=RankBand.COUNTY)
    _credit(lao, "old", 100, year=THIS_YEAR - 3)
    db.session.commit()
    login(client, "lao")
    page = client.get("/ledger/").get_data(as_text=True)
    assert f"五年累计学时（{THIS_YEAR - 4}–{THIS_YEAR}）" in page
    assert "<strong>100</strong> / 550 学时" in page
    assert client.get(f"/ledger/?year={THIS_YEAR - 3}").status_code == 200
    assert client.get("/ledger/?year=1900").status_code == 200  # falls back to this year


def test_statement_is_printed_with_a_code_a_trainer_can_verify(app, client):
    user = make_user("cadre", name="林一帆")
    make_user("peixun", Role.TRAINER)
    make_user("colleague")
    _credit(user, "a", 12, online=True)
    db.session.commit()
    login(client, "cadre")
    issued = post_form(client, "/ledger/statements", {"year": THIS_YEAR}, token_from="/ledger/")
    assert issued.status_code == 302
    statement = client.get(issued.headers["Location"]).get_data(as_text=True)
    assert f"{THIS_YEAR}年度干部教育培训学时证明" in statement and "林一帆" in statement
    code = _code(statement)
    again = post_form(client, "/ledger/statements", {"year": THIS_YEAR}, token_from="/ledger/")
    assert again.headers["Location"] == issued.headers["Location"]  # unchanged ledger, same code

    trainer = app.test_client()
    login(trainer, "peixun")
    typed = code.replace("-", "").lower()
    verified = trainer.get(f"/ledger/verify?code={typed}").get_data(as_text=True)
    assert "验证通过" in verified and "林一帆" in verified and "12 学时" in verified
    assert "没有找到" in trainer.get("/ledger/verify?code=AAAA-BBBB").get_data(as_text=True)

    _credit(user, "b", 6)
    db.session.commit()
    newer = post_form(client, "/ledger/statements", {"year": THIS_YEAR}, token_from="/ledger/")
    assert newer.headers["Location"] != issued.headers["Location"]
    old = trainer.get(f"/ledger/verify?code={code}").get_data(as_text=True)
    assert "已于" in old and "出具新版本" in old

    other = app.test_client()
    login(other, "colleague")
    assert other.get(issued.headers["Location"]).status_code == 404
    assert other.get(f"/ledger/verify?code={code}").status_code == 403


def test_statement_year_must_be_offered(app, client):
    make_user("cadre")
    login(client, "cadre")
    refused = post_form(client, "/ledger/statements", {"year": "1900"}, token_from="/ledger/")
    assert refused.status_code == 400
    assert "请选择有效的年度" in refused.get_data(as_text=True)


def test_course_certificate(app, client, tmp_path):
    course = make_course(tmp_path, "zhengshu", title="证书课程", hours="2.5")
    user = make_user("cadre", name="苏若晴")
    finish_course(user, course)
    certificate = find_document(user.id, DocumentKind.COURSE, "zhengshu")
    login(client, "cadre")
    page = client.get(f"/ledger/documents/{certificate.code}").get_data(as_text=True)
    assert "结 业 证 书" in page and "证书课程" in page and "2.5" in page and "苏若晴" in page
    assert certificate.code in page
    assert "data-print" in page
    detail = client.get("/courses/zhengshu").get_data(as_text=True)
    assert f"/ledger/documents/{certificate.code}" in detail
