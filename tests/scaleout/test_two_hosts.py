"""Two hosts under a concurrent mixed workload: the proof of the scale-out shape (issue 9).

Real server processes (see ``deployment.py``): on PostgreSQL + Redis two app hosts on
two ports (``learn serve --workers 2`` each); on SQLite + Whoosh one
``learn serve --workers 2``, where several workers share one Whoosh index. Simulated people log in
through the login form and work on host A or host B at the same time. The traffic
fixture fails any test in which a single request was answered with a 5xx.
"""

import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import count
from pathlib import Path

import frontmatter

from tests.scaleout.browser import Browser
from tests.scaleout.database import case_body, lecture_credit
from tests.scaleout.deployment import LOGIN_LIMIT, PASSWORD, ROOT

LEARNERS = [
    "xueyuan",
    "qingnian",
    "zhoushuyao",
    "mayiming",
    "lumuyang",
    "hejiashu",
    "tangyutong",
    "wangxiaochuan",
]
THROTTLED = "xuruogu"  # no other test logs in as this cadre
COURSE = "jiandu-zhiji-guize"  # none of LEARNERS has passed its quiz in the demo history
TEMPLATE_CASE = "gongche-siyong-2017-01"
SEARCH_DEADLINE = 20  # seconds for a change on one host to be searchable on the other

_addresses = count(1)


def browser(base: str, traffic) -> Browser:
    """A person at their own client address (so per-address login limits stay apart)."""
    n = next(_addresses)
    return Browser(base, f"10.{n // 250}.{n % 250}.9", traffic)


def run_all(tasks) -> list:
    """Run the callables at the same time; re-raise the first failure."""
    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        futures = [pool.submit(task) for task in tasks]
        return [f.result() for f in futures]


def marker() -> str:
    """A word that occurs in no case, to find one edit's text by search."""
    return "kuorong" + secrets.token_hex(4)


def search_ids(person: Browser, query: str) -> list[str]:
    response = person.get("/api/v1/cases/search", params={"q": query})
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["results"]]


def wait_until_found(person: Browser, query: str, case_id: str) -> None:
    deadline = time.monotonic() + SEARCH_DEADLINE
    while case_id not in search_ids(person, query):
        assert time.monotonic() < deadline, (
            f"{case_id} not found for {query!r} at {person.base} within {SEARCH_DEADLINE} s"
        )
        time.sleep(0.25)


# --- the mixed workload -------------------------------------------------------------


def browse(person: Browser) -> None:
    """Home, a lesson, the case search page and the search API."""
    assert person.get("/").status_code == 200
    course = person.get(f"/courses/{COURSE}")
    assert course.status_code == 200
    if f'action="/courses/{COURSE}/enroll"' in course.text:
        course = person.post_form(f"/courses/{COURSE}/enroll", {}, token_from=f"/courses/{COURSE}")
        assert course.status_code == 200 and "已报名" in course.text
    assert person.get(f"/courses/{COURSE}/lessons/{first_lesson(course.text)}").status_code == 200
    page = person.get("/search/", params={"q": "八项规定"})
    assert page.status_code == 200 and "/cases/" in page.text
    assert search_ids(person, "公车私用")


def first_lesson(course_page: str) -> str:
    marker_text = f'href="/courses/{COURSE}/lessons/'
    start = course_page.index(marker_text) + len(marker_text)
    return course_page[start : course_page.index('"', start)]


def check_in_by_api(person: Browser, lecture_id: int, code: str) -> bool:
    """Check in through the JSON API; True when this call credited the hours."""
    response = person.post_json(f"/api/v1/lectures/sessions/{lecture_id}/checkin", {"code": code})
    assert response.status_code == 200, response.text
    return not response.json()["already"]


def check_in_by_form(person: Browser, lecture_id: int, code: str) -> bool:
    """Check in through the page a QR code leads to; True when this call credited hours."""
    page = f"/lectures/sessions/{lecture_id}/checkin"
    response = person.post_form(page, {"code": code, "via": "code"})
    assert response.status_code == 200 and response.history, response.status_code
    assert "签到成功" in response.text or "您已签到过" in response.text
    return "签到成功" in response.text


def take_quiz(starter: Browser, finisher: Browser) -> None:
    """Start the course quiz on one host and hand it in on the other."""
    started = starter.post_form(f"/courses/{COURSE}/quiz", {}, token_from=f"/courses/{COURSE}")
    assert started.status_code == 200
    assert "/quiz/" in started.url, "the demo learners have quiz attempts left in this course"
    path = started.url[len(starter.base) :]
    form = finisher.form(path, "csrf_token")
    answers = {name: values[0] for name, values in form.choices.items()}
    handed_in = finisher.post(path, form.values(**answers))
    assert handed_in.status_code == 200
    assert 'id="result-heading"' in handed_in.text, "the graded attempt is shown"


def test_mixed_workload_on_both_hosts(deployment, lecture_id, traffic):
    host_a, host_b = deployment.hosts
    pairs = [
        (
            browser(host_a if i % 2 else host_b, traffic),
            browser(host_b if i % 2 else host_a, traffic),
        )
        for i, _ in enumerate(LEARNERS)
    ]
    run_all(
        [
            lambda p=p, name=name: p.logged_in(name, PASSWORD)
            for name, pair in zip(LEARNERS, pairs, strict=True)
            for p in pair
        ]
    )
    trainer = browser(host_a, traffic).logged_in("peixun", PASSWORD)
    code = trainer.get(f"/lectures/sessions/{lecture_id}/checkin-code").json()["code"]

    editors = [
        browser(host_a, traffic).logged_in("bianji", PASSWORD),
        browser(host_b, traffic).logged_in("shenhe", PASSWORD),
    ]
    edited = ["gongkuan-chihe-2021-01", "liqin-shouli-2024-01"]
    words = [marker(), marker()]

    def edit(editor: Browser, case_id: str, word: str):
        def save():
            saved = save_case(editor, case_id, word)
            assert saved.status_code == 200 and saved.history, f"saving {case_id}"

        return save

    browsing = [lambda p=p: browse(p) for pair in pairs for p in pair]
    run_all(browsing + [edit(e, c, w) for e, c, w in zip(editors, edited, words, strict=True)])

    # Every learner checks in twice at once, once on each host (API and QR page).
    credited = run_all(
        [
            task
            for a, b in pairs
            for task in (
                lambda a=a: check_in_by_api(a, lecture_id, code),
                lambda b=b: check_in_by_form(b, lecture_id, code),
            )
        ]
    )
    run_all([lambda a=a, b=b: take_quiz(a, b) for a, b in pairs])

    newly = [credited[i] + credited[i + 1] for i in range(0, len(credited), 2)]
    assert newly == [1] * len(LEARNERS), "each cadre's hours are credited by exactly one check-in"
    assert lecture_credit(deployment, lecture_id) == {name: (1, 1) for name in LEARNERS}
    # Both edits reached the search index, whichever host wrote them.
    reader = pairs[0][1]
    for case_id, word in zip(edited, words, strict=True):
        wait_until_found(reader, word, case_id)


# --- concurrent edits of one case ----------------------------------------------------


def save_case(editor: Browser, case_id: str, word: str, form=None):
    """Save the case's edit form with one more sentence containing ``word``."""
    path = f"/cases/{case_id}/edit"
    form = form or editor.form(path, "body")
    body = form.values()["body"].replace("## 问题剖析", f"核查记录编号{word}。\n\n## 问题剖析", 1)
    return editor.post(path, form.values(body=body, action="save", note=f"补充 {word}"))


def test_second_editor_is_told_not_overwritten(deployment, traffic):
    host_a, host_b = deployment.hosts
    first = browser(host_a, traffic).logged_in("bianji", PASSWORD)
    second = browser(host_b, traffic).logged_in("shenhe", PASSWORD)
    case_id = "gongche-siyong-2017-01"
    path = f"/cases/{case_id}/edit"
    forms = run_all([lambda: first.form(path, "body"), lambda: second.form(path, "body")])
    assert "base_revision" in forms[0].names(), "the edit form carries the revision it started from"
    kept, refused = marker(), marker()

    saved = save_case(first, case_id, kept, forms[0])
    assert saved.status_code == 200 and saved.history, "the first save goes through"
    told = save_case(second, case_id, refused, forms[1])
    assert told.status_code == 409
    assert "已被" in told.text, "the second editor is told someone else changed the case"
    body = case_body(deployment, case_id)
    assert kept in body and refused not in body

    # Both now start from the same revision and save at the same moment: one wins.
    forms = run_all([lambda: first.form(path, "body"), lambda: second.form(path, "body")])
    words = [marker(), marker()]
    answers = run_all(
        [
            lambda: save_case(first, case_id, words[0], forms[0]),
            lambda: save_case(second, case_id, words[1], forms[1]),
        ]
    )
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200, 409], statuses
    winner = words[[r.status_code for r in answers].index(200)]
    body = case_body(deployment, case_id)
    assert winner in body and sum(w in body for w in words) == 1
    wait_until_found(browser(host_b, traffic).logged_in("qingnian", PASSWORD), winner, case_id)


# --- login throttling ----------------------------------------------------------------


def test_login_throttle_counts_both_hosts(deployment, traffic):
    host_a, host_b = deployment.hosts
    # Each attempt from another address: only the per-username limit can stop them.
    for attempt in range(LOGIN_LIMIT):
        host = (host_a, host_b)[attempt % 2]
        answer = browser(host, traffic).login(THROTTLED, "wrong-password")
        assert answer.status_code == 200 and "用户名或密码不正确" in answer.text, attempt
    for host in (host_a, host_b, host_a, host_b):
        answer = browser(host, traffic).login(THROTTLED, PASSWORD)
        assert answer.status_code == 429, f"attempt {LOGIN_LIMIT + 1}+ at {host}"
        assert "操作过于频繁" in answer.text


# --- publish on one host, find on the other -------------------------------------------


def new_case_fields(case_id: str, word: str) -> dict:
    template = frontmatter.load(Path(ROOT, "cases_library", f"{TEMPLATE_CASE}.md"))
    meta = template.metadata
    body = template.content.replace("## 问题剖析", f"核查记录编号{word}。\n\n## 问题剖析", 1)
    return {
        "case_id": case_id,
        "title": f"{meta['title']}（{word}）",
        "year": str(meta["year"]),
        "categories": meta["categories"],
        "subject_level": meta["subject_level"],
        "domains": meta["domains"],
        "outcome": meta["outcome"],
        "tags": "、".join(meta["tags"]),
        "body": body,
        "action": "save",
    }


def test_case_published_on_one_host_is_found_on_the_other(deployment, traffic):
    host_a, host_b = deployment.hosts
    editor = browser(host_a, traffic).logged_in("bianji", PASSWORD)
    reviewer = browser(host_a, traffic).logged_in("shenhe", PASSWORD)
    reader = browser(host_b, traffic).logged_in("qingnian", PASSWORD)
    word = marker()
    case_id = f"kuorong-{word[-8:]}"

    created = editor.post_form("/cases/new", new_case_fields(case_id, word))
    assert created.url.endswith(f"/cases/{case_id}/edit"), created.text[-2000:]
    submitted = editor.post_form(
        f"/cases/{case_id}/submit", {}, token_from=f"/cases/{case_id}/edit"
    )
    assert "已提交审核" in submitted.text
    review = f"/cases/{case_id}/review"
    approved = reviewer.post_form(review, {"action": "approve", "comment": ""})
    assert "已审核通过" in approved.text

    wait_until_found(reader, word, case_id)
    page = reader.get("/search/", params={"q": word})
    assert page.status_code == 200 and f"/cases/{case_id}" in page.text
    assert reader.get(f"/cases/{case_id}").status_code == 200
