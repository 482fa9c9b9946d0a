"""service catalogue (services, revisions, criteria) and announcements

Revision ID: 0013_catalogue
Revises: 0012_previous_login
Create Date: 2026-11-28 02:27:53.656405

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_catalogue"
down_revision = "0012_previous_login"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria')),
    sa.UniqueConstraint('key', name=op.f('uq_criteria_key'))
    )
    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('service_area', sa.String(length=40), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('revision_count', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_services_position')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_services_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('key', name=op.f('uq_services_key'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_service_area'), ['service_area'], unique=False)

    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_announcements_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'], name=op.f('fk_announcements_roundtable_id_roundtables'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcements_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('service_criteria',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('on_yes', sa.String(length=12), nullable=False),
    sa.Column('on_no', sa.String(length=12), nullable=False),
    sa.Column('on_unknown', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("on_no IN ('qualifies', 'disqualifies', 'ask')", name=op.f('ck_service_criteria_on_no')),
    sa.CheckConstraint("on_unknown IN ('qualifies', 'disqualifies', 'ask')", name=op.f('ck_service_criteria_on_unknown')),
    sa.CheckConstraint("on_yes IN ('qualifies', 'disqualifies', 'ask')", name=op.f('ck_service_criteria_on_yes')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_service_criteria_criterion_id_criteria'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_criteria_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'criterion_id', name=op.f('pk_service_criteria'))
    )
    with op.batch_alter_table('service_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_criteria_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('service_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_service_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_revisions_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_revisions')),
    sa.UniqueConstraint('service_id', 'number', name='uq_service_revisions_service_number')
    )


def downgrade():
    op.drop_table('service_revisions')
    with op.batch_alter_table('service_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_criteria_criterion_id'))

    op.drop_table('service_criteria')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_roundtable_id'))
        batch_op.drop_index(batch_op.f('ix_announcements_published_at'))

    op.drop_table('announcements')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_service_area'))

    op.drop_table('services')
    op.drop_table('criteria')
