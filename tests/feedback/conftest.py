"""Fixtures of the feedback tests: forms built through the rules, as an organizer would."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert

from coordination.extensions import db
from coordination.feedback import rules, tallies
from coordination.feedback.models import FeedbackAnswer, FeedbackForm, FeedbackResponse
from coordination.timeutil import utcnow


def make_form(organizer, questions=(), publish=True, **settings) -> FeedbackForm:
    """A form with `questions` given as dicts of add_question's arguments; published unless told."""
    fields = {"title": "Feedback on the roundtable", "audience": "everyone"} | settings
    form = rules.create_form(organizer, **fields)
    for question in questions:
        rules.add_question(organizer, form, **({"label": "Question"} | question))
    if publish:
        rules.publish_form(organizer, form)
    db.session.commit()
    return form


THREE_QUESTIONS = (
    {"kind": "rating", "label": "How useful was the roundtable?", "required": True,
     "low_label": "Not useful", "high_label": "Very useful"},
    {"kind": "multiple", "label": "Which services should we present next?",
     "options": ["Health", "AVRR", "Protection"]},
    {"kind": "long_text", "label": "What should we change?"},
)  # fmt: skip


@pytest.fixture
def named_form(organizer):
    return make_form(organizer, THREE_QUESTIONS)


@pytest.fixture
def anonymous_form(organizer):
    return make_form(organizer, THREE_QUESTIONS, anonymous=True)


def closed_times():
    now = utcnow().replace(microsecond=0, tzinfo=None)
    return {"opens_at": now - timedelta(days=10), "closes_at": now - timedelta(days=1)}


def bulk_responses(form: FeedbackForm, count: int, answers_of, kind_of=lambda n: "embassy") -> list[str]:
    """Insert `count` responses at once, and count them in the form's tallies; `answers_of(n)`:
    [(question, code, number, text)] of the n-th."""
    day = utcnow().date()
    ids = [uuid.uuid4().hex for _ in range(count)]
    db.session.execute(
        insert(FeedbackResponse),
        [
            {"id": rid, "form_id": form.id, "organization_kind": kind_of(n), "submitted_on": day}
            for n, rid in enumerate(ids)
        ],
    )
    rows = [
        {"response_id": rid, "question_id": question.id, "code": code, "number": number, "text": text}
        for n, rid in enumerate(ids)
        for question, code, number, text in answers_of(n)
    ]
    if rows:
        db.session.execute(insert(FeedbackAnswer), rows)
    tallies.recount(form.id)  # written around the rules, which keep the tallies
    db.session.commit()
    return ids
