"""documents: a partial index (created_at, id) of live documents, the order of the library's lists

Revision ID: 0026_live_documents_index
Revises: 0025_feedback_tallies
Create Date: 2026-12-04 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0026_live_documents_index"
down_revision = "0025_feedback_tallies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_documents_live_newest",
        "documents",
        ["created_at", "id"],
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade():
    op.drop_index("ix_documents_live_newest", table_name="documents")
