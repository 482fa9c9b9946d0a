"""files the personal-data guard never read (presentations, pictures, unreadable files) are read again

Revision ID: 0018_guard_review
Revises: 0017_second_factor
Create Date: 2026-12-04 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018_guard_review"
down_revision = "0017_second_factor"
branch_labels = None
depends_on = None

# Until now PPTX, PNG and JPEG files were shared unread ("none") and a file that could not be read
# ("failed") was shared all the same. Their versions wait to be read again (`flask library
# extract`), and their documents are held back from others until the guard has read them.
versions = sa.table(
    "document_versions",
    sa.column("document_id", sa.Integer),
    sa.column("extraction", sa.String),
)
documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("status", sa.String))
UNREAD = ("none", "failed")


def upgrade():
    unread = sa.select(versions.c.document_id).where(versions.c.extraction.in_(UNREAD))
    op.execute(
        documents.update()
        .where(documents.c.status == "published", documents.c.id.in_(unread))
        .values(status="checking")
    )
    op.execute(versions.update().where(versions.c.extraction.in_(UNREAD)).values(extraction="pending"))


def downgrade():
    # Nothing to undo: reading a file again changes no schema, and what the guard held stays held.
    pass
