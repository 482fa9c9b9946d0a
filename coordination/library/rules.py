"""What the library does: collections, sharing documents and their versions, the trash, review,
downloads, comments, follows. Rules take the acting user, raise domain errors, flush, never commit."""

import logging
import re
import unicodedata
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from coordination import archives, guard
from coordination.audit.rules import record_event
from coordination.auth.models import User
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.library import extraction, filetypes, queries, search, storage
from coordination.library.models import (
    Collection,
    Comment,
    DigestSetting,
    Document,
    DocumentOrganization,
    DocumentStatus,
    DocumentTag,
    DocumentVersion,
    Download,
    ExtractionStatus,
    Follow,
)
from coordination.library.policy import TRASH_DAYS
from coordination.mail.outbox import queue_mail
from coordination.timeutil import utcnow

log = logging.getLogger("coordination.library")

DOCUMENT_FIELDS = (
    "title",
    "description",
    "service_area",
    "sdg",
    "roundtable_id",
    "visibility",
)
MAX_TAGS = 12


# Collections.


def save_collection(
    user,
    collection: Collection | None,
    name: str,
    description: str | None,
    parent_id: int | None,
    members_may_contribute: bool,
) -> Collection:
    """Create or update a collection; nesting stops at two levels (raises ValidationFailed)."""
    guard.refuse_personal_data("description", name, description)
    parent = db.session.get(Collection, parent_id) if parent_id else None
    if parent is not None:
        if parent.parent_id is not None:
            raise ValidationFailed(_("Collections are nested at most two levels deep."), field="parent_id")
        if collection is not None and (parent.id == collection.id or collection.children):
            raise ValidationFailed(
                _("A collection that holds sub-collections cannot itself be placed in another."),
                field="parent_id",
            )
    if collection is None:
        collection = Collection(created_by_id=user.id)
        db.session.add(collection)
    collection.name = name.strip()
    collection.description = (description or "").strip() or None
    collection.parent = parent
    collection.members_may_contribute = members_may_contribute
    db.session.flush()
    record_event(user, "library.collection.save", collection)
    return collection


# Sharing.


def clean_filename(name: str | None) -> str:
    """The name to show and to offer on download: no folders, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:200] or "document"


def _tags(raw: str | None) -> list[str]:
    seen: list[str] = []
    for part in (raw or "").split(","):
        tag = " ".join(part.split()).lower()[:60]
        if tag and tag not in seen:
            seen.append(tag)
    if len(seen) > MAX_TAGS:
        raise ValidationFailed(_("At most %(num)d tags.", num=MAX_TAGS), field="tags")
    return seen


def _accept(part: storage.PartFile, filename: str) -> filetypes.FileKind:
    if part.size == 0:
        raise ValidationFailed(_("The file %(name)s is empty.", name=filename), field="files")
    try:
        kind = filetypes.sniff(part.path, filename)
    except archives.ArchiveRefused as error:
        raise ValidationFailed(
            _("The file %(name)s is refused: %(reason)s.", name=filename, reason=error.message), field="files"
        ) from error
    if kind is None:
        raise ValidationFailed(
            _(
                "The file %(name)s is not an accepted type. The library takes PDF, Word (DOCX), Excel "
                "(XLSX), PowerPoint (PPTX), OpenDocument text and spreadsheets, plain text, CSV, PNG "
                "and JPEG files; its content, not its name, decides.",
                name=filename,
            ),
            field="files",
        )
    return kind


def _add_version(
    user, document: Document, part: storage.PartFile, filename: str, language: str, note: str | None
) -> DocumentVersion:
    kind = _accept(part, filename)
    number = db.session.scalar(
        select(func.coalesce(func.max(DocumentVersion.number), 0)).where(
            DocumentVersion.document_id == document.id, DocumentVersion.language == language
        )
    )
    duplicate = db.session.scalar(
        select(DocumentVersion)
        .where(DocumentVersion.sha256 == part.sha256)
        .order_by(DocumentVersion.id)
        .limit(1)
    )
    part.keep()
    version = DocumentVersion(
        document=document,
        language=language,
        number=number + 1,
        filename=filename,
        stored_name=part.stored_name,
        content_type=kind.content_type,
        kind=kind.kind,
        size=part.size,
        sha256=part.sha256,
        duplicate_of=duplicate,
        note=(note or "").strip() or None,
        uploaded_by_id=user.id,
        extraction=ExtractionStatus.PENDING if kind.extractable else ExtractionStatus.NONE,
    )
    db.session.add(version)
    document.file_kind = kind.kind
    document.size = part.size
    if kind.extractable and document.status != DocumentStatus.REVIEW:
        # Held back from others until the guard has read the new text. A held document stays
        # held whatever comes next: its earlier versions are still there to download.
        document.status = DocumentStatus.CHECKING
    db.session.flush()
    return version


def share_document(
    user,
    collection: Collection,
    part: storage.PartFile,
    filename: str,
    *,
    title: str | None,
    language: str,
    tags: str | None,
    organization_ids: list[int],
    **fields,
) -> Document:
    """A new document in `collection` from an uploaded file; raises ValidationFailed on a refused
    file or on personal data typed in its title, description or tags."""
    guard.refuse_personal_data("description", title, fields.get("description"), tags)
    filename = clean_filename(filename)
    document = Document(
        collection=collection,
        title=(title or "").strip() or filename.rsplit(".", 1)[0][:300],
        language=language,
        organization_id=user.organization_id,
        uploaded_by_id=user.id,
        status=DocumentStatus.PUBLISHED,
        **{key: value for key, value in fields.items() if key in DOCUMENT_FIELDS and key != "title"},
    )
    document.description = (document.description or "").strip() or None
    db.session.add(document)
    document.tags = [DocumentTag(tag=tag) for tag in _tags(tags)]
    _share_with(document, organization_ids)
    db.session.flush()
    version = _add_version(user, document, part, filename, language, None)
    search.index_document(document, [])
    record_event(user, "library.document.share", document, file=version.filename, sha256=version.sha256)
    return document


def _share_with(document: Document, organization_ids: list[int]) -> None:
    wanted = set(organization_ids or []) if document.visibility == "organizations" else set()
    if document.visibility == "organizations" and not wanted - {document.organization_id}:
        raise ValidationFailed(
            _("Choose at least one organization to share with, besides your own."), field="organizations"
        )
    document.shared_with = [DocumentOrganization(organization_id=oid) for oid in sorted(wanted)]


def add_version(
    user, document: Document, part: storage.PartFile, filename: str, language: str, note: str | None
) -> DocumentVersion:
    """A new upload of `document` in `language`; every earlier version is kept."""
    guard.refuse_personal_data("note", note)
    version = _add_version(user, document, part, clean_filename(filename), language, note)
    document.updated_at = utcnow()
    reindex(document)
    record_event(user, "library.version.add", document, language=language, number=version.number)
    return version


def update_document(
    user, document: Document, *, tags: str | None, organization_ids: list[int], **fields
) -> None:
    """Change what describes a document and who sees it; personal data typed in it is refused."""
    guard.refuse_personal_data("description", fields.get("title"), fields.get("description"), tags)
    for key in DOCUMENT_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(document, key, value.strip() or None if isinstance(value, str) else value)
    if not document.title:
        raise ValidationFailed(_("A title is required."), field="title")
    new_tags = _tags(tags)
    if new_tags != document.tag_names:
        document.tags = [DocumentTag(tag=tag) for tag in new_tags]
    _share_with(document, organization_ids)
    db.session.flush()
    reindex(document)
    record_event(user, "library.document.edit", document)


def documents_of_roundtable(viewer, roundtable, limit: int = 50) -> list[Document]:
    """The documents linked to `roundtable` that `viewer` may see, by title (one query)."""
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.roundtable_id == roundtable.id, queries.visible_to(viewer))
            .order_by(Document.title)
            .limit(limit)
        )
    )


def latest_versions(document: Document) -> dict[str, DocumentVersion]:
    """The newest version in each language of `document`."""
    latest: dict[str, DocumentVersion] = {}
    for version in document.versions:
        if version.language not in latest or version.number > latest[version.language].number:
            latest[version.language] = version
    return latest


def reindex(document: Document) -> None:
    texts = [version.extracted_text or "" for version in latest_versions(document).values()]
    search.index_document(document, texts)


# Trash and review.


def trash_document(user, document: Document) -> None:
    document.deleted_at = utcnow()
    document.deleted_by_id = user.id
    record_event(user, "library.document.trash", document)


def restore_document(user, document: Document) -> None:
    document.deleted_at = None
    document.deleted_by_id = None
    record_event(user, "library.document.restore", document)


def purge_trash(now=None) -> tuple[int, list[str]]:
    """Remove documents in the trash for more than 30 days; returns how many, and their files."""
    limit = (now or utcnow()) - timedelta(days=TRASH_DAYS)
    documents = db.session.scalars(select(Document).where(Document.deleted_at < limit)).all()
    names = [version.stored_name for document in documents for version in document.versions]
    for document in documents:
        db.session.delete(document)
    db.session.flush()
    return len(documents), names


def clear_document(user, document: Document) -> None:
    """An organizer has read a held document and lets it through."""
    document.status = DocumentStatus.PUBLISHED
    document.review_reason = None
    record_event(user, "library.document.clear", document)


# Extraction and the guard.


def extract_versions(ids: list[int] | None = None, limit: int = 20) -> int:
    """Read the text of pending versions (or of `ids`), run the guard, commit each; returns how many."""
    query = select(DocumentVersion.id).where(DocumentVersion.extraction == ExtractionStatus.PENDING)
    if ids is not None:
        query = query.where(DocumentVersion.id.in_(ids))
    pending = db.session.scalars(query.order_by(DocumentVersion.id).limit(limit)).all()
    done = 0
    for version_id in pending:
        version = db.session.get(DocumentVersion, version_id)
        if version is None or version.extraction != ExtractionStatus.PENDING:
            continue
        try:
            text, findings = extraction.extract(storage.path_of(version.stored_name), version.kind)
        except archives.ArchiveRefused as error:
            # Its text was not read, so the guard could not look at it: an organizer must.
            log.warning("text of version %s not read: %s", version.id, error.message)
            version.extraction = ExtractionStatus.FAILED
            text, findings = "", ["archive"]
        except (ValueError, OSError) as error:
            # Never shared unread: a picture without legible text, a protected or damaged file.
            log.warning("text of version %s could not be read: %s", version.id, error)
            version.extraction = ExtractionStatus.FAILED
            text, findings = "", ["unreadable"]
        else:
            version.extraction = ExtractionStatus.DONE
            version.extracted_text = text
        _check_personal_data(version.document, findings)
        reindex(version.document)
        db.session.commit()
        done += 1
    return done


def _check_personal_data(document: Document, findings: list[str]) -> None:
    if document.status == DocumentStatus.REVIEW and not findings:
        return  # held by an earlier version until an organizer clears it
    if not findings:
        if document.status == DocumentStatus.CHECKING:
            document.status = DocumentStatus.PUBLISHED
        return
    _hold(document, findings)


def _hold(document: Document, findings: list[str]) -> None:
    """Hold `document` for review for `findings` (keys of guard.REASONS) and tell its uploader."""
    document.status = DocumentStatus.REVIEW
    document.review_reason = ",".join(findings)
    record_event(None, "library.document.hold", document, findings=findings)
    uploader = db.session.get(User, document.uploaded_by_id) if document.uploaded_by_id else None
    if uploader is not None and uploader.active:
        with links_outside_requests():
            queue_mail(
                uploader.email,
                "library_held",
                uploader.preferred_language,
                user=uploader,
                document=document,
                reasons=findings,
                guard_reasons=guard.REASONS,
            )


@contextmanager
def links_outside_requests():
    """Mail rendered by a command or after a response still links to BASE_URL."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        yield


def review_reasons(document: Document) -> list[str]:
    return [
        str(guard.REASONS[key]) for key in (document.review_reason or "").split(",") if key in guard.REASONS
    ]


# Reading.


def record_download(user, version: DocumentVersion) -> None:
    db.session.add(
        Download(
            document_id=version.document_id,
            version_id=version.id,
            user_id=user.id,
            organization_id=user.organization_id,
        )
    )
    db.session.execute(
        update(Document)
        .where(Document.id == version.document_id)
        .values(download_count=Document.download_count + 1)
    )


# Comments.


def add_comment(user, document: Document, body: str) -> Comment:
    """A comment on `document`; raises ValidationFailed when it holds personal data in bulk."""
    guard.refuse_personal_data("body", body)
    comment = Comment(document_id=document.id, author_id=user.id, body=body.strip())
    db.session.add(comment)
    db.session.flush()
    return comment


def edit_comment(user, comment: Comment, body: str) -> None:
    """Change a comment's text, under the same guard as a new one."""
    guard.refuse_personal_data("body", body)
    comment.body = body.strip()
    comment.edited_at = utcnow()


def delete_comment(user, comment: Comment) -> None:
    if comment.author_id != user.id:
        record_event(
            user, "library.comment.remove", None, document_id=comment.document_id, author=comment.author_id
        )
    db.session.delete(comment)


# Follows and the digest setting.


def follow(user, collection_id: int | None, tag: str | None) -> None:
    tag = " ".join((tag or "").split()).lower()[:60] or None
    if collection_id is None and tag is None:
        raise ValidationFailed(_("Choose a collection or a tag to follow."))
    existing = db.session.scalar(
        select(Follow).where(
            Follow.user_id == user.id,
            Follow.collection_id == collection_id if collection_id else Follow.tag == tag,
        )
    )
    if existing is None:
        db.session.add(
            Follow(user_id=user.id, collection_id=collection_id, tag=None if collection_id else tag)
        )
        db.session.flush()


def unfollow(user, follow_id: int) -> None:
    db.session.execute(delete(Follow).where(Follow.id == follow_id, Follow.user_id == user.id))


def set_digest_frequency(user, frequency: str) -> None:
    setting = db.session.get(DigestSetting, user.id)
    if setting is None:
        setting = DigestSetting(user_id=user.id)
        db.session.add(setting)
    setting.frequency = frequency
    db.session.flush()
