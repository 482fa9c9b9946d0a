"""What the announcements area does: post, change and remove news, mail it to members, list it."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination.announcements.models import Announcement
from coordination.audit.rules import record_event
from coordination.auth.models import User
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.library.models import Document, DocumentStatus, Visibility
from coordination.mail.outbox import queue_mail
from coordination.policy import can, require
from coordination.roundtables.models import Roundtable, RoundtableStatus
from coordination.texts import LANGUAGES, clean_map, localize
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


def _check_document(actor, document_id: int | None) -> int | None:
    """`document_id` if the actor may link it (see permissions: every member must see it), or None.

    Raises ValidationFailed for a document that is gone, or not shared with all members.
    """
    if document_id is None:
        return None
    document = db.session.get(Document, document_id)
    if document is None or not can(actor, "announcement.link_document", document):
        raise ValidationFailed(
            _l(
                "Choose a document that every member may see: announcements are read and mailed by "
                "all members, and this document is not shared with all of them."
            ),
            "document_id",
        )
    return document_id


def post_announcement(
    actor,
    *,
    texts: dict,
    roundtable_id: int | None = None,
    document_id: int | None = None,
    mail_members: bool = False,
):
    """Publish an announcement; with `mail_members`, queue it to every active member in their language.

    Returns the announcement and the number of messages queued. Raises ValidationFailed for texts
    missing in a language, a draft roundtable, or a document not every member may see.
    """
    require(actor, "announcement.create")
    announcement = Announcement(
        texts=_clean(texts),
        roundtable_id=_check_roundtable(roundtable_id),
        document_id=_check_document(actor, document_id),
        author_id=actor.id,
    )
    db.session.add(announcement)
    db.session.flush()
    record_event(actor, "announcements.post", announcement, mailed=mail_members)
    queued = _mail_members(announcement) if mail_members else 0
    return announcement, queued


def update_announcement(
    actor,
    announcement: Announcement,
    *,
    texts: dict,
    roundtable_id: int | None = None,
    document_id: int | None = None,
):
    """Correct an announcement; it is not mailed again. Raises ValidationFailed as post_announcement."""
    require(actor, "announcement.edit", announcement)
    announcement.texts = _clean(texts)
    announcement.roundtable_id = _check_roundtable(roundtable_id)
    announcement.document_id = _check_document(actor, document_id)
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
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)).all()
    document = (
        db.session.scalar(
            select(Document)
            .where(Document.id == announcement.document_id)
            .options(selectinload(Document.shared_with))
        )
        if announcement.document_id is not None
        else None
    )
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
            # Checked for each person all the same: the rule is the library's, not the form's.
            document=document if document is not None and can(person, "document.view", document) else None,
        )
    announcement.mailed_at = utcnow()
    return len(people)


# Reading.


def announcements_query():
    """Every announcement, newest first, with its roundtable and its document (and whom that is
    shared with, so that templates ask permissions.can without a query per announcement)."""
    return (
        select(Announcement)
        .options(
            joinedload(Announcement.roundtable),
            joinedload(Announcement.author),
            joinedload(Announcement.document).selectinload(Document.shared_with),
        )
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


def document_choices(current_id: int | None = None) -> list[tuple[int, str]]:
    """The documents an announcement may point to (published, shared with all members, outside the
    trash), by title; and the one it points to now, whatever it became, so that an edit shows it."""
    every_member = (
        Document.deleted_at.is_(None)
        & (Document.status == DocumentStatus.PUBLISHED)
        & (Document.visibility == Visibility.MEMBERS)
    )
    condition = every_member | (Document.id == current_id) if current_id is not None else every_member
    rows = db.session.execute(
        select(Document.id, Document.title).where(condition).order_by(Document.title, Document.id)
    ).all()
    return [(row.id, row.title) for row in rows]
