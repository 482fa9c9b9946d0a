"""Feedback forms, their questions and options, who has responded, and the responses.

Anonymity is a property of the schema: `feedback_responses` and `feedback_answers` hold no user,
no organization and no address; who has responded is kept apart in `feedback_respondents`. Only for
a named form does the respondent row point at its response, and only a named response keeps its day.
Nothing in an anonymous response follows the order or time of its author's respondent row:
responses and answers have random keys, and on SQLite they are WITHOUT ROWID tables, so that even
their physical order is the order of those random keys. An anonymous response is not written there
when it is submitted but sealed in `feedback_pending_responses`, and moved into the results in a
shuffled group of at least MIN_GROUP (see coordination/feedback/anonymity.py).
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.dbtypes import UTCDateTime
from coordination.extensions import db
from coordination.timeutil import utcnow


class Audience(StrEnum):
    EVERYONE = "everyone"
    ATTENDEES = "attendees"
    ORGANIZATIONS = "organizations"


class OnePer(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class QuestionKind(StrEnum):
    RATING = "rating"
    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    YES_NO = "yes_no"
    SERVICE_AREA = "service_area"


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
# Kinds whose answer is one code, which a condition can test.
CODED_KINDS = (QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.SERVICE_AREA, QuestionKind.RATING)


feedback_form_organizations = db.Table(
    "feedback_form_organizations",
    db.Column("form_id", ForeignKey("feedback_forms.id", ondelete="CASCADE"), primary_key=True),
    db.Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
)


class FeedbackForm(db.Model):
    __tablename__ = "feedback_forms"
    __table_args__ = (
        CheckConstraint("audience IN ('everyone', 'attendees', 'organizations')", name="audience"),
        CheckConstraint("one_per IN ('person', 'organization')", name="one_per"),
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="closes_after"),
        # Editing a response needs the link from person to response, which an anonymous form has not.
        CheckConstraint("NOT (anonymous AND allow_edit)", name="anonymous_not_editable"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtables.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str | None] = mapped_column(Text)
    privacy_notice: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    audience: Mapped[str] = mapped_column(String(16), default=Audience.EVERYONE)
    anonymous: Mapped[bool] = mapped_column(default=False)
    one_per: Mapped[str] = mapped_column(String(12), default=OnePer.PERSON)
    allow_edit: Mapped[bool] = mapped_column(default=False)
    # The title, introduction and notice in other languages: {"fr": {"title": ...}, "ar": {...}}.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    roundtable = relationship("Roundtable")
    organizations = relationship(
        "Organization", secondary=feedback_form_organizations, order_by="Organization.name"
    )
    questions: Mapped[list["FeedbackQuestion"]] = relationship(
        back_populates="form", order_by="FeedbackQuestion.position", cascade="all, delete-orphan"
    )

    def text_in(self, name: str, language: str) -> str | None:
        """The field `name` in `language` when it has been translated, else as typed."""
        return (self.translations or {}).get(language, {}).get(name) or getattr(self, name)

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def state(self, now: datetime) -> str:
        """draft, scheduled (not yet open), open or closed."""
        if self.published_at is None:
            return "draft"
        if self.opens_at is not None and now < self.opens_at:
            return "scheduled"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"


class FeedbackQuestion(db.Model):
    __tablename__ = "feedback_questions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('rating', 'single', 'multiple', 'short_text', 'long_text', 'yes_no', 'service_area')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str | None] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=False)
    # A question with answers is hidden, never deleted: its answers stay in results and exports.
    hidden: Mapped[bool] = mapped_column(default=False)
    low_label: Mapped[str | None] = mapped_column(String(100))
    high_label: Mapped[str | None] = mapped_column(String(100))
    # Shown only when the question `condition_question_id` was answered `condition_value` (a code).
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_questions.id", ondelete="SET NULL")
    )
    condition_value: Mapped[str | None] = mapped_column(String(64))
    # The label, help text and ends of a rating in other languages: {"fr": {"label": ...}, ...}.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)

    form: Mapped[FeedbackForm] = relationship(back_populates="questions")
    options: Mapped[list["FeedbackOption"]] = relationship(
        back_populates="question", order_by="FeedbackOption.position", cascade="all, delete-orphan"
    )
    condition_question: Mapped["FeedbackQuestion | None"] = relationship(remote_side=[id])

    def text_in(self, name: str, language: str) -> str | None:
        """The field `name` in `language` when it has been translated, else as typed."""
        return (self.translations or {}).get(language, {}).get(name) or getattr(self, name)


class FeedbackOption(db.Model):
    """A choice of a single- or multiple-choice question; answers and exports keep its code."""

    __tablename__ = "feedback_options"
    __table_args__ = (UniqueConstraint("question_id", "code", name="uq_feedback_options_question_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(300))
    # Translations of the label by language code ({"fr": "...", "ar": "..."}).
    translations: Mapped[dict] = mapped_column(JSON, default=dict)

    question: Mapped[FeedbackQuestion] = relationship(back_populates="options")

    def label_in(self, language: str) -> str:
        return (self.translations or {}).get(language) or self.label


class FeedbackRespondent(db.Model):
    """Who has responded to a form: one row per person, and per organization when the form says so.

    Written in the same transaction as the response (for an anonymous form, as its sealed copy in
    `feedback_pending_responses`); the unique constraints refuse a second one. `response_id` is set
    for named forms only.
    """

    __tablename__ = "feedback_respondents"
    __table_args__ = (
        UniqueConstraint("form_id", "user_id", name="uq_feedback_respondents_form_user"),
        UniqueConstraint("form_id", "organization_key", name="uq_feedback_respondents_form_organization"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    # The organization again, only when the form takes one response per organization: NULLs never
    # collide, so the second unique constraint holds for those forms alone.
    organization_key: Mapped[int | None] = mapped_column()
    response_id: Mapped[str | None] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="SET NULL"), unique=True
    )
    # The day only, as for the anonymous response itself.
    responded_on: Mapped[date] = mapped_column(Date)

    user = relationship("User")
    organization = relationship("Organization")
    response: Mapped["FeedbackResponse | None"] = relationship()


def new_response_id() -> str:
    return uuid.uuid4().hex


def new_random_key() -> str:
    return uuid.uuid4().hex


class FeedbackResponse(db.Model):
    """One submitted response: nothing here identifies its author (see the module's docstring)."""

    __tablename__ = "feedback_responses"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"), index=True)
    # The kind of organization (embassy, NGO ...), for the filter. On an anonymous form it is kept
    # only when at least MIN_GROUP of the group released with it share it (anonymity.release_pending).
    organization_kind: Mapped[str | None] = mapped_column(String(20))
    # Named forms only: the day of an anonymous response would pair it with its respondent row.
    submitted_on: Mapped[date | None] = mapped_column(Date)

    answers: Mapped[list["FeedbackAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class FeedbackAnswer(db.Model):
    """One answer to a question; a multiple choice gives one row per option chosen."""

    __tablename__ = "feedback_answers"
    # Covers the results' counts per question and code without reading the table.
    __table_args__ = (
        Index("ix_feedback_answers_question_code", "question_id", "code", "response_id"),
        {"sqlite_with_rowid": False},
    )

    # Random, as the response's: sequential ids would be a timeline of the answers.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_random_key)
    response_id: Mapped[str] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("feedback_questions.id", ondelete="CASCADE"))
    # An option's code, "yes"/"no", a service area's code, or a rating as text ("1" … "5").
    code: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[int | None] = mapped_column()
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[FeedbackResponse] = relationship(back_populates="answers")


class FeedbackPendingResponse(db.Model):
    """An anonymous response waiting to be released with others: its answers and kind of
    organization sealed (encrypted with a key derived from the application's secret, padded to a
    fixed size), so that neither a database reader nor a backup learns what it says before it is
    mixed with at least MIN_GROUP - 1 others."""

    __tablename__ = "feedback_pending_responses"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_random_key)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[str] = mapped_column(Text)


class FeedbackDraft(db.Model):
    """A named form's answers saved for later; anonymous drafts live in the person's session only."""

    __tablename__ = "feedback_drafts"
    __table_args__ = (UniqueConstraint("form_id", "user_id", name="uq_feedback_drafts_form_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FeedbackResponseTally(db.Model):
    """How many responses of a form are in its results, per kind of organization ("" for none).

    Kept by the rules that write responses, in the same transaction (coordination/feedback/tallies.py),
    so that the results page reads a handful of rows whatever the number of responses. Updated only
    when responses enter the results, as they are: an anonymous form's in released groups.
    """

    __tablename__ = "feedback_response_tallies"
    __table_args__ = {"sqlite_with_rowid": False}

    form_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_forms.id", ondelete="CASCADE"), primary_key=True
    )
    organization_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    responses: Mapped[int] = mapped_column(default=0)


class FeedbackAnswerTally(db.Model):
    """How many responses of a kind of organization gave a question an answer code ("" : answered
    the question at all, with whatever answer), kept as FeedbackResponseTally is."""

    __tablename__ = "feedback_answer_tallies"
    __table_args__ = {"sqlite_with_rowid": False}

    form_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_forms.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_questions.id", ondelete="CASCADE"), primary_key=True
    )
    organization_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    responses: Mapped[int] = mapped_column(default=0)
