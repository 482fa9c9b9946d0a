"""Who reads and posts announcements, and which documents they may point to."""

from coordination.announcements.models import Announcement
from coordination.auth.models import User
from coordination.library.models import Document
from coordination.library.policy import seen_by_every_member
from coordination.policy import is_organizer, rule, signed_in


@rule("announcement.view")
def may_read(user: User, _announcement: Announcement | None = None) -> bool:
    return signed_in(user)


@rule("announcement.create")
def may_post(user: User) -> bool:
    return is_organizer(user)


@rule("announcement.edit")
@rule("announcement.delete")
def may_change(user: User, announcement: Announcement) -> bool:
    return is_organizer(user)


@rule("announcement.link_document")
def may_link_document(user: User, document: Document | None) -> bool:
    """Announcements reach every member, by mail too: they point only to a document all members see."""
    return is_organizer(user) and seen_by_every_member(document)
