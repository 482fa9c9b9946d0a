"""People who use the platform: their account, role and organization."""

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from coordination.dbtypes import StrEnumType, UTCDateTime
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.i18n import lazy_gettext as _l
from coordination.timeutil import utcnow


class Role(StrEnum):
    ORGANIZER = "organizer"
    FOCAL_POINT = "focal_point"
    MEMBER = "member"

    @property
    def label(self):
        """The role's name in the viewer's language (lazy: translated when shown)."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ORGANIZER: _l("Organizer"),
    Role.FOCAL_POINT: _l("Focal point"),
    Role.MEMBER: _l("Member"),
}


def new_login_stamp() -> str:
    return secrets.token_hex(8)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('organizer', 'focal_point', 'member')", name="role"),
        CheckConstraint("preferred_language IN ('en', 'fr', 'ar')", name="preferred_language"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        # A feedback form's audience (coordination/feedback/audience.py) is counted from this index
        # alone, without reading every person's row.
        Index("ix_users_audience", "organization_id", "active", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so that the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 20), default=Role.MEMBER)
    preferred_language: Mapped[str] = mapped_column(String(5), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    # Receives the roundtable invitations of their organization, as its focal points do.
    invitation_contact: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Part of the session id: changing it (new password) signs every other session out.
    login_stamp: Mapped[str] = mapped_column(String(32), default=new_login_stamp)
    # Also part of the session id, and raised at sign-out: ends every session and remember cookie
    # without spending reset links or feed keys, which hang on login_stamp alone.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The sign-in before the last: the home page shows what is new since then.
    previous_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The secret of the user's private calendar feed; None until they ask for one, replaced to revoke.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization | None] = relationship(back_populates="people")
    invited_by: Mapped["User | None"] = relationship(remote_side=[id])

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def is_organizer(self) -> bool:
        return self.role == Role.ORGANIZER

    @property
    def is_focal_point(self) -> bool:
        return self.role == Role.FOCAL_POINT

    @validates("role")
    def _as_role(self, _key: str, value: str | None) -> Role | str | None:
        # The enum, as rows read back give it; an unknown code is left to the check constraint.
        return Role(value) if value in Role._value2member_map_ else value

    def get_id(self) -> str:
        return f"{self.id}:{self.login_stamp}:{self.session_generation}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"
