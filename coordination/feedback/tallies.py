"""The counts of a form's results, kept as its responses enter them: per kind of organization, how
many responses there are, and per question how many answered it and gave each answer code.

The rules that write responses (answers.submit_response and edit_response for a named form,
anonymity.release_pending for an anonymous one) call `count` in the same transaction, so the
results page reads a few rows whatever the number of responses, where counting the answers
themselves read every one of them on every view. A question or form deleted takes its tallies
with it (foreign keys). `recount` rebuilds a form's tallies from its answers: for responses written
around the rules (the migration that brought the tallies, the bench's bulk inserts).

An anonymous form's tallies change only when a group of at least MIN_GROUP responses is released,
as its answers do, so they tell no more about who answered what than the results do.
"""

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, distinct, func, insert, literal, select, update

from coordination.extensions import db
from coordination.feedback.models import (
    FeedbackAnswer,
    FeedbackAnswerTally,
    FeedbackForm,
    FeedbackResponse,
    FeedbackResponseTally,
)

ANSWERED = ""  # the code of an answer tally that counts the responses which answered the question


Entry = tuple[str | None, Sequence[FeedbackAnswer]]  # a response: its kind of organization, its answers


def count(form: FeedbackForm, added: Iterable[Entry], removed: Iterable[Entry] = ()) -> None:
    """Add the responses `added` to the form's tallies and take `removed` away."""
    kinds: Counter[tuple[str]] = Counter()
    answers: Counter[tuple[int, str, str]] = Counter()
    for entries, sign in ((added, 1), (removed, -1)):
        for organization_kind, response_answers in entries:
            kind = organization_kind or ""
            kinds[(kind,)] += sign
            for question_id in {answer.question_id for answer in response_answers}:
                answers[(question_id, kind, ANSWERED)] += sign
            for answer in response_answers:
                if answer.code is not None and answer.code != ANSWERED:
                    answers[(answer.question_id, kind, answer.code)] += sign
    # One writer at a time per form, so that the rows found missing below are inserted once.
    db.session.execute(select(FeedbackForm.id).where(FeedbackForm.id == form.id).with_for_update())
    _apply(FeedbackResponseTally, ("organization_kind",), form.id, kinds)
    _apply(FeedbackAnswerTally, ("question_id", "organization_kind", "code"), form.id, answers)


def _apply(model, key_names: Sequence[str], form_id: int, deltas: dict[tuple, int]) -> None:
    deltas = {key: delta for key, delta in deltas.items() if delta}
    if not deltas:
        return
    table = model.__table__
    columns = [table.c[name] for name in key_names]
    existing = {tuple(row) for row in db.session.execute(select(*columns).where(table.c.form_id == form_id))}
    present = [
        {
            "form": form_id,
            "delta": delta,
            **{f"k_{name}": value for name, value in zip(key_names, key, strict=True)},
        }
        for key, delta in deltas.items()
        if key in existing
    ]
    missing = [
        {"form_id": form_id, "responses": delta, **dict(zip(key_names, key, strict=True))}
        for key, delta in deltas.items()
        if key not in existing
    ]
    connection = db.session.connection()
    if present:
        connection.execute(
            update(table)
            .where(table.c.form_id == bindparam("form"), *[c == bindparam(f"k_{c.name}") for c in columns])
            .values(responses=table.c.responses + bindparam("delta")),
            present,
        )
    if missing:
        connection.execute(insert(table), missing)


def recount(form_id: int) -> None:
    """Rebuild the tallies of one form from its responses and answers, in three statements."""
    connection = db.session.connection()
    connection.execute(delete(FeedbackResponseTally).where(FeedbackResponseTally.form_id == form_id))
    connection.execute(delete(FeedbackAnswerTally).where(FeedbackAnswerTally.form_id == form_id))
    kind = func.coalesce(FeedbackResponse.organization_kind, "")
    connection.execute(
        insert(FeedbackResponseTally).from_select(
            ["form_id", "organization_kind", "responses"],
            select(literal(form_id), kind, func.count())
            .where(FeedbackResponse.form_id == form_id)
            .group_by(kind),
        )
    )
    of_form = (
        select(
            FeedbackAnswer.question_id, kind.label("kind"), FeedbackAnswer.code, FeedbackAnswer.response_id
        )
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(FeedbackResponse.form_id == form_id)
        .subquery()
    )
    answered = select(
        literal(form_id),
        of_form.c.question_id,
        of_form.c.kind,
        literal(ANSWERED),
        func.count(distinct(of_form.c.response_id)),
    ).group_by(of_form.c.question_id, of_form.c.kind)
    coded = (
        select(literal(form_id), of_form.c.question_id, of_form.c.kind, of_form.c.code, func.count())
        .where(of_form.c.code.is_not(None), of_form.c.code != ANSWERED)
        .group_by(of_form.c.question_id, of_form.c.kind, of_form.c.code)
    )
    connection.execute(
        insert(FeedbackAnswerTally).from_select(
            ["form_id", "question_id", "organization_kind", "code", "responses"], answered.union_all(coded)
        )
    )
