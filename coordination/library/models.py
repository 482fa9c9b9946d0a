"""Collections, documents, their versions, downloads, comments, follows and the search table."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.dbtypes import UTCDateTime
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.roundtables.models import Roundtable
from coordination.timeutil import utcnow


class Visibility(StrEnum):
    MEMBERS = "members"
    ORGANIZERS = "organizers"
    ORGANIZATIONS = "organizations"


class DocumentStatus(StrEnum):
    # Until the personal-data guard has read the text of its newest upload.
    CHECKING = "checking"
    PUBLISHED = "published"
    # Held by the personal-data guard: only the uploader and organizers see it.
    REVIEW = "review"


class Collection(db.Model):
    """A folder of the library; a collection holds documents and at most one level of sub-collections."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    members_may_contribute: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["Collection | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Collection"]] = relationship(back_populates="parent", order_by="Collection.name")


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("visibility IN ('members', 'organizers', 'organizations')", name="visibility"),
        CheckConstraint("status IN ('checking', 'published', 'review')", name="status"),
        CheckConstraint("sdg IS NULL OR (sdg BETWEEN 1 AND 17)", name="sdg_range"),
        Index("ix_documents_listing", "deleted_at", "created_at"),
        # The lists' default order, walked until a page is full: PostgreSQL cannot order by the index
        # above under "deleted_at IS NULL", so it sorted every live document for each page.
        Index(
            "ix_documents_live_newest",
            "created_at",
            "id",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # The dashboard's documents-shared count reads this index alone (migration 0024).
        Index("ix_documents_engagement", "deleted_at", "status", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # The language of the first upload; the versions tell which other languages exist.
    language: Mapped[str] = mapped_column(String(5), default="en")
    service_area: Mapped[str | None] = mapped_column(String(40), index=True)
    sdg: Mapped[int | None] = mapped_column(index=True)
    roundtable_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtables.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.MEMBERS)
    # The uploader's organization, which always sees the document.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=DocumentStatus.PUBLISHED)
    review_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the file type of the current version is known: what the list filters on.
    file_kind: Mapped[str | None] = mapped_column(String(10), index=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    download_count: Mapped[int] = mapped_column(default=0)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    collection: Mapped[Collection] = relationship()
    organization: Mapped[Organization | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    roundtable: Mapped[Roundtable | None] = relationship()
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document", order_by="DocumentVersion.id", cascade="all, delete-orphan"
    )
    shared_with: Mapped[list["DocumentOrganization"]] = relationship(cascade="all, delete-orphan")
    tags: Mapped[list["DocumentTag"]] = relationship(order_by="DocumentTag.tag", cascade="all, delete-orphan")

    @property
    def tag_names(self) -> list[str]:
        return [tag.tag for tag in self.tags]


class DocumentOrganization(db.Model):
    """An organization a document with "chosen organizations" visibility is shared with."""

    __tablename__ = "document_organizations"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    organization: Mapped[Organization] = relationship()


class DocumentTag(db.Model):
    __tablename__ = "document_tags"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class ExtractionStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    NONE = "none"  # not read: PPTX and pictures before the guard read them (migration 0018)


class DocumentVersion(db.Model):
    """One uploaded file of a document: each upload is kept, in its language."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "language", "number", name="uq_document_versions_number"),
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint("extraction IN ('pending', 'done', 'failed', 'none')", name="extraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    number: Mapped[int] = mapped_column(default=1)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # An earlier version (of any document) with the same bytes, when there was one at upload.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_versions.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(500))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    extraction: Mapped[str] = mapped_column(String(10), default=ExtractionStatus.PENDING, index=True)
    extracted_text: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()
    duplicate_of: Mapped["DocumentVersion | None"] = relationship(remote_side=[id])


class Download(db.Model):
    __tablename__ = "document_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    downloaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()


class Comment(db.Model):
    __tablename__ = "document_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()


class Follow(db.Model):
    """A member following a collection or a tag, for the digest."""

    __tablename__ = "library_follows"
    __table_args__ = (
        UniqueConstraint("user_id", "collection_id", name="uq_library_follows_collection"),
        UniqueConstraint("user_id", "tag", name="uq_library_follows_tag"),
        CheckConstraint("(collection_id IS NULL) <> (tag IS NULL)", name="collection_or_tag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"))
    tag: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    collection: Mapped[Collection | None] = relationship()


class DigestFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class DigestSetting(db.Model):
    """How often a person gets the library digest, and when they last got one."""

    __tablename__ = "library_digest_settings"
    __table_args__ = (CheckConstraint("frequency IN ('daily', 'weekly', 'never')", name="frequency"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(8), default=DigestFrequency.WEEKLY)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DigestEntry(db.Model):
    """A document already mailed to a person in a digest: never twice."""

    __tablename__ = "library_digest_entries"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchEntry(db.Model):
    """The text a document is found by: title apart (ranked higher), the rest in `body`.

    On SQLite an FTS5 index over this table, on PostgreSQL a generated tsvector column with a GIN
    index; both are made by the migration (see coordination/library/search.py).
    """

    __tablename__ = "document_search"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
