"""suggestions indexed by (service_area, status), for the list's counts per service area and status

Revision ID: 0022_suggestion_counts_index
Revises: 0020_check_in_helpers
Create Date: 2026-12-04 20:35:00

The suggestions list counts every suggestion by service area and status on each view; with this
index the count reads the index alone instead of sorting the table.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_suggestion_counts_index'
down_revision = '0020_check_in_helpers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_suggestions_service_area_status', 'suggestions', ['service_area', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_suggestions_service_area_status', table_name='suggestions')
