"""check-in helpers as a link table rather than a JSON list of ids in the roundtable's row

Revision ID: 0020_check_in_helpers
Revises: 0018_guard_review
Create Date: 2026-12-04 17:20:00

A list of ids in a JSON column had no foreign key (a removed person stayed listed) and could not
be asked in SQL; the link table has both. Existing lists move over, people who no longer exist
are dropped.
"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_check_in_helpers'
down_revision = '0018_guard_review'
branch_labels = None
depends_on = None

roundtables = sa.table('roundtables', sa.column('id', sa.Integer), sa.column('check_in_helpers', sa.JSON))
users = sa.table('users', sa.column('id', sa.Integer))


def _ids(value) -> list[int]:
    if isinstance(value, str):
        value = json.loads(value or '[]')
    return [int(i) for i in value or [] if isinstance(i, int) or str(i).isdigit()]


def upgrade():
    helpers = op.create_table(
        'check_in_helpers',
        sa.Column('roundtable_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'], name=op.f('fk_check_in_helpers_roundtable_id_roundtables'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_check_in_helpers_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('roundtable_id', 'user_id', name=op.f('pk_check_in_helpers')),
    )
    with op.batch_alter_table('check_in_helpers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_helpers_user_id'), ['user_id'], unique=False)

    # Read the lists before the column goes: on SQLite the batch rebuild drops and recreates the
    # roundtables table, which would cascade to rows already in the link table.
    connection = op.get_bind()
    existing = set(connection.execute(sa.select(users.c.id)).scalars())
    rows = []
    for roundtable_id, listed in connection.execute(sa.select(roundtables.c.id, roundtables.c.check_in_helpers)):
        for user_id in dict.fromkeys(_ids(listed)):
            if user_id in existing:
                rows.append({'roundtable_id': roundtable_id, 'user_id': user_id})

    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        batch_op.drop_column('check_in_helpers')
    if rows:
        op.bulk_insert(helpers, rows)


def downgrade():
    connection = op.get_bind()
    helpers = sa.table('check_in_helpers', sa.column('roundtable_id', sa.Integer), sa.column('user_id', sa.Integer))
    listed: dict[int, list[int]] = {}
    for roundtable_id, user_id in connection.execute(sa.select(helpers.c.roundtable_id, helpers.c.user_id)):
        listed.setdefault(roundtable_id, []).append(user_id)
    with op.batch_alter_table('check_in_helpers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_helpers_user_id'))
    op.drop_table('check_in_helpers')
    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_in_helpers', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    for roundtable_id, ids in listed.items():
        connection.execute(sa.update(roundtables).where(roundtables.c.id == roundtable_id).values(check_in_helpers=ids))
