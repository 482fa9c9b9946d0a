"""suggestions for areas of intervention: suggestions, their supports and comments

Revision ID: 0008_suggestions
Revises: 0007_contacts_and_helpers
Create Date: 2026-11-28 02:09:59.447186

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_suggestions"
down_revision = "0007_contacts_and_helpers"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('service_area', sa.String(length=40), nullable=False),
    sa.Column('sdg', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('new', 'under_review', 'planned', 'declined')", name=op.f('ck_suggestions_status')),
    sa.CheckConstraint('sdg IS NULL OR (sdg >= 1 AND sdg <= 17)', name=op.f('ck_suggestions_sdg_range')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_suggestions_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_suggestions_proposer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_suggestions_replied_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestions'))
    )
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_proposer_id'), ['proposer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_sdg'), ['sdg'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_service_area'), ['service_area'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_status'), ['status'], unique=False)

    op.create_table('suggestion_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_suggestion_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_suggestion_comments_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], name=op.f('fk_suggestion_comments_suggestion_id_suggestions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_comments'))
    )
    with op.batch_alter_table('suggestion_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_comments_suggestion_id'), ['suggestion_id'], unique=False)

    op.create_table('suggestion_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_suggestion_supports_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], name=op.f('fk_suggestion_supports_suggestion_id_suggestions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_suggestion_supports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_supports')),
    sa.UniqueConstraint('suggestion_id', 'organization_id', name='uq_suggestion_supports_suggestion_organization')
    )
    with op.batch_alter_table('suggestion_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_supports_organization_id'), ['organization_id'], unique=False)



def downgrade():
    with op.batch_alter_table('suggestion_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_supports_organization_id'))

    op.drop_table('suggestion_supports')
    with op.batch_alter_table('suggestion_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_comments_suggestion_id'))

    op.drop_table('suggestion_comments')
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestions_status'))
        batch_op.drop_index(batch_op.f('ix_suggestions_service_area'))
        batch_op.drop_index(batch_op.f('ix_suggestions_sdg'))
        batch_op.drop_index(batch_op.f('ix_suggestions_proposer_id'))
        batch_op.drop_index(batch_op.f('ix_suggestions_organization_id'))
        batch_op.drop_index(batch_op.f('ix_suggestions_created_at'))

    op.drop_table('suggestions')
