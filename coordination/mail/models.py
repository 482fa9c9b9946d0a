"""The outbox: every mail is a row first, sent by a worker after its transaction commits."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.dbtypes import UTCDateTime
from coordination.extensions import db
from coordination.timeutil import utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    SENT = "sent"
    LOGGED = "logged"  # no MAIL_SERVER: written to the log instead
    FAILED = "failed"  # gave up after OUTBOX_MAX_ATTEMPTS


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'logged', 'failed')", name="status"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A sender claims a row until this time, so that two workers never send it twice.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Small text files sent with the message (an .ics): [{"filename", "content_type", "data"}].
    attachments: Mapped[list] = mapped_column(JSON, default=list)
