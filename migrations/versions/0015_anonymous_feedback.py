"""anonymous feedback: random keys and no rowid for responses and answers, no day on anonymous
responses, small kinds of organization dropped, sealed responses waiting to be released

Revision ID: 0015_anonymous_feedback
Revises: 0014_linked_documents
Create Date: 2026-12-04 17:00:00

Sequential answer ids and SQLite's rowid gave the order in which answers were written, which the
respondents' own order matched one to one. The two tables are rebuilt: their rows are written
again in the order of random keys (so that even PostgreSQL's physical order no longer follows
time), the answers get random keys, and on SQLite both become WITHOUT ROWID tables. An anonymous
response loses its day, and its kind of organization where fewer than three of its form's
responses (or the complement of such a group) share it.
"""

import uuid
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_anonymous_feedback"
down_revision = "0014_linked_documents"
branch_labels = None
depends_on = None

MIN_GROUP = 3
RESPONDENT_FK = "fk_feedback_respondents_response_id_feedback_responses"

forms = sa.table("feedback_forms", sa.column("id", sa.Integer), sa.column("anonymous", sa.Boolean))
respondents = sa.table(
    "feedback_respondents", sa.column("id", sa.Integer), sa.column("response_id", sa.String(32))
)


def _responses_table() -> sa.Table:
    return sa.table(
        "feedback_responses",
        sa.column("id", sa.String(32)),
        sa.column("form_id", sa.Integer),
        sa.column("organization_kind", sa.String(20)),
        sa.column("submitted_on", sa.Date),
    )


def _answers_table(new: bool) -> sa.Table:
    return sa.table(
        "feedback_answers",
        sa.column("id", sa.String(32) if new else sa.Integer),
        sa.column("response_id", sa.String(32)),
        sa.column("question_id", sa.Integer),
        sa.column("code", sa.String(64)),
        sa.column("number", sa.Integer),
        sa.column("text", sa.Text),
    )


def _hidden_kinds(counts: dict) -> set:
    """The kinds to drop: under MIN_GROUP, then the smallest others until the dropped add up to it
    (the same rule as coordination.feedback.anonymity.hidden_groups, copied: a migration must not
    change when the application does)."""
    hidden = {kind for kind, count in counts.items() if 0 < count < MIN_GROUP}
    shown = sorted(
        (kind for kind in counts if kind not in hidden), key=lambda kind: (counts[kind], str(kind))
    )
    while hidden and sum(counts[kind] for kind in hidden) < MIN_GROUP and shown:
        hidden.add(shown.pop(0))
    return hidden


def _read(new: bool):
    bind = op.get_bind()
    responses = [dict(row._mapping) for row in bind.execute(sa.select(_responses_table()))]
    answer_table = _answers_table(new)
    answers = [
        dict(row._mapping)
        for row in bind.execute(
            sa.select(*[c for c in answer_table.c if c.name != "id"]).order_by(answer_table.c.id)
        )
    ]
    links = [
        dict(row._mapping)
        for row in bind.execute(sa.select(respondents).where(respondents.c.response_id.is_not(None)))
    ]
    return responses, answers, links


def _drop_tables() -> None:
    # PostgreSQL refuses to drop a table that a constraint refers to; SQLite sets the respondents'
    # links to NULL instead (restored by _write).
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(RESPONDENT_FK, "feedback_respondents", type_="foreignkey")
    # Their indexes go with them.
    op.drop_table("feedback_answers")
    op.drop_table("feedback_responses")


def _create_tables(new: bool) -> None:
    options = {"sqlite_with_rowid": False} if new else {}
    op.create_table(
        "feedback_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("organization_kind", sa.String(length=20), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=new),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["feedback_forms.id"],
            name=op.f("fk_feedback_responses_form_id_feedback_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_responses")),
        **options,
    )
    op.create_index(op.f("ix_feedback_responses_form_id"), "feedback_responses", ["form_id"], unique=False)
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.String(length=32) if new else sa.Integer(), nullable=False),
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["feedback_questions.id"],
            name=op.f("fk_feedback_answers_question_id_feedback_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["feedback_responses.id"],
            name=op.f("fk_feedback_answers_response_id_feedback_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_answers")),
        **options,
    )
    op.create_index(
        "ix_feedback_answers_question_code",
        "feedback_answers",
        ["question_id", "code", "response_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_feedback_answers_response_id"), "feedback_answers", ["response_id"], unique=False
    )


def _write(new: bool, responses: list[dict], answers: list[dict], links: list[dict]) -> None:
    bind = op.get_bind()
    # Written in the order of the responses' random keys: no longer in the order they came.
    responses.sort(key=lambda row: row["id"])
    if responses:
        op.bulk_insert(_responses_table(), responses)
    if new:
        for answer in answers:
            answer["id"] = uuid.uuid4().hex
        answers.sort(key=lambda row: row["id"])
    else:
        for number, answer in enumerate(answers, start=1):
            answer["id"] = number
    if answers:
        op.bulk_insert(_answers_table(new), answers)
    for link in links:
        bind.execute(
            respondents.update().where(respondents.c.id == link["id"]).values(response_id=link["response_id"])
        )
    if bind.dialect.name != "sqlite":
        op.create_foreign_key(
            RESPONDENT_FK,
            "feedback_respondents",
            "feedback_responses",
            ["response_id"],
            ["id"],
            ondelete="SET NULL",
        )


def upgrade():
    bind = op.get_bind()
    anonymous = set(bind.scalars(sa.select(forms.c.id).where(forms.c.anonymous.is_(True))))
    responses, answers, links = _read(new=False)
    by_form: dict[int, dict] = {}
    for response in responses:
        if response["form_id"] in anonymous:
            response["submitted_on"] = None
            kinds = by_form.setdefault(response["form_id"], {})
            kinds[response["organization_kind"] or ""] = kinds.get(response["organization_kind"] or "", 0) + 1
    hidden = {form_id: _hidden_kinds(kinds) for form_id, kinds in by_form.items()}
    for response in responses:
        if (response["organization_kind"] or "") in hidden.get(response["form_id"], ()):
            response["organization_kind"] = None
    _drop_tables()
    _create_tables(new=True)
    _write(True, responses, answers, links)

    op.create_table(
        "feedback_pending_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["feedback_forms.id"],
            name=op.f("fk_feedback_pending_responses_form_id_feedback_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_pending_responses")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_feedback_pending_responses_form_id"), "feedback_pending_responses", ["form_id"], unique=False
    )


def downgrade():
    # Responses still sealed cannot be read without the application: they are lost, as their
    # respondent rows say someone answered.
    op.drop_index(op.f("ix_feedback_pending_responses_form_id"), table_name="feedback_pending_responses")
    op.drop_table("feedback_pending_responses")
    responses, answers, links = _read(new=True)
    for response in responses:
        response["submitted_on"] = response["submitted_on"] or date.today()
    _drop_tables()
    _create_tables(new=False)
    _write(False, responses, answers, links)
