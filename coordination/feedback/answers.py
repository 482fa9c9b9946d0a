"""Answering a form: read and check the answers, keep a draft, submit, edit.

One response per person (or per organization) is enforced by the unique constraints of
`feedback_respondents`, whose row is written in the same transaction as the response: a second
submission, even at the same instant, fails with an IntegrityError that the view turns into a
message. Drafts of a named form are kept in `feedback_drafts`; drafts of an anonymous form are
kept only in the person's own session cookie (signed, sent back to nobody else), so that nothing
on the server links them to the person.
"""

import json
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.feedback import tallies
from coordination.feedback.anonymity import hold_response
from coordination.feedback.freshness import mark_changed
from coordination.feedback.models import (
    TEXT_KINDS,
    FeedbackAnswer,
    FeedbackDraft,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackRespondent,
    FeedbackResponse,
    OnePer,
    QuestionKind,
)
from coordination.feedback.rules import valid_codes
from coordination.inputs import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from coordination.policy import require
from coordination.timeutil import utcnow

TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 10000}
# A session cookie must stay under 4 KB: an anonymous draft larger than this is not kept.
SESSION_DRAFT_LIMIT = 2500


def field_name(question: FeedbackQuestion) -> str:
    return f"q{question.id}"


def raw_answers(form: FeedbackForm, data) -> dict[str, list[str]]:
    """What was typed or ticked, by field name, as lists of strings (to re-show and to keep as draft)."""
    raw = {}
    for question in form.questions:
        values = [value for value in data.getlist(field_name(question)) if value is not None]
        if question.kind in TEXT_KINDS:
            values = [value[: TEXT_LIMITS[question.kind] + 1] for value in values[:1]]
        if any(value.strip() for value in values):
            raw[field_name(question)] = values
    return raw


def is_shown(question: FeedbackQuestion, raw: dict[str, list[str]]) -> bool:
    """Whether `question` is asked, given the answers: not hidden, and its condition met."""
    if question.hidden:
        return False
    source = question.condition_question
    if source is None:
        return True
    return is_shown(source, raw) and question.condition_value in raw.get(field_name(source), [])


@dataclass
class CheckedAnswers:
    values: dict[int, object] = field(default_factory=dict)  # question id -> value
    errors: dict[int, str] = field(default_factory=dict)  # question id -> message


def check_answers(form: FeedbackForm, raw: dict[str, list[str]]) -> CheckedAnswers:
    """Validate the shown questions only; answers to questions not shown are dropped."""
    checked = CheckedAnswers()
    for question in form.questions:
        if not is_shown(question, raw):
            continue
        values = [value.strip() for value in raw.get(field_name(question), []) if value.strip()]
        if not values:
            if question.required:
                checked.errors[question.id] = _l("This question needs an answer.")
            continue
        if question.kind in TEXT_KINDS:
            if has_control_characters(values[0]):
                checked.errors[question.id] = CONTROL_CHARACTERS_MESSAGE
            elif len(values[0]) > TEXT_LIMITS[question.kind]:
                checked.errors[question.id] = _l(
                    "At most %(num)d characters, please.", num=TEXT_LIMITS[question.kind]
                )
            else:
                checked.values[question.id] = values[0]
            continue
        codes = valid_codes(question)
        if any(value not in codes for value in values) or (
            question.kind != QuestionKind.MULTIPLE and len(values) > 1
        ):
            checked.errors[question.id] = _l("Choose one of the options given.")
            continue
        checked.values[question.id] = (
            sorted(set(values), key=codes.index) if question.kind == QuestionKind.MULTIPLE else values[0]
        )
    return checked


def _answer_rows(form: FeedbackForm, values: dict[int, object]) -> list[FeedbackAnswer]:
    rows = []
    for question in form.questions:
        value = values.get(question.id)
        if value is None:
            continue
        if question.kind in TEXT_KINDS:
            rows.append(FeedbackAnswer(question_id=question.id, text=value))
        elif question.kind == QuestionKind.MULTIPLE:
            rows += [FeedbackAnswer(question_id=question.id, code=code) for code in value]
        elif question.kind == QuestionKind.RATING:
            rows.append(FeedbackAnswer(question_id=question.id, code=value, number=int(value)))
        else:
            rows.append(FeedbackAnswer(question_id=question.id, code=value))
    return rows


def check_open(form: FeedbackForm) -> None:
    """Raise ValidationFailed unless the form takes answers now."""
    state = form.state(utcnow())
    if state == "scheduled":
        raise ValidationFailed(_l("This form is not open yet."))
    if state in ("closed", "draft"):
        raise ValidationFailed(_l("This form is closed."))


def respondent_of(form: FeedbackForm, user) -> FeedbackRespondent | None:
    """The row saying that `user` (or, for a one-per-organization form, their organization) responded."""
    query = select(FeedbackRespondent).where(FeedbackRespondent.form_id == form.id)
    if form.one_per == OnePer.ORGANIZATION and user.organization_id is not None:
        query = query.where(
            (FeedbackRespondent.user_id == user.id)
            | (FeedbackRespondent.organization_key == user.organization_id)
        )
    else:
        query = query.where(FeedbackRespondent.user_id == user.id)
    return db.session.scalars(query.limit(1)).first()


def answered_forms(user, form_ids: list[int]) -> set[int]:
    """Which of these forms `user` (or their organization, where one response per organization) answered."""
    if not form_ids:
        return set()
    return set(
        db.session.scalars(
            select(FeedbackRespondent.form_id).where(
                FeedbackRespondent.form_id.in_(form_ids),
                (FeedbackRespondent.user_id == user.id)
                | (FeedbackRespondent.organization_key == user.organization_id),
            )
        )
    )


def submit_response(actor, form: FeedbackForm, raw: dict[str, list[str]]) -> FeedbackResponse | None:
    """Save a response and the respondent row together; raises ValidationFailed on invalid answers.

    A second response of the same person or organization raises IntegrityError at the flush. An
    anonymous response is sealed until it can be released with others (anonymity.hold_response),
    and None is returned: nothing may hand it back to its author.
    """
    require(actor, "feedback_form.answer", form)
    check_open(form)
    checked = check_answers(form, raw)
    if checked.errors:
        raise AnswersInvalid(checked)
    # The form's row is locked before anything refers to it: the inserts below take a key-share
    # lock on it (their foreign key), and two answers that each held one while asking for the
    # release's or the tallies' update lock would wait for each other (a deadlock on PostgreSQL).
    db.session.execute(select(FeedbackForm.id).where(FeedbackForm.id == form.id).with_for_update())
    today = utcnow().date()
    respondent = FeedbackRespondent(
        form_id=form.id,
        user_id=actor.id,
        organization_id=actor.organization_id,
        organization_key=actor.organization_id if form.one_per == OnePer.ORGANIZATION else None,
        responded_on=today,
    )
    db.session.add(respondent)
    db.session.flush()  # the unique constraints speak here, before anything else is written
    kind = actor.organization.kind if actor.organization is not None else None
    if form.anonymous:
        hold_response(form, kind, _answer_rows(form, checked.values))
        mark_changed(form)
        return None
    response = FeedbackResponse(
        form_id=form.id,
        organization_kind=kind,
        submitted_on=today,
        answers=_answer_rows(form, checked.values),
    )
    db.session.add(response)
    db.session.flush()
    respondent.response_id = response.id
    tallies.count(form, [(kind, response.answers)])
    mark_changed(form)
    db.session.execute(
        delete(FeedbackDraft).where(FeedbackDraft.form_id == form.id, FeedbackDraft.user_id == actor.id)
    )
    return response


def may_edit(form: FeedbackForm, respondent: FeedbackRespondent | None, actor) -> bool:
    return (
        respondent is not None
        and respondent.user_id == actor.id
        and respondent.response_id is not None
        and form.allow_edit
        and not form.anonymous
        and form.state(utcnow()) == "open"
    )


def edit_response(actor, form: FeedbackForm, raw: dict[str, list[str]]) -> FeedbackResponse:
    """Replace the answers of one's own named response while the form is open and allows it."""
    require(actor, "feedback_form.answer", form)
    check_open(form)
    respondent = respondent_of(form, actor)
    if not may_edit(form, respondent, actor):
        raise ValidationFailed(_l("This response can no longer be changed."))
    checked = check_answers(form, raw)
    if checked.errors:
        raise AnswersInvalid(checked)
    response = respondent.response
    # Answers to questions hidden since are not on the page: they are kept as they were.
    hidden = {question.id for question in form.questions if question.hidden}
    before = list(response.answers)
    kept = [answer for answer in before if answer.question_id in hidden]
    response.answers = kept + _answer_rows(form, {k: v for k, v in checked.values.items() if k not in hidden})
    kind = response.organization_kind
    tallies.count(form, [(kind, response.answers)], removed=[(kind, before)])
    return response


def existing_answers(response: FeedbackResponse) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for answer in response.answers:
        value = answer.text if answer.text is not None else answer.code
        raw.setdefault(f"q{answer.question_id}", []).append(value)
    return raw


def save_draft(actor, form: FeedbackForm, raw: dict[str, list[str]]) -> None:
    """Keep a named form's answers for later (one draft per person and form)."""
    require(actor, "feedback_form.answer", form)
    check_open(form)
    if any(has_control_characters(value) for values in raw.values() for value in values):
        raise ValidationFailed(CONTROL_CHARACTERS_MESSAGE)  # PostgreSQL's JSON refuses NUL
    draft = db.session.scalar(
        select(FeedbackDraft).where(FeedbackDraft.form_id == form.id, FeedbackDraft.user_id == actor.id)
    )
    if draft is None:
        draft = FeedbackDraft(form_id=form.id, user_id=actor.id)
        db.session.add(draft)
    draft.data = raw
    draft.saved_at = utcnow()
    db.session.flush()


def draft_of(form: FeedbackForm, actor) -> FeedbackDraft | None:
    return db.session.scalar(
        select(FeedbackDraft).where(FeedbackDraft.form_id == form.id, FeedbackDraft.user_id == actor.id)
    )


def session_draft_fits(raw: dict[str, list[str]]) -> bool:
    return len(json.dumps(raw, ensure_ascii=False).encode()) <= SESSION_DRAFT_LIMIT


class AnswersInvalid(ValidationFailed):
    """Some answers are missing or invalid; `checked.errors` says which."""

    def __init__(self, checked: CheckedAnswers):
        super().__init__(_l("Please correct the answers marked below."))
        self.checked = checked
