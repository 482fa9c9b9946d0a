"""Suggestions for areas of intervention, the organizations that support them, and comments."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.dbtypes import UTCDateTime
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.timeutil import utcnow


class SuggestionStatus(StrEnum):
    """Where triage has taken a suggestion; the values are what the `status` column stores."""

    NEW = "new"
    UNDER_REVIEW = "under_review"
    PLANNED = "planned"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        """The status as members read it, translated when shown (a lazy string)."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    SuggestionStatus.NEW: _l("New"),
    SuggestionStatus.UNDER_REVIEW: _l("Under review"),
    SuggestionStatus.PLANNED: _l("Planned"),
    SuggestionStatus.DECLINED: _l("Declined"),
}


class Suggestion(db.Model):
    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'under_review', 'planned', 'declined')", name="status"),
        CheckConstraint("sdg IS NULL OR (sdg >= 1 AND sdg <= 17)", name="sdg_range"),
        # The list's table and chart count every suggestion by service area and status.
        Index("ix_suggestions_service_area_status", "service_area", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    service_area: Mapped[str] = mapped_column(String(40), index=True)
    sdg: Mapped[int | None] = mapped_column(index=True)
    # The proposer's organization when they proposed it; it keeps the suggestion if they move.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=SuggestionStatus.NEW, index=True)
    # The organizers' public answer ("you said, we did"), mailed to the proposer's organization.
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    replied_by: Mapped[User | None] = relationship(foreign_keys=[replied_by_id])
    supports: Mapped[list["SuggestionSupport"]] = relationship(
        back_populates="suggestion", cascade="all, delete-orphan", passive_deletes=True
    )
    comments: Mapped[list["SuggestionComment"]] = relationship(
        back_populates="suggestion",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SuggestionComment.created_at",
    )


class SuggestionSupport(db.Model):
    """An organization backing a suggestion: at most one row per organization and suggestion."""

    __tablename__ = "suggestion_supports"
    __table_args__ = (
        UniqueConstraint(
            "suggestion_id", "organization_id", name="uq_suggestion_supports_suggestion_organization"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    suggestion: Mapped[Suggestion] = relationship(back_populates="supports")
    organization: Mapped[Organization] = relationship()
    user: Mapped[User | None] = relationship()


class SuggestionComment(db.Model):
    """A member's comment; organizers hide (never delete) one with a reason everybody sees."""

    __tablename__ = "suggestion_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))

    suggestion: Mapped[Suggestion] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None
