"""An organization's own record: what it took part in and what it contributed."""

from dataclasses import dataclass

from sqlalchemy import func, select

from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.reports.engagement import HOLDING, SHOWN
from coordination.roundtables.models import Invitation, Registration, Roundtable
from coordination.suggestions.models import Suggestion


@dataclass
class Participation:
    roundtable: Roundtable
    invitation_status: str | None
    registered: int
    attended: int


def participation(organization: Organization) -> list[Participation]:
    """The roundtables (past their draft) the organization was invited to or registered for, newest first."""
    people = (
        select(
            Registration.roundtable_id,
            func.count(Registration.id).filter(HOLDING).label("registered"),
            func.count(Registration.checked_in_at).label("attended"),
        )
        .where(Registration.organization_id == organization.id)
        .group_by(Registration.roundtable_id)
        .subquery()
    )
    invitation = (
        select(Invitation.roundtable_id, Invitation.status)
        .where(Invitation.organization_id == organization.id)
        .subquery()
    )
    rows = db.session.execute(
        select(Roundtable, invitation.c.status, people.c.registered, people.c.attended)
        .outerjoin(invitation, invitation.c.roundtable_id == Roundtable.id)
        .outerjoin(people, people.c.roundtable_id == Roundtable.id)
        .where(SHOWN, (invitation.c.status.is_not(None)) | (people.c.registered.is_not(None)))
        .order_by(Roundtable.starts_at.desc())
    )
    return [
        Participation(r, status, registered or 0, attended or 0) for r, status, registered, attended in rows
    ]


def suggestions(organization: Organization) -> list[Suggestion]:
    return list(
        db.session.scalars(
            select(Suggestion)
            .where(Suggestion.organization_id == organization.id)
            .order_by(Suggestion.created_at.desc())
        )
    )
