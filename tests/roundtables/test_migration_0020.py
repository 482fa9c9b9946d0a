"""Migration 0020 moves the check-in helpers from a JSON list of ids in the roundtable's row to a
link table, dropping ids of people who no longer exist, and moves them back on a downgrade."""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from coordination import create_app
from coordination.extensions import db, migrate
from tests.test_migrations import _scratch_database

REVISION = "0020_check_in_helpers"


def _before(app) -> str:
    config = migrate.get_config(directory=app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _insert(connection, sql: str, **values) -> None:
    connection.execute(sa.text(sql), values)


def test_the_helpers_listed_in_json_become_rows_and_go_back(tmp_path):
    with _scratch_database(tmp_path) as url:
        scratch_app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with scratch_app.app_context():
            try:
                upgrade(revision=_before(scratch_app))
                with db.engine.begin() as connection:
                    for user_id in (1, 2, 3):
                        _insert(
                            connection,
                            "INSERT INTO users (id, email, name, role, preferred_language, active, "
                            "login_stamp, created_at, updated_at) VALUES (:id, :email, 'P', 'member', "
                            "'en', true, 's', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                            id=user_id,
                            email=f"p{user_id}@example.org",
                        )
                    _insert(
                        connection,
                        "INSERT INTO roundtables (id, title, starts_at, ends_at, timezone, languages, "
                        "sdgs, service_areas, status, uid, sequence, registrations_version, created_at, "
                        "updated_at, check_in_helpers) VALUES (1, 'R', :starts, :ends, 'Africa/Cairo', "
                        "'[]', '[]', '[]', 'published', 'u1', 0, 0, :starts, :starts, '[1, 3, 99]')",
                        starts=datetime(2026, 12, 1, 9, tzinfo=UTC),
                        ends=datetime(2026, 12, 1, 12, tzinfo=UTC),
                    )

                upgrade(revision=REVISION)
                with db.engine.connect() as connection:
                    rows = connection.execute(
                        sa.text("SELECT roundtable_id, user_id FROM check_in_helpers ORDER BY user_id")
                    ).all()
                assert [tuple(row) for row in rows] == [(1, 1), (1, 3)]

                downgrade(revision=_before(scratch_app))
                with db.engine.connect() as connection:
                    listed = connection.execute(
                        sa.text("SELECT check_in_helpers FROM roundtables")
                    ).scalar_one()
                load = sa.JSON().result_processor(db.engine.dialect, None)
                assert sorted(load(listed) if isinstance(listed, str) else listed) == [1, 3]
            finally:
                db.session.remove()
                db.engine.dispose()
