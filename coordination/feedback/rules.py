"""What the feedback area does to forms and questions: build, publish, copy, export and import."""

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from coordination.audit.rules import record_event
from coordination.auth.models import Role
from coordination.directory.models import Organization
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.feedback import audience
from coordination.feedback.freshness import mark_changed
from coordination.feedback.models import (
    CHOICE_KINDS,
    CODED_KINDS,
    Audience,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackOption,
    FeedbackPendingResponse,
    FeedbackQuestion,
    FeedbackRespondent,
    OnePer,
    QuestionKind,
)
from coordination.inputs import has_control_characters, without_control_characters
from coordination.policy import require
from coordination.records import apply_changes
from coordination.roundtables.models import Roundtable
from coordination.taxonomy import SERVICE_AREAS
from coordination.timeutil import utcnow

# Forms have no place of their own: their times are typed and shown in the country office's zone,
# or in the zone of the roundtable they belong to.
DEFAULT_TIMEZONE = "Africa/Cairo"
FORM_FIELDS = (
    "title", "introduction", "privacy_notice", "opens_at", "closes_at", "audience", "anonymous",
    "one_per", "allow_edit", "roundtable_id", "translations",
)  # fmt: skip
QUESTION_FIELDS = ("label", "help_text", "required", "low_label", "high_label", "translations")
LANGUAGES = ("fr", "ar")
FORM_TEXTS = ("title", "introduction", "privacy_notice")
QUESTION_TEXTS = ("label", "help_text", "low_label", "high_label")
TEXT_LIMITS = {"title": 200, "introduction": 20000, "privacy_notice": 20000, "label": 500, "help_text": 5000,
               "low_label": 100, "high_label": 100}  # fmt: skip


def clean_translations(value, names: tuple[str, ...]) -> dict:
    """Translations as {language: {field: text}}, keeping only known languages, fields and non-empty text."""
    cleaned = {}
    for language in LANGUAGES:
        given = (value or {}).get(language) if isinstance(value, dict) else None
        if not isinstance(given, dict):
            continue
        texts = {
            # Control characters would not survive PostgreSQL's JSON column nor a spreadsheet.
            name: without_control_characters(given[name]).strip()[: TEXT_LIMITS[name]]
            for name in names
            if isinstance(given.get(name), str) and without_control_characters(given[name]).strip()
        }
        if texts:
            cleaned[language] = texts
    return cleaned


RATINGS = ("1", "2", "3", "4", "5")
YES_NO = ("yes", "no")
JSON_VERSION = 1


def timezone_of(form: FeedbackForm | None, roundtable=None) -> str:
    roundtable = roundtable or (form.roundtable if form is not None else None)
    return roundtable.timezone if roundtable is not None else DEFAULT_TIMEZONE


def to_utc(local: datetime | None, zone: str) -> datetime | None:
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def to_local(moment: datetime | None, zone: str) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def has_responses(form: FeedbackForm) -> bool:
    """Whether anyone has answered: asked of the respondents, since an anonymous response may still
    be waiting, sealed, to be released with others."""
    return bool(db.session.scalar(select(exists().where(FeedbackRespondent.form_id == form.id))))


def _has_pending(form_id) -> bool:
    return bool(db.session.scalar(select(exists().where(FeedbackPendingResponse.form_id == form_id))))


def question_has_answers(question: FeedbackQuestion) -> bool:
    """Whether the question has answers; while sealed responses wait, every question may have."""
    return bool(
        db.session.scalar(select(exists().where(FeedbackAnswer.question_id == question.id)))
    ) or _has_pending(question.form_id)


def answered_questions(form: FeedbackForm) -> set[int]:
    """Ids of the form's questions that have answers (those can be hidden, not deleted); while
    sealed responses wait, which questions they answer is unknown, so every question counts."""
    if _has_pending(form.id):
        return {question.id for question in form.questions}
    return set(
        db.session.scalars(
            select(FeedbackAnswer.question_id)
            .join(FeedbackQuestion, FeedbackQuestion.id == FeedbackAnswer.question_id)
            .where(FeedbackQuestion.form_id == form.id)
            .distinct()
        )
    )


def valid_codes(question: FeedbackQuestion) -> tuple[str, ...]:
    """The codes an answer to `question` may carry (choices, yes/no, service areas, ratings)."""
    if question.kind in CHOICE_KINDS:
        return tuple(option.code for option in question.options)
    if question.kind == QuestionKind.YES_NO:
        return YES_NO
    if question.kind == QuestionKind.SERVICE_AREA:
        return tuple(SERVICE_AREAS)
    if question.kind == QuestionKind.RATING:
        return RATINGS
    return ()


def _check_form(fields: dict, form: FeedbackForm | None) -> None:
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if opens and closes and closes <= opens:
        raise ValidationFailed(_l("The form must close after it opens."), field="closes_at")
    if fields.get("audience") == Audience.ATTENDEES and not fields.get("roundtable_id"):
        raise ValidationFailed(_l("Choose the roundtable whose attendees are asked."), field="roundtable_id")
    if fields.get("anonymous") and fields.get("allow_edit"):
        raise ValidationFailed(
            _l("Answers to an anonymous form cannot be edited: nothing links them to their author."),
            field="allow_edit",
        )
    fixed_changed = form is not None and (
        bool(fields.get("anonymous")) != form.anonymous or fields.get("one_per") != form.one_per
    )
    if fixed_changed and has_responses(form):
        raise ValidationFailed(
            _l("The form has responses: anonymity and one response per person or organization are fixed."),
            field="anonymous",
        )


def _form_fields(fields: dict, organization_ids: list[int] | None) -> tuple[dict, list[Organization]]:
    fields = {key: fields.get(key) for key in FORM_FIELDS}
    fields["anonymous"] = bool(fields["anonymous"])
    fields["allow_edit"] = bool(fields["allow_edit"])
    fields["audience"] = fields["audience"] or Audience.EVERYONE
    fields["one_per"] = fields["one_per"] or OnePer.PERSON
    if fields["translations"] is None:
        del fields["translations"]  # not given: left as it is
    else:
        fields["translations"] = clean_translations(fields["translations"], FORM_TEXTS)
    roundtable = db.session.get(Roundtable, fields["roundtable_id"]) if fields["roundtable_id"] else None
    if fields["roundtable_id"] and roundtable is None:
        raise ValidationFailed(_l("This roundtable does not exist."), field="roundtable_id")
    zone = timezone_of(None, roundtable)
    fields["opens_at"] = to_utc(fields["opens_at"], zone)
    fields["closes_at"] = to_utc(fields["closes_at"], zone)
    organizations = []
    if fields["audience"] == Audience.ORGANIZATIONS:
        organizations = list(
            db.session.scalars(select(Organization).where(Organization.id.in_(organization_ids or [])))
        )
        if not organizations:
            raise ValidationFailed(_l("Choose at least one organization."), field="organization_ids")
    return fields, organizations


def create_form(actor, *, organization_ids: list[int] | None = None, **fields) -> FeedbackForm:
    """A new draft form; raises ValidationFailed on inconsistent settings."""
    require(actor, "feedback.create")
    fields, organizations = _form_fields(fields, organization_ids)
    _check_form(fields, None)
    form = FeedbackForm(**fields, organizations=organizations, created_by_id=actor.id)
    db.session.add(form)
    db.session.flush()
    record_event(actor, "feedback.create", form, title=form.title)
    return form


def update_form(
    actor, form: FeedbackForm, *, organization_ids: list[int] | None = None, **fields
) -> list[str]:
    """Save a form's settings; anonymity and one-per are fixed once it has responses."""
    require(actor, "feedback_form.manage", form)
    fields, organizations = _form_fields(fields, organization_ids)
    _check_form(fields, form)
    changed = apply_changes(form, fields)
    if {o.id for o in organizations} != {o.id for o in form.organizations}:
        form.organizations = organizations
        changed.append("organizations")
    if changed:
        mark_changed(form)
        record_event(actor, "feedback.update", form, fields=changed)
    return changed


def publish_form(actor, form: FeedbackForm) -> None:
    """Make a form visible to its audience; raises ValidationFailed when it has no question."""
    require(actor, "feedback_form.manage", form)
    if not any(not question.hidden for question in form.questions):
        raise ValidationFailed(_l("Add at least one question before publishing."))
    form.published_at = form.published_at or utcnow()
    record_event(actor, "feedback.publish", form)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _new_code(label: str, taken: set[str]) -> str:
    """A stable code for a new option: from its label when it has Latin letters, unique in its question."""
    base = slugify(label) or "option"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    taken.add(code)
    return code


def _clean_labels(labels: list[str]) -> list[str]:
    seen, cleaned = set(), []
    for label in labels:
        label = (label or "").strip()
        if label and label.lower() not in seen:
            seen.add(label.lower())
            cleaned.append(label[:300])
    return cleaned


def parse_condition(form: FeedbackForm, value: str | None, before: int | None = None):
    """A condition "question-id:code" as (question, code); raises ValidationFailed when it is not valid."""
    if not value:
        return None, None
    question_id, _, code = value.partition(":")
    candidates = {q.id: q for q in form.questions if before is None or q.position < before}
    question = candidates.get(int(question_id)) if question_id.isdigit() else None
    if question is None or question.kind not in CODED_KINDS or code not in valid_codes(question):
        raise ValidationFailed(_l("Choose a condition on an earlier question."), field="condition")
    return question, code


def add_question(
    actor, form: FeedbackForm, *, kind: str, options: list[str] | None = None, condition: str | None = None,
    **fields,
) -> FeedbackQuestion:  # fmt: skip
    """Append a question; choice questions need at least two options."""
    require(actor, "feedback_form.manage", form)
    if kind not in set(QuestionKind):
        raise ValidationFailed(_l("Choose a type of question."), field="kind")
    labels = _clean_labels(options or [])
    if kind in CHOICE_KINDS and len(labels) < 2:
        raise ValidationFailed(_l("Give at least two options, one per line."), field="options")
    condition_question, condition_value = parse_condition(form, condition)
    last = db.session.scalar(
        select(func.max(FeedbackQuestion.position)).where(FeedbackQuestion.form_id == form.id)
    )
    question = FeedbackQuestion(
        form=form,
        kind=kind,
        position=(last or 0) + 1,
        condition_question=condition_question,
        condition_value=condition_value,
        **{key: fields.get(key) for key in QUESTION_FIELDS},
    )
    question.required = bool(question.required)
    question.translations = clean_translations(fields.get("translations"), QUESTION_TEXTS)
    if kind in CHOICE_KINDS:
        taken: set[str] = set()
        for position, label in enumerate(labels, start=1):
            question.options.append(
                FeedbackOption(code=_new_code(label, taken), label=label, position=position)
            )
    db.session.add(question)
    db.session.flush()
    record_event(actor, "feedback.question.add", form, question=question.label)
    return question


def update_question(
    actor, question: FeedbackQuestion, *, option_labels: dict[str, dict[str, str]] | None = None,
    new_options: list[str] | None = None, condition: str | None = None, **fields,
) -> list[str]:  # fmt: skip
    """Save a question; options keep their codes whatever their labels become.

    `option_labels` maps an option's code to its labels by language ("en" is the label itself).
    """
    form = question.form
    require(actor, "feedback_form.manage", form)
    values = {key: fields.get(key) for key in QUESTION_FIELDS}
    if values["translations"] is None:
        del values["translations"]  # not given: left as it is
    else:
        values["translations"] = clean_translations(values["translations"], QUESTION_TEXTS)
    changed = apply_changes(question, values)
    question.required = bool(question.required)
    condition_question, condition_value = parse_condition(form, condition, before=question.position)
    if (condition_question, condition_value) != (question.condition_question, question.condition_value):
        question.condition_question, question.condition_value = condition_question, condition_value
        changed.append("condition")
    for option in question.options:
        labels = (option_labels or {}).get(option.code)
        if not labels:
            continue
        label = (labels.get("en") or "").strip()
        if not label:
            raise ValidationFailed(_l("Every option needs a label."), field="options")
        translations = {
            lang: text.strip() for lang, text in labels.items() if lang != "en" and text and text.strip()
        }
        if label != option.label or translations != (option.translations or {}):
            option.label, option.translations = label[:300], translations
            changed.append(f"option {option.code}")
    if question.kind in CHOICE_KINDS:
        taken = {option.code for option in question.options}
        existing = {option.label.lower() for option in question.options}
        position = len(question.options)
        for label in _clean_labels(new_options or []):
            if label.lower() in existing:
                continue
            position += 1
            question.options.append(
                FeedbackOption(code=_new_code(label, taken), label=label, position=position)
            )
            changed.append("options")
    if changed:
        record_event(actor, "feedback.question.update", form, question=question.label, fields=changed)
    return changed


def delete_question(actor, question: FeedbackQuestion) -> None:
    """Delete a question without answers; one with answers can only be hidden (ValidationFailed)."""
    form = question.form
    require(actor, "feedback_form.manage", form)
    if question_has_answers(question):
        raise ValidationFailed(_l("This question has answers: hide it instead, so that they are kept."))
    for other in form.questions:
        if other.condition_question_id == question.id:
            other.condition_question, other.condition_value = None, None
    form.questions.remove(question)
    for position, entry in enumerate(form.questions, start=1):
        entry.position = position
    record_event(actor, "feedback.question.delete", form, question=question.label)


def set_question_hidden(actor, question: FeedbackQuestion, hidden: bool) -> None:
    """Hide a question from respondents (its answers stay in results and exports), or show it again."""
    require(actor, "feedback_form.manage", question.form)
    question.hidden = hidden
    record_event(actor, "feedback.question.hide" if hidden else "feedback.question.show", question.form,
                 question=question.label)  # fmt: skip


def move_question(actor, question: FeedbackQuestion, step: int) -> None:
    """Move a question one place up (-1) or down (+1); a condition keeps pointing at an earlier question."""
    form = question.form
    require(actor, "feedback_form.manage", form)
    items = list(form.questions)
    index = items.index(question)
    target = index + step
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, entry in enumerate(items, start=1):
        entry.position = position
    for position, entry in enumerate(items):
        if entry.condition_question is not None and entry.condition_question not in items[:position]:
            raise ValidationFailed(_l("A question cannot move before the question its condition depends on."))


def to_json(form: FeedbackForm) -> dict:
    """The form's settings and questions as plain data (no responses), for copying between sites."""
    index = {question.id: number for number, question in enumerate(form.questions)}
    return {
        "version": JSON_VERSION,
        "title": form.title,
        "introduction": form.introduction,
        "privacy_notice": form.privacy_notice,
        "audience": form.audience if form.audience != Audience.ORGANIZATIONS else Audience.EVERYONE,
        "anonymous": form.anonymous,
        "one_per": form.one_per,
        "allow_edit": form.allow_edit,
        "translations": form.translations or {},
        "questions": [
            {
                "kind": question.kind,
                "label": question.label,
                "help_text": question.help_text,
                "required": question.required,
                "hidden": question.hidden,
                "low_label": question.low_label,
                "high_label": question.high_label,
                "translations": question.translations or {},
                "options": [
                    {"code": option.code, "label": option.label, "translations": option.translations or {}}
                    for option in question.options
                ],
                "condition": (
                    {"question": index[question.condition_question_id], "value": question.condition_value}
                    if question.condition_question_id in index
                    else None
                ),
            }
            for question in form.questions
        ],
    }


def _text(value, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or has_control_characters(value):
        raise ValueError("text expected")
    return value.strip()[:limit] or None


def from_json(actor, data, *, roundtable=None) -> FeedbackForm:
    """A new draft form built from `to_json`'s data; raises ValidationFailed on malformed data."""
    require(actor, "feedback.create")
    try:
        if not isinstance(data, dict) or data.get("version") != JSON_VERSION:
            raise ValueError("version")
        audience = data.get("audience") or Audience.EVERYONE
        if audience not in (Audience.EVERYONE, Audience.ATTENDEES) or (
            audience == Audience.ATTENDEES and roundtable is None
        ):
            audience = Audience.EVERYONE
        one_per = data.get("one_per") or OnePer.PERSON
        if one_per not in set(OnePer):
            raise ValueError("one_per")
        form = FeedbackForm(
            title=_text(data.get("title"), 200) or "?",
            introduction=_text(data.get("introduction"), 20000),
            privacy_notice=_text(data.get("privacy_notice"), 20000),
            audience=audience,
            anonymous=bool(data.get("anonymous")),
            one_per=one_per,
            allow_edit=bool(data.get("allow_edit")) and not data.get("anonymous"),
            translations=clean_translations(data.get("translations"), FORM_TEXTS),
            roundtable=roundtable,
            created_by_id=actor.id,
        )
        questions = []
        for number, item in enumerate(data.get("questions") or [], start=1):
            if item.get("kind") not in set(QuestionKind):
                raise ValueError("kind")
            question = FeedbackQuestion(
                position=number,
                kind=item["kind"],
                label=_text(item.get("label"), 500) or "?",
                help_text=_text(item.get("help_text"), 5000),
                required=bool(item.get("required")),
                hidden=bool(item.get("hidden")),
                low_label=_text(item.get("low_label"), 100),
                high_label=_text(item.get("high_label"), 100),
                translations=clean_translations(item.get("translations"), QUESTION_TEXTS),
            )
            taken: set[str] = set()
            for position, option in enumerate(item.get("options") or [], start=1):
                label = _text(option.get("label"), 300)
                code = _text(option.get("code"), 64) or _new_code(label or "", taken)
                if not label or code in taken:
                    raise ValueError("option")
                taken.add(code)
                translations = {
                    lang: _text(text, 300)
                    for lang, text in (option.get("translations") or {}).items()
                    if lang in ("fr", "ar") and _text(text, 300)
                }
                question.options.append(
                    FeedbackOption(code=code, label=label, position=position, translations=translations)
                )
            condition = item.get("condition")
            if condition:
                source = (
                    questions[int(condition["question"])]
                    if 0 <= int(condition["question"]) < len(questions)
                    else None
                )
                if source is None:
                    raise ValueError("condition")
                question.condition_question = source
                question.condition_value = _text(condition.get("value"), 64)
            questions.append(question)
        form.questions = questions
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as error:
        raise ValidationFailed(
            _l("This file is not a feedback form exported from Roundtable."), field="file"
        ) from error
    db.session.add(form)
    db.session.flush()
    for question in form.questions:
        if question.condition_question is not None and question.condition_value not in valid_codes(
            question.condition_question
        ):
            raise ValidationFailed(
                _l("This file is not a feedback form exported from Roundtable."), field="file"
            )
    record_event(actor, "feedback.import", form, title=form.title)
    return form


def copy_form(actor, form: FeedbackForm, roundtable=None) -> FeedbackForm:
    """A new draft with the same settings and questions (codes kept), for another roundtable or none."""
    require(actor, "feedback_form.manage", form)
    copy = from_json(actor, to_json(form), roundtable=roundtable)
    if form.audience == Audience.ORGANIZATIONS:
        copy.audience = Audience.ORGANIZATIONS
        copy.organizations = list(form.organizations)
    elif form.audience == Audience.ATTENDEES and roundtable is None:
        copy.audience = Audience.EVERYONE
    record_event(actor, "feedback.copy", copy, source=form.id)
    return copy


def copy_forms_to_next_roundtable(actor, roundtable: Roundtable, copy: Roundtable) -> None:
    """The next roundtable of a series (`copy`, prepared by the roundtables area) gets each of this
    one's feedback forms as a draft: same settings and questions, no dates, no responses; the
    organizer reviews and publishes it."""
    forms = db.session.scalars(
        select(FeedbackForm).where(FeedbackForm.roundtable_id == roundtable.id).order_by(FeedbackForm.id)
    ).all()
    for form in forms:
        copy_form(actor, form, roundtable=copy)


def forms_to_answer(viewer, roundtable: Roundtable, now: datetime) -> list[tuple[FeedbackForm, bool]]:
    """The roundtable's open forms whose audience includes `viewer`, each with whether the viewer
    (or, for a form answered once per organization, their organization) has answered it.

    The audience rule of `audience.forms_for`, with the viewer's organization's active flag read in
    the same query rather than by loading the organization: one query, none for an organizer.
    """
    if not (
        viewer.is_authenticated
        and viewer.active
        and viewer.role != Role.ORGANIZER
        and viewer.organization_id is not None
    ):
        return []
    active_organization = exists().where(
        Organization.id == viewer.organization_id, Organization.active.is_(True)
    )
    rows = db.session.execute(
        select(FeedbackForm, audience.answered_by(viewer.id, viewer.organization_id))
        .where(
            FeedbackForm.roundtable_id == roundtable.id,
            FeedbackForm.published_at.is_not(None),
            audience.reaches(viewer.id, viewer.organization_id),
            active_organization,
        )
        .order_by(FeedbackForm.id)
    ).all()
    return [(form, bool(answered)) for form, answered in rows if form.state(now) == "open"]
