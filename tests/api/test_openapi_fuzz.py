"""Schemathesis against docs/openapi.yaml: no generated request gets a 5xx, and every
documented response matches its schema.

One world is built per run (published cases, a draft, a lecture session, a mock-talk
session in its 谈话 phase) and a bearer token with the write scope is given to a user
holding every role, so that requests get past authorization and reach the services.
Requests are generated valid and invalid (schemathesis' positive and negative modes);
path parameters are drawn at random and from the world's real ids (and one id beyond
any integer column).
"""

from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases import services as cases
from learn.config import PROJECT_ROOT
from learn.drills.models import Phase
from learn.drills.services import groups
from learn.extensions import db
from tests.conftest import make_app, reset_database
from tests.drills.factories import open_session, sync_bundled, to_phase
from tests.factories import make_unit, make_user
from tests.lectures.factories import make_series, make_session
from tests.search.factories import case_file, index_now, library_files, publish

SPEC = PROJECT_ROOT / "docs" / "openapi.yaml"
EXAMPLES_PER_OPERATION = 20
CASES = ("gongkuan-chihe-2021-01", "gongche-siyong-2017-01", "dibao-maoling-2022-01")
DRAFT = "fuzz-draft-2024-01"
# An id no database column holds: must be a 404, not a driver overflow (a 500).
BEYOND_ANY_ID = 2**64


def _world() -> dict:
    """Data every operation can reach; the real path ids to try besides random ones."""
    unit = make_unit("县纪委监委机关")
    fuzzer = make_user("fuzzer", *Role, name="全角色", unit=unit)
    publish(fuzzer, library_files(*CASES))
    cases.create_case(fuzzer, case_file(DRAFT, "2024年，某镇干部李某违规收受礼品。"))
    series = make_series(fuzzer, unit)
    lecture = make_session(fuzzer, series, speakers=[fuzzer])
    sync_bundled()
    people = {
        role: make_user(role, name=name)
        for role, name in (
            ("lead", "林主谈"),
            ("subject", "何扮演"),
            ("assessor_a", "唐评甲"),
            ("assessor_b", "贺评乙"),
        )
    }
    people["recorder"] = fuzzer
    group = groups.create_group(fuzzer, "测试小组", [u.id for u in people.values()])
    drill = to_phase(fuzzer, people, open_session(fuzzer, people, group), Phase.TALKING)
    _token, clear = accounts.issue_token(fuzzer, "fuzz", "write")
    db.session.commit()
    index_now()
    return {
        "token": clear,
        "case_id": [*CASES, DRAFT],
        "session_id": [lecture.id, drill.id, BEYOND_ANY_ID],
    }


def _strategy(operation, known: dict):
    """Valid and invalid requests, and valid ones whose path ids are the world's real ids."""
    names = [p.name for p in operation.path_parameters]
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if names:
        for value in known[names[0]]:
            strategies.append(operation.as_strategy(path_parameters={names[0]: value}))
    return st.one_of(strategies)


def _operations():
    schema = schemathesis.openapi.from_path(SPEC)
    return schema, [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One app and world for every operation: building it takes seconds."""
    app = make_app(tmp_path_factory.mktemp("fuzz"))
    with app.app_context():
        reset_database()
        known = _world()
        db.session.remove()
    yield app, known
    with app.app_context():
        db.engine.dispose()


def _fuzz(app: Flask, operation, known: dict) -> None:
    headers = {"Authorization": f"Bearer {known['token']}"}

    @given(case=_strategy(operation, known))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(
            app=app, headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )

    run()


def test_every_api_route_is_in_the_spec(app):
    """A new JSON endpoint without a description would escape the fuzzing below."""
    _schema, operations = _operations()
    described = {(op.method.upper(), op.path) for op in operations}
    routes = {
        (method, "/" + rule.rule.removeprefix("/api/v1/"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    routes = {(m, _template(path)) for m, path in routes}
    assert routes - described == set()


def _template(path: str) -> str:
    """``/cases/<case_id>`` and ``/x/<int:session_id>`` as OpenAPI path templates."""
    parts = []
    for part in Path(path).parts[1:]:
        if part.startswith("<"):
            part = "{" + part.strip("<>").split(":")[-1] + "}"
        parts.append(part)
    return "/" + "/".join(parts)


@pytest.mark.parametrize("label", [op.label for op in _operations()[1]])
def test_no_server_error_and_documented_shapes(world, label):
    app, known = world
    _fuzz(app, next(op for op in _operations()[1] if op.label == label), known)
