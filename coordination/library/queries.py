"""The library's lists in SQL: who sees which document (the SQL twin of permissions._sees_document),
and the filters shared by browsing and search."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true

from coordination.auth.models import Role
from coordination.library.models import Collection, Document, DocumentOrganization, DocumentTag


def visible_to(user) -> ColumnElement[bool]:
    """Documents `user` may know of, outside the trash; see permissions._sees_document."""
    if user is None or not user.is_authenticated or not user.active:
        return false()
    live = Document.deleted_at.is_(None)
    if user.role == Role.ORGANIZER:
        return live
    shared = exists().where(
        DocumentOrganization.document_id == Document.id,
        DocumentOrganization.organization_id == user.organization_id,
    )
    reaches = or_(
        Document.visibility == "members",
        and_(Document.visibility == "organizations", shared),
        Document.organization_id == user.organization_id if user.organization_id else false(),
    )
    return and_(live, or_(Document.uploaded_by_id == user.id, and_(Document.status == "published", reaches)))


@dataclass
class Filters:
    collection_id: int | None = None
    service_area: str | None = None
    sdg: int | None = None
    language: str | None = None
    kind: str | None = None
    organization_id: int | None = None
    roundtable_id: int | None = None
    tag: str | None = None
    since: date | None = None
    until: date | None = None
    sort: str = "newest"
    collection_ids: list[int] = field(default_factory=list)


def apply_filters(query: Select, filters: Filters) -> Select:
    """`query` (over Document) narrowed by what the reader chose."""
    if filters.collection_id:
        query = query.where(Document.collection_id.in_([filters.collection_id, *filters.collection_ids]))
    if filters.service_area:
        query = query.where(Document.service_area == filters.service_area)
    if filters.sdg:
        query = query.where(Document.sdg == filters.sdg)
    if filters.language:
        query = query.where(Document.language == filters.language)
    if filters.kind:
        query = query.where(Document.file_kind == filters.kind)
    if filters.organization_id:
        query = query.where(Document.organization_id == filters.organization_id)
    if filters.roundtable_id:
        query = query.where(Document.roundtable_id == filters.roundtable_id)
    if filters.tag:
        query = query.where(
            exists().where(DocumentTag.document_id == Document.id, DocumentTag.tag == filters.tag)
        )
    if filters.since:
        query = query.where(Document.created_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        query = query.where(
            Document.created_at < datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        )
    return query


SORTS = {
    "newest": (Document.created_at.desc(), Document.id.desc()),
    "oldest": (Document.created_at.asc(), Document.id.asc()),
    "title": (Document.title.asc(), Document.id.asc()),
    "downloads": (Document.download_count.desc(), Document.id.desc()),
}


def document_list(user, filters: Filters) -> Select:
    """The documents `user` may see, filtered and sorted, for a page of the library."""
    query = apply_filters(select(Document).where(visible_to(user)), filters)
    return query.order_by(*SORTS.get(filters.sort, SORTS["newest"]))


def child_collection_ids(collection: Collection) -> list[int]:
    return [child.id for child in collection.children]


def everything() -> ColumnElement[bool]:
    return true()
