"""An organization's own record: what it took part in and what it contributed."""

from dataclasses import dataclass

from sqlalchemy import exists, func, select

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.audience import reaches
from coordination.feedback.models import FeedbackForm, FeedbackRespondent
from coordination.library.models import Document
from coordination.library.queries import visible_to
from coordination.reports.engagement import HOLDING, SHOWN
from coordination.roundtables.models import ActionItem, Invitation, Registration, Roundtable
from coordination.suggestions.models import Suggestion
from coordination.timeutil import utcnow


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


def open_commitments(organization: Organization) -> list[ActionItem]:
    """The organization's action items still open or in progress, soonest due first."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(
                ActionItem.owner_organization_id == organization.id,
                ActionItem.status.in_(("open", "in_progress")),
            )
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        )
    )


def documents_shared(viewer, organization: Organization, limit: int = 20) -> list[Document]:
    """The organization's latest documents that `viewer` may see."""
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.organization_id == organization.id, visible_to(viewer))
            .order_by(Document.created_at.desc())
            .limit(limit)
        )
    )


def pending_forms(organization: Organization) -> list[FeedbackForm]:
    """Open feedback forms meant for some of the organization's people that none of them has
    answered, in one query (the audience as in coordination.feedback.audience)."""
    if not organization.active:
        return []
    now = utcnow()
    answered = select(FeedbackRespondent.form_id).where(FeedbackRespondent.organization_id == organization.id)
    someone_in_audience = exists().where(
        User.organization_id == organization.id,
        User.active.is_(True),
        User.role != Role.ORGANIZER,
        reaches(User.id, User.organization_id),
    )
    return list(
        db.session.scalars(
            select(FeedbackForm)
            .where(
                FeedbackForm.published_at.is_not(None),
                (FeedbackForm.opens_at.is_(None)) | (FeedbackForm.opens_at <= now),
                (FeedbackForm.closes_at.is_(None)) | (FeedbackForm.closes_at > now),
                FeedbackForm.id.not_in(answered),
                someone_in_audience,
            )
            .order_by(FeedbackForm.closes_at.is_(None), FeedbackForm.closes_at)
        )
    )
