"""feedback tallies: the results' counts kept as responses enter them

Revision ID: 0025_feedback_tallies
Revises: 0024_documents_engagement_index
Create Date: 2026-12-04 19:45:00

The results page counted every answer of a form on every view (two grouped scans of the answers,
one with a count(DISTINCT)); it now reads the counts per question, answer and kind of organization
that the rules keep (coordination/feedback/tallies.py). Existing responses are counted here once.
The audience of a form (active people, not organizers, by organization) is counted from an index of
the people's table alone.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_feedback_tallies'
down_revision = '0024_documents_engagement_index'
branch_labels = None
depends_on = None

KIND = "COALESCE(r.organization_kind, '')"


def upgrade():
    op.create_table(
        'feedback_response_tallies',
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('organization_kind', sa.String(length=20), nullable=False),
        sa.Column('responses', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['form_id'], ['feedback_forms.id'], name=op.f('fk_feedback_response_tallies_form_id_feedback_forms'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('form_id', 'organization_kind', name=op.f('pk_feedback_response_tallies')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'feedback_answer_tallies',
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('organization_kind', sa.String(length=20), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('responses', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['form_id'], ['feedback_forms.id'], name=op.f('fk_feedback_answer_tallies_form_id_feedback_forms'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['feedback_questions.id'], name=op.f('fk_feedback_answer_tallies_question_id_feedback_questions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('form_id', 'question_id', 'organization_kind', 'code', name=op.f('pk_feedback_answer_tallies')),
        sqlite_with_rowid=False,
    )
    op.create_index('ix_users_audience', 'users', ['organization_id', 'active', 'role'], unique=False)
    op.execute(
        "INSERT INTO feedback_response_tallies (form_id, organization_kind, responses) "
        f"SELECT r.form_id, {KIND}, count(*) FROM feedback_responses r GROUP BY r.form_id, {KIND}"
    )
    # "" as the code: the responses that answered the question at all.
    op.execute(
        "INSERT INTO feedback_answer_tallies (form_id, question_id, organization_kind, code, responses) "
        f"SELECT r.form_id, a.question_id, {KIND}, '', count(DISTINCT a.response_id) "
        "FROM feedback_answers a JOIN feedback_responses r ON r.id = a.response_id "
        f"GROUP BY r.form_id, a.question_id, {KIND} "
        "UNION ALL "
        f"SELECT r.form_id, a.question_id, {KIND}, a.code, count(*) "
        "FROM feedback_answers a JOIN feedback_responses r ON r.id = a.response_id "
        "WHERE a.code IS NOT NULL AND a.code <> '' "
        f"GROUP BY r.form_id, a.question_id, {KIND}, a.code"
    )


def downgrade():
    op.drop_index('ix_users_audience', table_name='users')
    op.drop_table('feedback_answer_tallies')
    op.drop_table('feedback_response_tallies')
