"""Roundtables, their series and their agenda."""

import secrets
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from coordination.auth.models import User
from coordination.dbtypes import StrEnumType, UTCDateTime
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.timeutil import utcnow


class RoundtableStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


def new_uid() -> str:
    return f"{secrets.token_hex(12)}@roundtable"


class Series(db.Model):
    """Roundtables that repeat one another ("replicate the experience")."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The people an organizer has asked to help with the check-in on the day.
check_in_helpers = db.Table(
    "check_in_helpers",
    db.Column("roundtable_id", ForeignKey("roundtables.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Roundtable(db.Model):
    __tablename__ = "roundtables"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'completed', 'cancelled')", name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "seats_per_organization IS NULL OR seats_per_organization > 0", name="seats_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # Stored in UTC; shown and typed in `timezone`, whose rules (daylight saving) come from tzdata.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="Africa/Cairo")
    venue: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    languages: Mapped[list] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None] = mapped_column()
    seats_per_organization: Mapped[int | None] = mapped_column()
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sdgs: Mapped[list] = mapped_column(JSON, default=list)
    service_areas: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default=RoundtableStatus.DRAFT, index=True)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    # For calendars: the UID never changes, the sequence grows with every change that matters.
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    # Every registration change first updates this row, so that concurrent registrations for one
    # roundtable queue on its lock (a row lock on PostgreSQL, the write lock on SQLite).
    registrations_version: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[Series | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    helpers: Mapped[list[User]] = relationship(secondary=check_in_helpers, order_by=User.name)
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="roundtable", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (CheckConstraint("duration_minutes > 0", name="duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(default=30)
    title: Mapped[str] = mapped_column(String(300))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    presenter_name: Mapped[str | None] = mapped_column(String(200))
    service_area: Mapped[str | None] = mapped_column(String(40))

    roundtable: Mapped[Roundtable] = relationship(back_populates="agenda")
    presenter: Mapped[User | None] = relationship()

    @property
    def presenter_label(self) -> str:
        if self.presenter is not None:
            return self.presenter.name
        return self.presenter_name or ""


class InvitationStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Invitation(db.Model):
    """An organization invited to a roundtable; its focal points answer for it."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("roundtable_id", "organization_id", name="uq_invitations_roundtable_organization"),
        CheckConstraint("status IN ('invited', 'accepted', 'declined')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # The secret part of the link in the invitation mail; opening it marks the invitation opened.
    token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24))
    status: Mapped[str] = mapped_column(String(10), default=InvitationStatus.INVITED)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roundtable: Mapped[Roundtable] = relationship()
    organization: Mapped[Organization] = relationship()


class RegistrationStatus(StrEnum):
    ATTENDING = "attending"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"


class Registration(db.Model):
    """A person coming to a roundtable, or waiting for a seat, in arrival order."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("roundtable_id", "user_id", name="uq_registrations_roundtable_user"),
        CheckConstraint("status IN ('attending', 'waitlisted', 'withdrawn')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Kept on the row: the quota counts seats per organization at the time of registering.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roundtable: Mapped[Roundtable] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organization: Mapped[Organization | None] = relationship()


class SentReminder(db.Model):
    """A reminder mailed for a registration, so that running the reminders again sends nothing twice."""

    __tablename__ = "sent_reminders"
    __table_args__ = (
        UniqueConstraint("registration_id", "kind", name="uq_sent_reminders_registration_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "days-7", "days-1"
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Minutes and action items (the follow-up of a roundtable). The relationships back to Roundtable
# and AgendaItem are declared here as backrefs, so that this area's tables stay out of their classes.


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    ADOPTED = "adopted"
    PUBLISHED = "published"


class Minutes(db.Model):
    """The minutes of one roundtable: the current text and where it is in the clearance flow."""

    __tablename__ = "minutes"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'circulated', 'adopted', 'published')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=MinutesStatus.DRAFT)
    # Chatham House: the published minutes say so, and no attendance by organization is shown
    # next to them (see README, "Minutes and action items").
    chatham_house: Mapped[bool] = mapped_column(default=False)
    comment_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    circulated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    roundtable: Mapped[Roundtable] = relationship(
        backref=backref("minutes", uselist=False, passive_deletes=True)
    )


class MinutesRevision(db.Model):
    """One save of the minutes, kept whole: who saved what, when."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("minutes_id", "number", name="uq_minutes_revisions_minutes_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    chatham_house: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class MinutesComment(db.Model):
    """A participant's comment on circulated minutes; organizers alone read them."""

    __tablename__ = "minutes_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The revision the participant read, so organizers know what the comment is about.
    revision_number: Mapped[int | None] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class ActionItemStatus(StrEnum):
    """Where an action item stands: the value is what the `status` column holds, the label what a
    reader sees (in their language)."""

    OPEN = "open", _l("Open")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")
    DROPPED = "dropped", _l("Dropped")

    _label: LazyString

    def __new__(cls, value: str, label: LazyString):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> LazyString:
        return self._label


class ActionItem(db.Model):
    """An area of cooperation agreed at a roundtable: who does what by when."""

    __tablename__ = "action_items"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'in_progress', 'done', 'dropped')", name="status"),
        CheckConstraint("sdg IS NULL OR (sdg >= 1 AND sdg <= 17)", name="sdg_range"),
        CheckConstraint("owner_organization_id IS NOT NULL OR owner_id IS NOT NULL", name="has_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[ActionItemStatus] = mapped_column(
        StrEnumType(ActionItemStatus, 12), default=ActionItemStatus.OPEN, index=True
    )
    sdg: Mapped[int | None] = mapped_column()
    service_area: Mapped[str | None] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    roundtable: Mapped[Roundtable] = relationship()
    owner_organization: Mapped[Organization | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    notes: Mapped[list["ActionItemNote"]] = relationship(
        back_populates="action_item",
        order_by="ActionItemNote.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ActionItemNote(db.Model):
    """A progress note on an action item, by an owner or an organizer."""

    __tablename__ = "action_item_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    # The status the note set, when it changed it.
    status: Mapped[ActionItemStatus | None] = mapped_column(StrEnumType(ActionItemStatus, 12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action_item: Mapped[ActionItem] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class ActionItemReminder(db.Model):
    """A due-soon or overdue reminder mailed for an action item, so that none goes out twice."""

    __tablename__ = "action_item_reminders"
    __table_args__ = (UniqueConstraint("action_item_id", "kind", name="uq_action_item_reminders_item_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"))
    # "due-soon:2030-07-15" or "overdue:2030-07-15": a new due date earns new reminders.
    kind: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MatterArising(db.Model):
    """An open action item listed under the "Matters arising" item of a later roundtable's agenda."""

    __tablename__ = "matters_arising"

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True
    )
    action_item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)

    action_item: Mapped[ActionItem] = relationship()
