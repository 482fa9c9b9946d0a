"""What the home page gathers for one person: each part is one query, whatever the size of the
data, and shows only what that person may see."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, exists, or_, select
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


@cache
def _upcoming_statement():
    # Built once with parameters: building this statement cost more than running it.
    mine = (
        select(Registration.roundtable_id, Registration.status)
        .where(
            Registration.user_id == bindparam("user_id"),
            Registration.status.in_(("attending", "waitlisted")),
        )
        .subquery()
    )
    invited = exists().where(
        Invitation.roundtable_id == Roundtable.id, Invitation.organization_id == bindparam("organization_id")
    )
    return (
        select(Roundtable, mine.c.status)
        .outerjoin(mine, mine.c.roundtable_id == Roundtable.id)
        .where(
            Roundtable.status == "published",
            Roundtable.ends_at > bindparam("now"),
            or_(mine.c.status.is_not(None), invited),
        )
        .order_by(Roundtable.starts_at)
        .limit(LIMIT)
    )


def upcoming_roundtables(user, now: datetime) -> list[Upcoming]:
    """Published roundtables still to come that the viewer's organization is invited to or the
    viewer is registered for, soonest first."""
    # Without an organization, "= NULL" invites nobody.
    rows = db.session.execute(
        _upcoming_statement(), {"user_id": user.id, "organization_id": user.organization_id, "now": now}
    )
    return [Upcoming(roundtable, status) for roundtable, status in rows]


@cache
def _forms_awaiting_statement():
    user_id, organization_id, now = bindparam("user_id"), bindparam("organization_id"), bindparam("now")
    return (
        select(FeedbackForm)
        .where(
            FeedbackForm.published_at.is_not(None),
            or_(FeedbackForm.opens_at.is_(None), FeedbackForm.opens_at <= now),
            or_(FeedbackForm.closes_at.is_(None), FeedbackForm.closes_at > now),
            reaches(user_id, organization_id),
            ~answered_by(user_id, organization_id),
        )
        .order_by(FeedbackForm.closes_at.is_(None), FeedbackForm.closes_at, FeedbackForm.id)
        .limit(LIMIT)
    )


def forms_awaiting(user, now: datetime) -> list[FeedbackForm]:
    """Open feedback forms the viewer is in the audience of and has not answered (nor, for a form
    answered once per organization, anyone of their organization)."""
    if user.role == Role.ORGANIZER or user.organization is None or not user.organization.active:
        return []
    parameters = {"user_id": user.id, "organization_id": user.organization_id, "now": now}
    return list(db.session.scalars(_forms_awaiting_statement(), parameters))


@cache
def _commitments_statement():
    return (
        select(ActionItem)
        .join(Roundtable, ActionItem.roundtable_id == Roundtable.id)
        .options(contains_eager(ActionItem.roundtable))
        .where(
            or_(
                ActionItem.owner_id == bindparam("user_id"),
                ActionItem.owner_organization_id == bindparam("organization_id"),
            ),
            ActionItem.status.in_(("open", "in_progress")),
            ActionItem.due_on.is_not(None),
            ActionItem.due_on <= bindparam("until"),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
        .limit(LIMIT)
    )


def commitments_due(user, today) -> list[ActionItem]:
    """Open or in-progress action items of the viewer or their organization, overdue or due soon."""
    # Without an organization, "= NULL" matches no item.
    parameters = {
        "user_id": user.id,
        "organization_id": user.organization_id,
        "until": today + COMMITMENTS_DUE_WITHIN,
    }
    return list(db.session.scalars(_commitments_statement(), parameters))


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


@cache
def _answered_suggestions_statement():
    return (
        select(Suggestion)
        .where(Suggestion.organization_id == bindparam("organization_id"), Suggestion.replied_at.is_not(None))
        .order_by(Suggestion.replied_at.desc())
        .limit(LIMIT)
    )


def answered_suggestions(user) -> list[Suggestion]:
    """The viewer's organization's suggestions that IOM has answered, latest answer first."""
    if user.organization_id is None:
        return []
    parameters = {"organization_id": user.organization_id}
    return list(db.session.scalars(_answered_suggestions_statement(), parameters))
