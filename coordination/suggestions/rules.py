"""What the suggestions area does: propose, edit, support, comment, triage and answer, and list."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coordination.audit.rules import record_event
from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.guard import refuse_personal_data
from coordination.mail.outbox import queue_mail
from coordination.policy import require
from coordination.records import apply_changes
from coordination.suggestions.models import (
    Suggestion,
    SuggestionComment,
    SuggestionStatus,
    SuggestionSupport,
)
from coordination.taxonomy import SERVICE_AREAS
from coordination.timeutil import utcnow

SUGGESTION_FIELDS = ("title", "description", "service_area", "sdg")

# Where triage may take a suggestion from each status; staying put to change the reply is allowed.
TRANSITIONS = {
    SuggestionStatus.NEW: {
        SuggestionStatus.UNDER_REVIEW,
        SuggestionStatus.PLANNED,
        SuggestionStatus.DECLINED,
    },
    SuggestionStatus.UNDER_REVIEW: {SuggestionStatus.PLANNED, SuggestionStatus.DECLINED},
    SuggestionStatus.PLANNED: {SuggestionStatus.UNDER_REVIEW, SuggestionStatus.DECLINED},
    SuggestionStatus.DECLINED: {SuggestionStatus.UNDER_REVIEW, SuggestionStatus.PLANNED},
}
# A decision is always explained to those who proposed it.
NEEDS_REPLY = {SuggestionStatus.PLANNED, SuggestionStatus.DECLINED}

ALREADY_SUPPORTED = _l("Your organization already supports this suggestion: one support per organization.")


def propose_suggestion(actor, **fields) -> Suggestion:
    """Add a suggestion in the name of the actor's own organization; personal data in it is refused."""
    require(actor, "suggestion.create")
    refuse_personal_data("description", fields.get("title"), fields.get("description"))
    suggestion = Suggestion(**_clean(fields), organization_id=actor.organization_id, proposer_id=actor.id)
    db.session.add(suggestion)
    db.session.flush()
    record_event(actor, "suggestions.create", suggestion, title=suggestion.title)
    return suggestion


def update_suggestion(actor, suggestion: Suggestion, **fields) -> list[str]:
    """Save the proposer's changes; only while the suggestion is new (raises PermissionDenied)."""
    require(actor, "suggestion.edit", suggestion)
    refuse_personal_data("description", fields.get("title"), fields.get("description"))
    changed = apply_changes(suggestion, _clean(fields))
    if changed:
        db.session.flush()
        record_event(actor, "suggestions.update", suggestion, fields=changed)
    return changed


def delete_suggestion(actor, suggestion: Suggestion) -> None:
    """Withdraw one's own new suggestion, with its supports and comments."""
    require(actor, "suggestion.delete", suggestion)
    record_event(actor, "suggestions.delete", suggestion, title=suggestion.title)
    db.session.delete(suggestion)
    db.session.flush()


def _clean(fields: dict) -> dict:
    fields = {key: fields[key] for key in SUGGESTION_FIELDS if key in fields}
    for key in ("title", "description"):
        if isinstance(fields.get(key), str):
            fields[key] = fields[key].strip()
    return fields


def support_of(suggestion: Suggestion, organization_id: int | None) -> SuggestionSupport | None:
    """The support `organization_id` gave `suggestion`, if any."""
    if organization_id is None:
        return None
    return db.session.scalar(
        select(SuggestionSupport)
        .where(
            SuggestionSupport.suggestion_id == suggestion.id,
            SuggestionSupport.organization_id == organization_id,
        )
        .options(joinedload(SuggestionSupport.user))
    )


def support_suggestion(actor, suggestion: Suggestion) -> SuggestionSupport:
    """Record the actor's organization's support; raises ValidationFailed when it already supports it.

    The unique constraint on (suggestion, organization) settles two colleagues clicking at once:
    the second commit raises IntegrityError, which the view turns into the same message.
    """
    require(actor, "suggestion.support", suggestion)
    if support_of(suggestion, actor.organization_id) is not None:
        raise ValidationFailed(ALREADY_SUPPORTED)
    support = SuggestionSupport(
        suggestion_id=suggestion.id, organization_id=actor.organization_id, user_id=actor.id
    )
    db.session.add(support)
    db.session.flush()
    record_event(actor, "suggestions.support", suggestion)
    return support


def withdraw_support(actor, support: SuggestionSupport) -> None:
    """Take back an organization's support (whoever gave it, or a focal point of that organization)."""
    require(actor, "suggestion.withdraw_support", support)
    record_event(actor, "suggestions.withdraw_support", support.suggestion)
    db.session.delete(support)
    db.session.flush()


def add_comment(actor, suggestion: Suggestion, body: str) -> SuggestionComment:
    """Add a comment (Markdown) to the discussion of a suggestion; personal data in it is refused."""
    require(actor, "suggestion.comment", suggestion)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_l("Write a comment first."), field="body")
    refuse_personal_data("body", body)
    comment = SuggestionComment(suggestion_id=suggestion.id, author_id=actor.id, body=body)
    db.session.add(comment)
    db.session.flush()
    record_event(actor, "suggestions.comment", suggestion)
    return comment


def hide_comment(actor, comment: SuggestionComment, reason: str) -> None:
    """Hide a comment from members; the reason is shown in its place. Raises ValidationFailed without one."""
    require(actor, "suggestion_comment.hide", comment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _l("Give the reason members will see in place of the comment."), field="reason"
        )
    comment.hidden_at = utcnow()
    comment.hidden_by_id = actor.id
    comment.hidden_reason = reason
    db.session.flush()
    record_event(actor, "suggestions.hide_comment", comment.suggestion, comment=comment.id, reason=reason)


def triage_suggestion(actor, suggestion: Suggestion, status: str, reply: str | None) -> list[str]:
    """Move a suggestion on and save the public reply; mails a new or changed reply.

    Returns the addresses mailed (the proposer and the focal points of the proposer's
    organization, each in their language). Raises ValidationFailed on a move that the
    workflow does not allow, or a decision without a reply.
    """
    require(actor, "suggestion.triage", suggestion)
    reply = (reply or "").strip() or None
    if status != suggestion.status and status not in TRANSITIONS.get(suggestion.status, set()):
        raise ValidationFailed(_l("A suggestion cannot go back to new."), field="status")
    if status in NEEDS_REPLY and not reply:
        raise ValidationFailed(
            _l("Tell the proposer what was decided and why: a planned or declined suggestion needs a reply."),
            field="reply",
        )
    old_status = suggestion.status
    reply_changed = reply != suggestion.reply
    if status == old_status and not reply_changed:
        return []
    suggestion.status = status
    if reply_changed:
        suggestion.reply = reply
        suggestion.replied_at = utcnow() if reply else None
        suggestion.replied_by_id = actor.id if reply else None
    db.session.flush()
    record_event(actor, "suggestions.triage", suggestion, status=status, previous=old_status)
    if reply is None:
        return []
    return _mail_reply(suggestion)


def reply_recipients(suggestion: Suggestion) -> list[User]:
    """The proposer and the active focal points of the suggestion's organization, once each."""
    people = db.session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            User.organization_id == suggestion.organization_id,
            User.role == Role.FOCAL_POINT,
        )
        .order_by(User.id)
    ).all()
    proposer = suggestion.proposer
    if proposer is not None and proposer.active and proposer not in people:
        people = [proposer, *people]
    return list(people)


def _mail_reply(suggestion: Suggestion) -> list[str]:
    addresses = []
    for person in reply_recipients(suggestion):
        queue_mail(
            person.email,
            "suggestion_answered",
            person.preferred_language,
            person=person,
            suggestion=suggestion,
            status_label=SuggestionStatus(suggestion.status).label,
        )
        addresses.append(person.email)
    return addresses


# Reading.


@dataclass(frozen=True)
class SuggestionFilters:
    status: str | None = None
    service_area: str | None = None
    sdg: int | None = None
    organization_id: int | None = None
    sort: str = "newest"


def _support_counts(suggestion_ids):
    return (
        select(SuggestionSupport.suggestion_id, func.count().label("supports"))
        .where(SuggestionSupport.suggestion_id.in_(suggestion_ids))
        .group_by(SuggestionSupport.suggestion_id)
        .subquery()
    )


def _comment_counts(suggestion_ids):
    return (
        select(SuggestionComment.suggestion_id, func.count().label("comments"))
        .where(SuggestionComment.suggestion_id.in_(suggestion_ids), SuggestionComment.hidden_at.is_(None))
        .group_by(SuggestionComment.suggestion_id)
        .subquery()
    )


def _matching(query, filters: SuggestionFilters):
    if filters.status:
        query = query.where(Suggestion.status == filters.status)
    if filters.service_area:
        query = query.where(Suggestion.service_area == filters.service_area)
    if filters.sdg:
        query = query.where(Suggestion.sdg == filters.sdg)
    if filters.organization_id:
        query = query.where(Suggestion.organization_id == filters.organization_id)
    return query


def suggestion_ids(filters: SuggestionFilters):
    """The ids of the suggestions that match `filters`, in the list's order.

    The list pages through these, counts them with `count_suggestions` and fetches the shown rows
    with `list_rows`: supports and comments are counted for one page, not for every suggestion (the
    most supported order counts the supports of the matching suggestions, one index range each).
    """
    query = _matching(select(Suggestion.id), filters)
    newest = (Suggestion.created_at.desc(), Suggestion.id.desc())
    if filters.sort == "supported":
        supports = (
            select(func.count())
            .where(SuggestionSupport.suggestion_id == Suggestion.id)
            .correlate(Suggestion)
            .scalar_subquery()
        )
        return query.order_by(supports.desc(), *newest)
    return query.order_by(*newest)


def count_suggestions(filters: SuggestionFilters) -> int:
    """How many suggestions match `filters`."""
    return db.session.scalar(_matching(select(func.count(Suggestion.id)), filters))


def list_rows(ids: list[int]) -> list:
    """The rows the list shows for these suggestions, in the order of `ids`, in one query: title,
    status, service area, SDG, date, organization's name, supports and visible comments."""
    if not ids:
        return []
    supports, comments = _support_counts(ids), _comment_counts(ids)
    rows = db.session.execute(
        select(
            Suggestion.id,
            Suggestion.title,
            Suggestion.service_area,
            Suggestion.sdg,
            Suggestion.status,
            Suggestion.created_at,
            Suggestion.organization_id,
            Organization.name.label("organization_name"),
            func.coalesce(supports.c.supports, 0).label("support_count"),
            func.coalesce(comments.c.comments, 0).label("comment_count"),
        )
        .join(Organization, Organization.id == Suggestion.organization_id)
        .outerjoin(supports, supports.c.suggestion_id == Suggestion.id)
        .outerjoin(comments, comments.c.suggestion_id == Suggestion.id)
        .where(Suggestion.id.in_(ids))
    ).all()
    position = {suggestion_id: index for index, suggestion_id in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row.id])


def counts_by_area_and_status() -> dict[str, dict[str, int]]:
    """How many suggestions each service area has in each status, counted in SQL."""
    rows = db.session.execute(
        select(Suggestion.service_area, Suggestion.status, func.count()).group_by(
            Suggestion.service_area, Suggestion.status
        )
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for area, status, count in rows:
        counts.setdefault(area, {})[status] = count
    order = list(SERVICE_AREAS)
    return dict(
        sorted(
            counts.items(),
            key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
        )
    )


def proposing_organizations() -> list[tuple[int, str]]:
    """The organizations that have proposed something, by name (the organization filter's choices)."""
    rows = db.session.execute(
        select(Organization.id, Organization.name)
        .where(Organization.id.in_(select(Suggestion.organization_id)))
        .order_by(func.lower(Organization.name))
    ).all()
    return [(row.id, row.name) for row in rows]


def load_suggestion(suggestion_id: int) -> Suggestion | None:
    """A suggestion by id with its organization and proposer (what its page shows of them), in one query."""
    return db.session.scalar(
        select(Suggestion)
        .where(Suggestion.id == suggestion_id)
        .options(joinedload(Suggestion.organization), joinedload(Suggestion.proposer))
    )


def supporting_organizations(suggestion: Suggestion) -> list[str]:
    """The names of the organizations that support `suggestion`, alphabetically, in one query."""
    return list(
        db.session.scalars(
            select(Organization.name)
            .join(SuggestionSupport, SuggestionSupport.organization_id == Organization.id)
            .where(SuggestionSupport.suggestion_id == suggestion.id)
            .order_by(func.lower(Organization.name))
        )
    )


def comments_of(suggestion: Suggestion) -> list[SuggestionComment]:
    """The suggestion's comments, oldest first, with their authors and organizations, in one query."""
    return list(
        db.session.scalars(
            select(SuggestionComment)
            .where(SuggestionComment.suggestion_id == suggestion.id)
            .options(joinedload(SuggestionComment.author).joinedload(User.organization))
            .order_by(SuggestionComment.created_at, SuggestionComment.id)
        )
    )
