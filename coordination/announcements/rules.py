"""What the announcements area does: post, change and remove news, mail it to members, list it."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.announcements.models import Announcement
from coordination.audit.rules import record_event
from coordination.auth.models import User
from coordination.catalogue.texts import LANGUAGES, clean_map, localize
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.mail.outbox import queue_mail
from coordination.permissions import can, require
from coordination.roundtables.models import Roundtable, RoundtableStatus
from coordination.timeutil import utcnow


def _clean(texts: dict) -> dict:
    """The title and body maps; raises ValidationFailed unless some language has both, and every
    language with one has the other."""
    title, body = clean_map(texts.get("title")), clean_map(texts.get("body"))
    for language in LANGUAGES:
        if (language in title) != (language in body):
            field = f"{'body' if language in title else 'title'}_{language}"
            raise ValidationFailed(_l("Give both the title and the text in each language you write."), field)
    if not title:
        raise ValidationFailed(_l("Write the announcement in at least one language."), "title_en")
    return {"title": title, "body": body}


def _check_roundtable(roundtable_id: int | None) -> int | None:
    if roundtable_id is None:
        return None
    roundtable = db.session.get(Roundtable, roundtable_id)
    if roundtable is None or roundtable.status == RoundtableStatus.DRAFT:
        raise ValidationFailed(_l("Choose a published roundtable."), "roundtable_id")
    return roundtable_id


def post_announcement(actor, *, texts: dict, roundtable_id: int | None = None, mail_members: bool = False):
    """Publish an announcement; with `mail_members`, queue it to every active member in their language.

    Returns the announcement and the number of messages queued.
    """
    require(actor, "announcement.create")
    announcement = Announcement(
        texts=_clean(texts), roundtable_id=_check_roundtable(roundtable_id), author_id=actor.id
    )
    db.session.add(announcement)
    db.session.flush()
    record_event(actor, "announcements.post", announcement, mailed=mail_members)
    queued = _mail_members(announcement) if mail_members else 0
    return announcement, queued


def update_announcement(actor, announcement: Announcement, *, texts: dict, roundtable_id: int | None = None):
    """Correct an announcement; it is not mailed again."""
    require(actor, "announcement.edit", announcement)
    announcement.texts = _clean(texts)
    announcement.roundtable_id = _check_roundtable(roundtable_id)
    db.session.flush()
    record_event(actor, "announcements.update", announcement)
    return announcement


def delete_announcement(actor, announcement: Announcement) -> None:
    """Remove an announcement from the list and the feed (mail already sent stays sent)."""
    require(actor, "announcement.delete", announcement)
    record_event(actor, "announcements.delete", announcement, title=announcement.name)
    db.session.delete(announcement)
    db.session.flush()


def _mail_members(announcement: Announcement) -> int:
    people = db.session.execute(
        select(User.email, User.name, User.preferred_language).where(User.active.is_(True)).order_by(User.id)
    ).all()
    for person in people:
        language = person.preferred_language if person.preferred_language in LANGUAGES else "en"
        queue_mail(
            person.email,
            "announcement",
            language,
            name=person.name,
            announcement=announcement,
            title=localize(announcement.texts.get("title"), language),
            body=localize(announcement.texts.get("body"), language),
        )
    announcement.mailed_at = utcnow()
    return len(people)


# Reading.


def announcements_query():
    """Every announcement, newest first, with its roundtable."""
    return (
        select(Announcement)
        .options(joinedload(Announcement.roundtable), joinedload(Announcement.author))
        .order_by(Announcement.published_at.desc(), Announcement.id.desc())
    )


def latest_announcements(viewer, limit: int = 5) -> list[Announcement]:
    """The newest announcements `viewer` may read (for the home page): one query, none if none."""
    if not can(viewer, "announcement.view"):
        return []
    return list(db.session.scalars(announcements_query().limit(limit)))


def roundtable_choices() -> list[tuple[int, str]]:
    """The roundtables an announcement may point to: every one but drafts, newest first."""
    rows = db.session.execute(
        select(Roundtable.id, Roundtable.title)
        .where(Roundtable.status != RoundtableStatus.DRAFT)
        .order_by(Roundtable.starts_at.desc())
    ).all()
    return [(row.id, row.title) for row in rows]
