"""Roundtables, their series and their agenda."""

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.dbtypes import UTCDateTime
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
    # Ids of the people an organizer has asked to help with the check-in on the day.
    check_in_helpers: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[Series | None] = relationship()
    created_by: Mapped[User | None] = relationship()
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
