"""Every route, for every role and for objects owned by others, gives the outcome that
``route_policy`` declares; a route without a policy entry (or an entry without a route)
fails; a refused request changes nothing; docs/security.md shows the current table.
Lists, search and scoped reports show nothing a role may not read.

One world (``authz_world``) serves the module. Pages are fetched with GET; state-changing
routes get a valid CSRF token and an empty form, because the point is the authorization
outcome, not success. Allowed: any 2xx/3xx, or a 400/409/422 from the form or a business
rule. Refused: 403, or 404 where a domain hides that the object exists; anonymous users are
sent to the login page (401 JSON on the API). Whatever a request changed is undone before
the next one, so every outcome is judged on the same world.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

from learn.extensions import db
from tests.conftest import csrf_token, login, make_app, reset_database
from tests.factories import PASSWORD
from tests.security import route_policy
from tests.security.authz_state import DatabaseState
from tests.security.authz_world import ANONYMOUS, build_world
from tests.security.policy_model import ROLES, Entry, world_key

DOCS = Path(__file__).parents[2] / "docs" / "security.md"
CSRF_FAILURE = "页面已过期或表单校验失败"
ENDS_SESSION = {"accounts.logout"}


def rule_methods(app):
    """(method, rule) for every route in the URL map, with the Werkzeug rule."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield (method, rule.rule), rule


@dataclass
class Matrix:
    """The app, its world, one logged-in client per role and the database watcher."""

    app: object
    world: object
    clients: dict
    tokens: dict
    state: DatabaseState

    def log_in(self, role: str) -> None:
        client = self.app.test_client()
        if role != ANONYMOUS:
            response = login(client, self.world.usernames[role], PASSWORD)
            assert response.status_code == 302, f"{role} could not log in"
        self.clients[role] = client
        self.tokens[role] = csrf_token(client, "/login" if role == ANONYMOUS else "/account")

    def urls(self, rule, scene: str) -> list[tuple[str, dict]]:
        """The URLs of ``rule`` naming ``scene``'s objects (every choice of an any()), each
        with its argument values."""
        values = [{}]
        for arg in sorted(rule.arguments - set(rule.defaults or {})):
            choices = getattr(rule._converters[arg], "items", None)
            if choices:
                values = [{**v, arg: c} for v in values for c in sorted(choices)]
            else:
                key = world_key(rule.endpoint, arg, scene, self.world.ids)
                values = [{**v, arg: self.world.ids[key]} for v in values]
        return [(rule.build(v, append_unknown=False)[1], v) for v in values]

    def send(self, role: str, method: str, url: str, endpoint: str, data: dict | None = None):
        client = self.clients[role]
        if method == "GET":
            response = client.get(url)
        else:
            token = self.tokens[role]
            if data and url.startswith("/api/"):
                body = {"json": data}
            else:
                body = {"data": {"csrf_token": token, **(data or {})}}
            response = client.open(url, method=method, headers={"X-CSRFToken": token}, **body)
        if endpoint in ENDS_SESSION:
            self.log_in(role)
        return response


def verdict(response) -> str:
    """'allowed', 'refused', or what is wrong with the response."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status == 400 and CSRF_FAILURE in response.get_data(as_text=True):
        return "CSRF failure (the matrix sent a bad token)"
    if status in (401, 403, 404):
        return "refused"
    if status in (301, 302, 303):
        # the login wall adds ?next=; a plain /login is where logging out lands
        location = urlparse(response.headers["Location"])
        if location.path == "/login" and "next=" in location.query:
            return "refused"
    if status < 400 or status in (400, 409, 422):
        return "allowed"
    return f"unexpected status {status}"


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("authz")
    # rate limits have their own tests; here they would only turn outcomes into 429s
    app = make_app(tmp, RATELIMIT_ENABLED=False)
    with app.app_context():
        reset_database()
        world = build_world(tmp)
        db.session.remove()
        found = Matrix(app, world, {}, {}, None)
        for role in ROLES:
            found.log_in(role)
        found.state = DatabaseState(db.engine, db.metadata)
        yield found
        found.state.close()
        db.session.remove()
        db.engine.dispose()


def check_entry(matrix: Matrix, entry: Entry, rule) -> list[str]:
    """Try ``entry`` for every role on every target; return what disagrees with the policy."""
    problems = []
    for target in entry.targets:
        for url, values in matrix.urls(rule, target.scene):
            data = {k.format(**values): v for k, v in (entry.data or {}).items()}
            for role in ROLES:
                response = matrix.send(role, entry.method, url, entry.endpoint, data)
                found = verdict(response)
                expected = "allowed" if role in target.allow else "refused"
                where = f"{entry.method} {url} ({entry.endpoint}, {target.scene}) as {role}"
                if found != expected:
                    problems.append(
                        f"{where}: expected {expected}, got {found} [{response.status}]"
                    )
                changed = matrix.state.changed_tables()
                if changed:
                    if found == "refused":
                        problems.append(f"{where}: refused, yet changed {', '.join(changed)}")
                    matrix.state.restore(changed)
    return problems


def test_every_route_has_a_policy_entry_and_every_entry_a_route(tmp_path):
    app = make_app(tmp_path)
    routes = {key for key, _ in rule_methods(app)}
    declared = [entry.key for entry in route_policy.ENTRIES]
    duplicates = sorted({key for key in declared if declared.count(key) > 1})
    missing = sorted(routes - set(declared))
    stale = sorted(set(declared) - routes)
    assert not missing, "routes without a policy entry in tests/security/route_policy.py: " + (
        "; ".join(f"{m} {r}" for m, r in missing)
    )
    assert not stale, "policy entries for routes that no longer exist: " + "; ".join(
        f"{m} {r}" for m, r in stale
    )
    assert not duplicates, f"routes declared twice: {duplicates}"


@pytest.mark.parametrize("blueprint", route_policy.BLUEPRINTS)
def test_routes_give_the_declared_outcome_for_every_role(matrix, blueprint):
    rules = dict(rule_methods(matrix.app))
    entries = [e for e in route_policy.ENTRIES if e.blueprint == blueprint and e.key in rules]
    problems = []
    # pages first: restoring the database brings no deleted upload back
    for entry in sorted(entries, key=lambda e: e.method != "GET"):
        problems += check_entry(matrix, entry, rules[entry.key])
    assert not problems, f"{len(problems)} outcomes differ from the policy:\n" + "\n".join(problems)


def test_docs_show_the_current_policy_table():
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"<!-- policy:table -->\n(.*?)<!-- /policy:table -->", text, re.S)
    assert found, f"{DOCS} has no <!-- policy:table --> … <!-- /policy:table --> block"
    assert found.group(1) == route_policy.markdown(), (
        "docs/security.md is out of date: paste the output of "
        "`python -m tests.security.route_policy` between the policy:table markers"
    )


@pytest.mark.parametrize(
    "url",
    ["/cases/", "/api/v1/cases", "/search/?q=农机补贴", "/api/v1/cases/search?q=农机补贴"],
)
def test_lists_and_search_show_a_case_only_to_those_who_may_read_it(matrix, url):
    readers = {
        matrix.world.ids["case"]: set(ROLES) - {ANONYMOUS},
        matrix.world.ids["restricted_case"]: {"learner", "editor", "reviewer", "admin"},
        matrix.world.ids["draft_case"]: set(),  # the case desk lists drafts, not the library
    }
    shown = {}
    for role in ROLES[1:]:
        body = matrix.clients[role].get(url).get_data(as_text=True)
        shown[role] = {case_id for case_id in readers if case_id in body}
    for case_id, allowed in readers.items():
        assert {r for r in ROLES[1:] if case_id in shown[r]} == allowed, (url, case_id)
    matrix.state.restore(matrix.state.changed_tables())  # searches are audited


@pytest.mark.parametrize(
    "url",
    [
        "/reports/",
        "/reports/?unit={other_unit}",
        "/reports/export.csv?table=people",
        "/reports/export.csv?table=people&unit={other_unit}",
        "/mentorship/dashboard",
        "/mentorship/dashboard?unit={other_unit}",
        "/mentorship/dashboard.csv",
    ],
)
def test_scoped_lists_never_show_another_units_people(matrix, url):
    url = url.format(**matrix.world.ids)
    other_learner = "外单位学员"  # unit B, outside the trainer's and the leader's units
    admin = matrix.clients["admin"].get(url)
    assert other_learner in admin.get_data(as_text=True), "the admin sees unit B's people"
    for role in ("trainer", "leader"):
        response = matrix.clients[role].get(url)
        assert response.status_code in (200, 403, 404), (role, response.status)
        assert other_learner not in response.get_data(as_text=True), role
