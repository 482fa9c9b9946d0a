"""services link library documents; announcements may link one; the free text becomes "other references"

Revision ID: 0014_linked_documents
Revises: 0013_catalogue
Create Date: 2026-11-28 04:55:06.715392

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_linked_documents"
down_revision = "0013_catalogue"
branch_labels = None
depends_on = None

# The services' free text "related documents" is kept, under the name it now has: the links to the
# library take its place, and what was typed stays readable as "other references", in the services
# and in their revisions alike (a revision shows the texts by their current names).
OLD, NEW = "related_documents", "other_references"

services = sa.table("services", sa.column("id", sa.Integer), sa.column("texts", sa.JSON))
revisions = sa.table("service_revisions", sa.column("id", sa.Integer), sa.column("snapshot", sa.JSON))


def _renamed(texts, old: str, new: str):
    """`texts` with the map under `old` moved to `new` (joined to what `new` holds), or None if unchanged."""
    if not isinstance(texts, dict) or old not in texts:
        return None
    texts = dict(texts)
    moved, kept = texts.pop(old) or {}, texts.get(new) or {}
    merged = dict(kept)
    for language, text in moved.items():
        merged[language] = f"{kept[language]}\n\n{text}" if kept.get(language) else text
    if merged:
        texts[new] = merged
    return texts


def _move_texts(old: str, new: str) -> None:
    connection = op.get_bind()
    for row in connection.execute(sa.select(services.c.id, services.c.texts)).all():
        texts = _renamed(row.texts, old, new)
        if texts is not None:
            connection.execute(sa.update(services).where(services.c.id == row.id).values(texts=texts))
    for row in connection.execute(sa.select(revisions.c.id, revisions.c.snapshot)).all():
        snapshot = row.snapshot if isinstance(row.snapshot, dict) else None
        texts = _renamed(snapshot.get("texts"), old, new) if snapshot else None
        if texts is not None:
            connection.execute(
                sa.update(revisions).where(revisions.c.id == row.id).values(snapshot={**snapshot, "texts": texts})
            )


def upgrade():
    op.create_table('service_documents',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_service_documents_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_documents_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'document_id', name=op.f('pk_service_documents'))
    )
    with op.batch_alter_table('service_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_documents_document_id'), ['document_id'], unique=False)

    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_announcements_document_id'), ['document_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_announcements_document_id_documents'), 'documents', ['document_id'], ['id'], ondelete='SET NULL')

    _move_texts(OLD, NEW)


def downgrade():
    # The typed text goes back under its old name; the links to documents have no place to go back to.
    _move_texts(NEW, OLD)

    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_announcements_document_id_documents'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_announcements_document_id'))
        batch_op.drop_column('document_id')

    with op.batch_alter_table('service_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_documents_document_id'))

    op.drop_table('service_documents')
