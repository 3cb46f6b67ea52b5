"""The deployment under test, started once for the module and always stopped.

The shape follows the test run: with ``LEARN_TEST_DATABASE_URL`` (PostgreSQL) it is the
scale-out shape, which also needs Redis; otherwise the embedded shape. Server logs are
attached to the report of any failing test.
"""

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.scaleout import deployment as shapes
from tests.scaleout.browser import Traffic
from tests.scaleout.database import open_lecture, reset_postgres


def _redis_problem() -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(shapes.REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        return f"Redis at {shapes.REDIS_URL} is not reachable ({exc})"
    # This DB is the test's own: start without counters left by an earlier run.
    client.flushdb()
    client.close()
    return None


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("scaleout")
    if TEST_DATABASE_URL:
        problem = _redis_problem()
        if problem:
            pytest.skip(f"the scale-out shape needs Redis: {problem}")
        reset_postgres(TEST_DATABASE_URL)
        running = shapes.scale_out(workdir, TEST_DATABASE_URL)
    else:
        running = shapes.embedded(workdir)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def lecture_id(deployment):
    return open_lecture(deployment, "peixun")


@pytest.fixture
def traffic(deployment):
    """Every request of the test; none of them may be answered with a server error."""
    seen = Traffic()
    yield seen
    errors = seen.server_errors()
    assert not errors, f"server errors on {deployment.shape}: {errors[:10]}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    running = item.funcargs.get("deployment") if hasattr(item, "funcargs") else None
    if report.failed and running is not None:
        report.sections.append((f"{running.shape} server logs", running.log_tail()))
