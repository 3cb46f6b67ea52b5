"""The migrations build the same schema as the models, and ``learn init`` can run again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from learn.extensions import db


def _drop_everything(app):
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def test_init_upgrades_an_empty_database_and_can_run_again(app, runner):
    _drop_everything(app)
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "org_units", "audit_events", "alembic_version"} <= tables
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0, second.output


def test_migrations_match_the_models(app, runner):
    _drop_everything(app)
    assert runner.invoke(args=["init"]).exit_code == 0
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_init_keeps_existing_rows(app, runner):
    _drop_everything(app)
    runner.invoke(args=["init"])
    runner.invoke(args=["demo"])
    before = runner.invoke(args=["users", "token", "admin"])
    assert before.exit_code == 0
    assert runner.invoke(args=["init"]).exit_code == 0
    assert runner.invoke(args=["users", "token", "admin"]).exit_code == 0
