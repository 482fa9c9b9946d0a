"""Minutes of a roundtable: every save kept as a revision, and the clearance flow
draft → circulated to the participants (comments until a deadline) → adopted → published."""

import difflib
import functools
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from coordination.audit.rules import record_event
from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.i18n import format_in_zone
from coordination.mail.outbox import queue_mail
from coordination.markup import render_markdown
from coordination.policy import require
from coordination.roundtables.models import (
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesStatus,
    Registration,
    RegistrationStatus,
    Roundtable,
    RoundtableStatus,
)
from coordination.timeutil import utcnow


@functools.lru_cache(maxsize=64)
def minutes_html(body: str) -> Markup:
    """The minutes' text rendered (sanitized); kept per text, as minutes are read far more than saved."""
    return render_markdown(body)


def minutes_of(roundtable: Roundtable) -> Minutes | None:
    return db.session.scalar(select(Minutes).where(Minutes.roundtable_id == roundtable.id))


def _participating(roundtable_id: int):
    return select(Registration.user_id).where(
        Registration.roundtable_id == roundtable_id, Registration.status == RegistrationStatus.ATTENDING
    )


def is_participant(user, roundtable: Roundtable) -> bool:
    """Whether `user` holds a seat at the roundtable (registered or checked in)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(exists(_participating(roundtable.id).where(Registration.user_id == user.id)))
        )
    )


def participants(roundtable: Roundtable) -> list[User]:
    """The active people holding a seat at the roundtable: those the minutes are circulated to."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(_participating(roundtable.id)), User.active.is_(True))
            .order_by(User.name)
        )
    )


def save_minutes(actor, roundtable: Roundtable, body: str, chatham_house: bool) -> MinutesRevision | None:
    """Save the text as a new revision; returns None when nothing changed.

    Raises ValidationFailed for a roundtable that is a draft or cancelled.
    """
    minutes = minutes_of(roundtable)
    require(actor, "minutes.edit", minutes)
    if roundtable.status not in (RoundtableStatus.PUBLISHED, RoundtableStatus.COMPLETED):
        raise ValidationFailed(_l("Minutes are kept for published or held roundtables only."))
    body = (body or "").strip()
    if minutes is None:
        minutes = Minutes(roundtable=roundtable, body="", status=MinutesStatus.DRAFT)
        db.session.add(minutes)
        db.session.flush()
    elif minutes.body == body and minutes.chatham_house == chatham_house:
        return None
    minutes.body = body
    minutes.chatham_house = chatham_house
    last = db.session.scalar(
        select(func.max(MinutesRevision.number)).where(MinutesRevision.minutes_id == minutes.id)
    )
    revision = MinutesRevision(
        minutes_id=minutes.id,
        number=(last or 0) + 1,
        body=body,
        chatham_house=chatham_house,
        author_id=actor.id,
    )
    db.session.add(revision)
    db.session.flush()
    record_event(actor, "minutes.save", roundtable, revision=revision.number)
    return revision


def attributed_organizations(roundtable: Roundtable, body: str) -> list[str]:
    """Attending organizations whose name appears in `body`: a hint for Chatham House minutes."""
    lowered = (body or "").lower()
    names = db.session.scalars(
        select(Organization.name)
        .join(Registration, Registration.organization_id == Organization.id)
        .where(
            Registration.roundtable_id == roundtable.id,
            Registration.status == RegistrationStatus.ATTENDING,
        )
        .distinct()
        .order_by(Organization.name)
    )
    return [name for name in names if name.lower() in lowered]


def circulate_minutes(actor, minutes: Minutes, deadline: datetime, now: datetime) -> list[str]:
    """Send the draft to the participants for comments until `deadline`; returns the addresses.

    Raises ValidationFailed for an empty text, a past deadline or a roundtable without participants.
    """
    require(actor, "minutes.circulate", minutes)
    if not minutes.body:
        raise ValidationFailed(_l("Write the minutes before circulating them."))
    if deadline <= now:
        raise ValidationFailed(_l("The comment deadline must be in the future."), field="comment_deadline")
    recipients = participants(minutes.roundtable)
    if not recipients:
        raise ValidationFailed(
            _l("Nobody is registered for this roundtable: there is nobody to circulate the minutes to.")
        )
    minutes.status = MinutesStatus.CIRCULATED
    minutes.comment_deadline = deadline
    minutes.circulated_at = now
    for person in recipients:
        queue_mail(
            person.email,
            "minutes_circulated",
            person.preferred_language,
            person=person,
            roundtable=minutes.roundtable,
            minutes=minutes,
        )
    addresses = [person.email for person in recipients]
    record_event(actor, "minutes.circulate", minutes.roundtable, recipients=len(addresses))
    return addresses


def comment_on_minutes(
    actor, minutes: Minutes, text: str, participant: bool, now: datetime
) -> MinutesComment:
    """Add a participant's comment; raises ValidationFailed once the deadline has passed."""
    require(actor, "minutes.comment", minutes, participant)
    if minutes.comment_deadline is not None and now > minutes.comment_deadline:
        when = format_in_zone(minutes.comment_deadline, minutes.roundtable.timezone)
        raise ValidationFailed(_l("Comments closed on %(date)s.", date=when), field="text")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_l("Write a comment."), field="text")
    number = db.session.scalar(
        select(func.max(MinutesRevision.number)).where(MinutesRevision.minutes_id == minutes.id)
    )
    comment = MinutesComment(minutes_id=minutes.id, author_id=actor.id, revision_number=number, text=text)
    db.session.add(comment)
    db.session.flush()
    return comment


def adopt_minutes(actor, minutes: Minutes, now: datetime | None = None) -> None:
    """Mark the minutes as adopted: the text is final and comments close.

    Usually after circulation; a draft may be adopted directly when nobody was registered."""
    require(actor, "minutes.adopt", minutes)
    if not minutes.body:
        raise ValidationFailed(_l("Write the minutes before adopting them."))
    minutes.status = MinutesStatus.ADOPTED
    minutes.adopted_at = now or utcnow()
    record_event(actor, "minutes.adopt", minutes.roundtable)


def publish_minutes(actor, minutes: Minutes, now: datetime | None = None) -> None:
    """Show the adopted minutes, and the roundtable's action items, to every member."""
    require(actor, "minutes.publish", minutes)
    minutes.status = MinutesStatus.PUBLISHED
    minutes.published_at = now or utcnow()
    record_event(actor, "minutes.publish", minutes.roundtable)


def revisions_of(minutes: Minutes) -> list[MinutesRevision]:
    """Every revision, newest first, with its author."""
    return list(
        db.session.scalars(
            select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .options(joinedload(MinutesRevision.author))
            .order_by(MinutesRevision.number.desc())
        )
    )


def revision(minutes: Minutes, number: int) -> MinutesRevision | None:
    return db.session.scalar(
        select(MinutesRevision)
        .where(MinutesRevision.minutes_id == minutes.id, MinutesRevision.number == number)
        .options(joinedload(MinutesRevision.author))
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context", "gap"
    text: str


def changes(before: str, after: str) -> list[DiffLine]:
    """The lines that differ between two texts, with two lines of context around each change."""
    lines = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=2, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", ""))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return lines


def comments_of(minutes: Minutes, author: User | None = None) -> list[MinutesComment]:
    """The comments on the minutes (or `author`'s only), oldest first, with author and organization."""
    query = (
        select(MinutesComment)
        .where(MinutesComment.minutes_id == minutes.id)
        .options(joinedload(MinutesComment.author).joinedload(User.organization))
        .order_by(MinutesComment.created_at, MinutesComment.id)
    )
    if author is not None:
        query = query.where(MinutesComment.author_id == author.id)
    return list(db.session.scalars(query))
