"""Migration 0014 keeps what was typed as a service's "related documents": it becomes its "other
references", in the service and in each revision, and goes back on a downgrade."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from coordination import create_app
from coordination.extensions import db
from tests.test_migrations import _scratch_database

TYPED = {"en": "AVRR referral form (ask the desk)", "ar": "استمارة الإحالة"}


def _texts(connection):
    service = connection.execute(sa.text("SELECT texts FROM services")).scalar_one()
    snapshot = connection.execute(sa.text("SELECT snapshot FROM service_revisions")).scalar_one()
    # SQLite hands JSON back as text, PostgreSQL as a dict.
    load = sa.JSON().result_processor(connection.dialect, None) if isinstance(service, str) else None
    return (load(service), load(snapshot)) if load else (service, snapshot)


def test_the_free_text_becomes_other_references_in_services_and_revisions(tmp_path):
    with _scratch_database(tmp_path) as url:
        scratch_app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with scratch_app.app_context():
            try:
                upgrade(revision="0013_catalogue")
                texts = {"name": {"en": "AVRR"}, "related_documents": TYPED}
                with db.engine.begin() as connection:
                    connection.execute(
                        sa.text(
                            "INSERT INTO services (id, key, service_area, texts, position, revision_count, "
                            "created_at, updated_at) VALUES (1, 'avrr', 'avrr', :texts, 0, 1, "
                            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                        ).bindparams(sa.bindparam("texts", texts, type_=sa.JSON)),
                    )
                    connection.execute(
                        sa.text(
                            "INSERT INTO service_revisions (id, service_id, number, snapshot, created_at) "
                            "VALUES (1, 1, 1, :snapshot, CURRENT_TIMESTAMP)"
                        ).bindparams(
                            sa.bindparam("snapshot", {"texts": texts, "criteria": []}, type_=sa.JSON)
                        ),
                    )

                upgrade()
                with db.engine.connect() as connection:
                    service, snapshot = _texts(connection)
                assert service == {"name": {"en": "AVRR"}, "other_references": TYPED}
                assert snapshot == {"texts": service, "criteria": []}

                downgrade(revision="0013_catalogue")
                with db.engine.connect() as connection:
                    service, snapshot = _texts(connection)
                assert service == texts
                assert snapshot["texts"] == texts
            finally:
                db.session.remove()
                db.engine.dispose()
