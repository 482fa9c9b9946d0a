"""What the home page gathers for one person: each part is one query, whatever the size of the
data, and shows only what that person may see."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import contains_eager

from coordination.auth.models import Role
from coordination.extensions import db
from coordination.feedback.audience import answered_by, reaches
from coordination.feedback.models import FeedbackForm
from coordination.library.models import Document
from coordination.library.queries import visible_to
from coordination.roundtables.models import ActionItem, Invitation, Registration, Roundtable
from coordination.suggestions.models import Suggestion

LIMIT = 5
COMMITMENTS_DUE_WITHIN = timedelta(days=14)
WITHOUT_PREVIOUS_VISIT = timedelta(days=14)  # "new" for someone signing in for the first time


@dataclass
class Upcoming:
    roundtable: Roundtable
    registration_status: str | None  # the viewer's own: attending, waitlisted or None


def upcoming_roundtables(user, now: datetime) -> list[Upcoming]:
    """Published roundtables still to come that the viewer's organization is invited to or the
    viewer is registered for, soonest first."""
    mine = (
        select(Registration.roundtable_id, Registration.status)
        .where(Registration.user_id == user.id, Registration.status.in_(("attending", "waitlisted")))
        .subquery()
    )
    invited = exists().where(
        Invitation.roundtable_id == Roundtable.id, Invitation.organization_id == user.organization_id
    )
    rows = db.session.execute(
        select(Roundtable, mine.c.status)
        .outerjoin(mine, mine.c.roundtable_id == Roundtable.id)
        .where(
            Roundtable.status == "published",
            Roundtable.ends_at > now,
            or_(mine.c.status.is_not(None), invited if user.organization_id else False),
        )
        .order_by(Roundtable.starts_at)
        .limit(LIMIT)
    )
    return [Upcoming(roundtable, status) for roundtable, status in rows]


def forms_awaiting(user, now: datetime) -> list[FeedbackForm]:
    """Open feedback forms the viewer is in the audience of and has not answered (nor, for a form
    answered once per organization, anyone of their organization)."""
    if user.role == Role.ORGANIZER or user.organization is None or not user.organization.active:
        return []
    return list(
        db.session.scalars(
            select(FeedbackForm)
            .where(
                FeedbackForm.published_at.is_not(None),
                or_(FeedbackForm.opens_at.is_(None), FeedbackForm.opens_at <= now),
                or_(FeedbackForm.closes_at.is_(None), FeedbackForm.closes_at > now),
                reaches(user.id, user.organization_id),
                ~answered_by(user.id, user.organization_id),
            )
            .order_by(FeedbackForm.closes_at.is_(None), FeedbackForm.closes_at, FeedbackForm.id)
            .limit(LIMIT)
        )
    )


def commitments_due(user, today) -> list[ActionItem]:
    """Open or in-progress action items of the viewer or their organization, overdue or due soon."""
    owners = [ActionItem.owner_id == user.id]
    if user.organization_id is not None:
        owners.append(ActionItem.owner_organization_id == user.organization_id)
    return list(
        db.session.scalars(
            select(ActionItem)
            .join(Roundtable, ActionItem.roundtable_id == Roundtable.id)
            .options(contains_eager(ActionItem.roundtable))
            .where(
                or_(*owners),
                ActionItem.status.in_(("open", "in_progress")),
                ActionItem.due_on.is_not(None),
                ActionItem.due_on <= today + COMMITMENTS_DUE_WITHIN,
            )
            .order_by(ActionItem.due_on, ActionItem.id)
            .limit(LIMIT)
        )
    )


def new_documents(user, now: datetime) -> list[Document]:
    """Documents the viewer may see, added since their previous sign-in."""
    since = user.previous_login_at or now - WITHOUT_PREVIOUS_VISIT
    return list(
        db.session.scalars(
            select(Document)
            .where(visible_to(user), Document.created_at > since)
            .order_by(Document.created_at.desc())
            .limit(LIMIT)
        )
    )


def answered_suggestions(user) -> list[Suggestion]:
    """The viewer's organization's suggestions that IOM has answered, latest answer first."""
    if user.organization_id is None:
        return []
    return list(
        db.session.scalars(
            select(Suggestion)
            .where(Suggestion.organization_id == user.organization_id, Suggestion.replied_at.is_not(None))
            .order_by(Suggestion.replied_at.desc())
            .limit(LIMIT)
        )
    )
