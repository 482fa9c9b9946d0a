"""Announcements: news from the organizers, in one or more of the working languages."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.dbtypes import UTCDateTime
from coordination.extensions import db
from coordination.library.models import Document
from coordination.roundtables.models import Roundtable
from coordination.timeutil import utcnow


class Announcement(db.Model):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    # {"title": {"en": ..., "fr": ..., "ar": ...}, "body": {...}}: at least one language.
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    roundtable_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtables.id", ondelete="SET NULL"), index=True
    )
    # A library document every member may see when it is linked (announcements.rules checks it).
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When it was queued to every member; None: not mailed.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roundtable: Mapped[Roundtable | None] = relationship()
    document: Mapped[Document | None] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def name(self) -> str:
        """The title in the first language it has (audit labels)."""
        titles = (self.texts or {}).get("title") or {}
        return titles.get("en") or next(iter(titles.values()), "")
