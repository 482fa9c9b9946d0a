"""invitation contacts and check-in helpers

Revision ID: 0007_contacts_and_helpers
Revises: 0006_calendar_feed
Create Date: 2026-11-28 02:07:06.761867

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_contacts_and_helpers'
down_revision = '0006_calendar_feed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        # Existing roundtables have no helpers.
        batch_op.add_column(
            sa.Column('check_in_helpers', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        # Until now only focal points received invitations.
        batch_op.add_column(sa.Column('invitation_contact', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('invitation_contact')

    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        batch_op.drop_column('check_in_helpers')
