"""Who may do what in the shared library: collections, documents, versions, comments, the trash.

Who sees a document is mirrored in SQL by `coordination.library.queries.visible_to` for lists and
search; tests/library/test_permissions.py holds the two to the same answers.
"""

from datetime import timedelta

from coordination.auth.models import User
from coordination.library.models import Collection, Comment, Document, DocumentStatus, Visibility
from coordination.policy import belongs_to, is_organizer, rule, signed_in
from coordination.timeutil import utcnow

TRASH_DAYS = 30
COMMENT_EDIT_MINUTES = 15


def _uploaded(user: User, document: Document) -> bool:
    return signed_in(user) and document.uploaded_by_id == user.id


def _within(moment, delta: timedelta) -> bool:
    return moment is not None and utcnow() - moment <= delta


def sees_document(user: User, document: Document) -> bool:
    """Organizers see everything not purged; others what is published and shared with them."""
    if is_organizer(user):
        return True
    if not signed_in(user) or document.deleted_at is not None:
        return False
    if _uploaded(user, document):
        return True
    if document.status != DocumentStatus.PUBLISHED:
        return False
    if document.visibility == Visibility.MEMBERS or belongs_to(user, document.organization_id):
        return True
    if document.visibility == Visibility.ORGANIZATIONS:
        return any(share.organization_id == user.organization_id for share in document.shared_with)
    return False


@rule("document.view")
def sees_live_document(user: User, document: Document) -> bool:
    return document.deleted_at is None and sees_document(user, document)


def seen_by_every_member(document: Document | None) -> bool:
    """A published document shared with all members, outside the trash: what every member may see."""
    return (
        document is not None
        and document.deleted_at is None
        and document.status == DocumentStatus.PUBLISHED
        and document.visibility == Visibility.MEMBERS
    )


@rule("library.view")
@rule("library.follow")
def reads_library(user: User) -> bool:
    return signed_in(user)


@rule("library.trash")
@rule("collection.create")
def keeps_library(user: User) -> bool:
    return is_organizer(user)


@rule("collection.edit")
def may_edit_collection(user: User, collection: Collection) -> bool:
    return is_organizer(user)


@rule("collection.contribute")
def may_contribute(user: User, collection: Collection) -> bool:
    return is_organizer(user) or (signed_in(user) and collection.members_may_contribute)


@rule("document.edit")
@rule("document.add_version")
def may_change_document(user: User, document: Document) -> bool:
    return sees_live_document(user, document) and (is_organizer(user) or _uploaded(user, document))


@rule("document.delete")
def may_delete_document(user: User, document: Document) -> bool:
    return is_organizer(user) and document.deleted_at is None


@rule("document.restore")
def may_restore(user: User, document: Document) -> bool:
    if not is_organizer(user) or document.deleted_at is None:
        return False
    return _within(document.deleted_at, timedelta(days=TRASH_DAYS))


@rule("document.clear")
def may_clear(user: User, document: Document) -> bool:
    """Organizers release a document the personal-data guard held for review."""
    return is_organizer(user) and document.deleted_at is None and document.status == DocumentStatus.REVIEW


@rule("document.view_downloads")
def sees_downloads(user: User, document: Document) -> bool:
    return is_organizer(user) or (
        belongs_to(user, document.organization_id) and sees_live_document(user, document)
    )


@rule("document.comment")
def may_comment(user: User, document: Document) -> bool:
    return sees_live_document(user, document) and document.status == DocumentStatus.PUBLISHED


@rule("comment.edit")
def may_change_comment(user: User, comment: Comment) -> bool:
    return (
        signed_in(user)
        and comment.author_id == user.id
        and _within(comment.created_at, timedelta(minutes=COMMENT_EDIT_MINUTES))
    )


@rule("comment.delete")
def may_delete_comment(user: User, comment: Comment) -> bool:
    return is_organizer(user) or may_change_comment(user, comment)
