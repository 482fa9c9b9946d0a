"""previous sign-in, for what is new on the home page

Revision ID: 0012_previous_login
Revises: 0011_feedback
Create Date: 2026-11-28 03:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_previous_login'
down_revision = '0011_feedback'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_login_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('previous_login_at')
