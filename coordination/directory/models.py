"""Organizations taking part: embassies, UN agencies, NGOs, community organizations, IOM."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from coordination.dbtypes import StrEnumType, UTCDateTime
from coordination.extensions import db
from coordination.i18n import lazy_gettext as _l
from coordination.timeutil import utcnow


class OrganizationKind(StrEnum):
    EMBASSY = "embassy"
    UN_AGENCY = "un_agency"
    NGO = "ngo"
    COMMUNITY = "community"
    GOVERNMENT = "government"
    IOM = "iom"

    @property
    def label(self):
        """The kind's name in the viewer's language (lazy: translated when shown)."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    OrganizationKind.EMBASSY: _l("Embassy"),
    OrganizationKind.UN_AGENCY: _l("UN agency"),
    OrganizationKind.NGO: _l("NGO"),
    OrganizationKind.COMMUNITY: _l("Community organization"),
    OrganizationKind.GOVERNMENT: _l("Government"),
    OrganizationKind.IOM: _l("IOM"),
}


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
    kind: Mapped[OrganizationKind] = mapped_column(StrEnumType(OrganizationKind, 20), index=True)
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

    @validates("kind")
    def _as_kind(self, _key: str, value: str | None) -> OrganizationKind | str | None:
        # The enum, as rows read back give it; an unknown code is left to the check constraint.
        return OrganizationKind(value) if value in OrganizationKind._value2member_map_ else value

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"
