"""Organizations taking part: embassies, UN agencies, NGOs, community organizations, IOM."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.dbtypes import UTCDateTime
from coordination.extensions import db
from coordination.timeutil import utcnow


class OrganizationKind(StrEnum):
    EMBASSY = "embassy"
    UN_AGENCY = "un_agency"
    NGO = "ngo"
    COMMUNITY = "community"
    GOVERNMENT = "government"
    IOM = "iom"


class Organization(db.Model):
    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('embassy', 'un_agency', 'ngo', 'community', 'government', 'iom')",
            name="kind",
        ),
        CheckConstraint("country IS NULL OR length(country) = 2", name="country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    people: Mapped[list["User"]] = relationship(  # noqa: F821 - defined in coordination.auth.models
        back_populates="organization", order_by="User.name"
    )

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"
