"""Services, their revisions, the eligibility criteria they share, the links between them, and the
library documents a service points to."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.dbtypes import UTCDateTime
from coordination.extensions import db
from coordination.library.models import Document
from coordination.timeutil import utcnow

# The texts of a service, each a map {"en": ..., "fr": ..., "ar": ...}, in the order the page shows them.
SERVICE_TEXTS = {
    "name": _l("Name"),
    "summary": _l("Summary"),
    "unit": _l("Unit that provides it"),
    "access_steps": _l("How to access it"),
    "access_where": _l("Where"),
    "hours": _l("Hours"),
    "contact": _l("Contact point"),
    "documents_needed": _l("Documents needed"),
    "languages_served": _l("Languages served"),
    # What was typed before services linked library documents, and references outside the library.
    "other_references": _l("Other references"),
}
CRITERION_TEXTS = {"question": _l("Question"), "help": _l("Explanation")}


class Outcome(StrEnum):
    """What one answer to a criterion means for a service."""

    QUALIFIES = "qualifies"
    DISQUALIFIES = "disqualifies"
    ASK = "ask"


OUTCOME_LABELS = {
    Outcome.QUALIFIES: _l("Qualifies"),
    Outcome.DISQUALIFIES: _l("Does not qualify"),
    Outcome.ASK: _l("Ask IOM"),
}

ANSWERS = ("yes", "no", "unknown")
ANSWER_LABELS = {"yes": _l("Yes"), "no": _l("No"), "unknown": _l("Don't know")}
_OUTCOMES_SQL = "('qualifies', 'disqualifies', 'ask')"


# A service's related library documents. Who may see each one is decided when it is shown
# (coordination.library.queries.visible_to); a purged document takes its links with it.
service_documents = Table(
    "service_documents",
    db.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Service(db.Model):
    __tablename__ = "services"
    __table_args__ = (CheckConstraint("position >= 0", name="position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable name for the demo data and for links that survive renaming.
    key: Mapped[str] = mapped_column(String(60), unique=True)
    service_area: Mapped[str] = mapped_column(String(40), index=True)
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    revision_count: Mapped[int] = mapped_column(default=0)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A withdrawn service leaves the catalogue and the guide; organizers still see it and its history.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    reviewed_by: Mapped[User | None] = relationship()
    links: Mapped[list["ServiceCriterion"]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ServiceCriterion.position",
    )
    revisions: Mapped[list["ServiceRevision"]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ServiceRevision.number.desc()",
    )
    # Every linked document, confidential ones included: for organizers and revisions only; readers
    # get rules.documents_for_service.
    documents: Mapped[list[Document]] = relationship(
        secondary=service_documents, order_by=Document.title, passive_deletes=True
    )

    @property
    def name(self) -> str:
        """The English name (audit labels, logs); pages use the reader's language."""
        names = (self.texts or {}).get("name") or {}
        return names.get("en") or next(iter(names.values()), "")


class ServiceRevision(db.Model):
    """A full snapshot of a service's texts and criteria, as saved by someone at some time."""

    __tablename__ = "service_revisions"
    __table_args__ = (UniqueConstraint("service_id", "number", name="uq_service_revisions_service_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    number: Mapped[int]
    snapshot: Mapped[dict] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service: Mapped[Service] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class Criterion(db.Model):
    """An eligibility question, asked once by the guide however many services ask it."""

    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    # The guide asks the questions in this order.
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    links: Mapped[list["ServiceCriterion"]] = relationship(back_populates="criterion", passive_deletes=True)


class ServiceCriterion(db.Model):
    """A service asking a criterion, and what each answer means for it."""

    __tablename__ = "service_criteria"
    __table_args__ = (
        CheckConstraint(f"on_yes IN {_OUTCOMES_SQL}", name="on_yes"),
        CheckConstraint(f"on_no IN {_OUTCOMES_SQL}", name="on_no"),
        CheckConstraint(f"on_unknown IN {_OUTCOMES_SQL}", name="on_unknown"),
    )

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criteria.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    on_yes: Mapped[str] = mapped_column(String(12))
    on_no: Mapped[str] = mapped_column(String(12))
    on_unknown: Mapped[str] = mapped_column(String(12), default=Outcome.ASK)
    position: Mapped[int] = mapped_column(default=0)

    service: Mapped[Service] = relationship(back_populates="links")
    criterion: Mapped[Criterion] = relationship(back_populates="links")

    def outcome(self, answer: str) -> str:
        """What `answer` ("yes", "no", anything else: don't know) means for the service."""
        if answer == "yes":
            return self.on_yes
        if answer == "no":
            return self.on_no
        return self.on_unknown
