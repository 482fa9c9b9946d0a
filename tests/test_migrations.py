"""The migrations build exactly the models' schema from nothing, and undo it cleanly."""

import os
import sys
from contextlib import contextmanager

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from coordination import create_app
from coordination.extensions import db, migrate
from coordination.library.search import include_object


def _schema_differences(engine) -> list:
    with engine.connect() as connection:
        # The library's search index (FTS5 table, tsvector column) is made by its migration alone.
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_gives_exactly_the_models_schema(app):
    # The session's `app` fixture emptied the database and ran every migration on it.
    assert _schema_differences(db.engine) == []


@pytest.fixture
def db_cli(runner, monkeypatch):
    """The CLI runner, with Alembic printing into its output.

    Alembic's Config defaults to the sys.stdout of import time, which the runner does not capture.
    """

    def print_to_runner(config):
        config.stdout = sys.stdout
        return config

    monkeypatch.setattr(migrate, "configure_callbacks", [*migrate.configure_callbacks, print_to_runner])
    return runner


def test_flask_db_check_finds_nothing_to_generate(db_cli):
    result = db_cli.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    assert "No new upgrade operations detected" in result.output


def test_the_migrations_have_a_single_head(db_cli):
    result = db_cli.invoke(args=["db", "heads"])
    assert result.exit_code == 0, result.output
    assert result.output.count("(head)") == 1, result.output


@contextmanager
def _scratch_database(tmp_path):
    """The URL of an empty database of the same kind as the suite's, removed afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    scratch = f"{url.database}_migrations"
    server = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_downgrade_to_base_then_upgrade_again_on_a_fresh_database(tmp_path):
    with _scratch_database(tmp_path) as url:
        scratch_app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with scratch_app.app_context():
            try:
                upgrade()
                assert _schema_differences(db.engine) == []

                downgrade(revision="base")
                assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}

                upgrade()
                assert _schema_differences(db.engine) == []
                with db.engine.connect() as connection:
                    heads = MigrationContext.configure(connection).get_current_heads()
                assert len(heads) == 1
            finally:
                db.session.remove()
                db.engine.dispose()


@pytest.mark.parametrize("table", ["organizations", "users", "audit_events", "outbox_messages"])
def test_the_migrated_schema_has_the_models_tables(app, table):
    assert table in sa.inspect(db.engine).get_table_names()
