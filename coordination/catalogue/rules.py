"""What the catalogue does: save services (each save a revision) with their criteria and library
documents, mark them reviewed, keep the criteria, list missing translations, and read the catalogue
in a fixed number of queries."""

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from coordination.audit.rules import record_event
from coordination.catalogue.guide import GuideLink, GuideService
from coordination.catalogue.models import (
    CRITERION_TEXTS,
    SERVICE_TEXTS,
    Criterion,
    Outcome,
    Service,
    ServiceCriterion,
    ServiceRevision,
    service_documents,
)
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.library.models import Collection, Document
from coordination.library.queries import visible_to
from coordination.policy import can, require
from coordination.taxonomy import SERVICE_AREAS
from coordination.texts import REFERENCE, clean_map, missing_languages
from coordination.timeutil import utcnow

OUTCOMES = {outcome.value for outcome in Outcome}


@dataclass(frozen=True)
class CriterionLink:
    """What a service does with one criterion's answers (the form's and the demo's input)."""

    criterion_id: int
    on_yes: str
    on_no: str
    on_unknown: str = Outcome.ASK


def _clean_texts(texts: dict, names) -> dict:
    return {name: cleaned for name in names if (cleaned := clean_map(texts.get(name)))}


def _unique_key(model, text: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "item"
    key, number = base, 1
    while db.session.scalar(select(model.id).where(model.key == key)) is not None:
        number += 1
        key = f"{base}-{number}"
    return key


def snapshot(service: Service) -> dict:
    """Everything a revision keeps: the texts, the area, and each criterion with its question."""
    return {
        "service_area": service.service_area,
        "texts": service.texts,
        "criteria": [
            {
                "criterion_id": link.criterion_id,
                "question": link.criterion.texts.get("question", {}),
                "on_yes": link.on_yes,
                "on_no": link.on_no,
                "on_unknown": link.on_unknown,
            }
            for link in service.links
        ],
        # As they were linked: organizers read revisions, and a document may be renamed or purged later.
        "documents": [
            {"document_id": document.id, "title": document.title} for document in service.documents
        ],
    }


def save_service(
    actor,
    service: Service | None,
    *,
    texts: dict,
    service_area: str,
    links: list[CriterionLink],
    position: int = 0,
    key: str | None = None,
    document_ids: list[int] | None = None,
) -> Service:
    """Create `service` (None) or replace its texts, criteria and (unless `document_ids` is None)
    library documents, and keep the result as a new revision.

    Raises ValidationFailed without an English name, with an unknown service area, a criterion
    given twice, an unknown outcome, or a document the actor may not see or that is gone.
    """
    require(actor, "catalogue.manage")
    texts = _clean_texts(texts, SERVICE_TEXTS)
    if not texts.get("name", {}).get(REFERENCE):
        raise ValidationFailed(_l("Give the service a name in English, the reference language."), "name_en")
    if service_area not in SERVICE_AREAS:
        raise ValidationFailed(_l("Choose a service area."), "service_area")
    seen = set()
    for link in links:
        if link.criterion_id in seen:
            raise ValidationFailed(_l("A criterion can be asked only once per service."))
        seen.add(link.criterion_id)
        if {link.on_yes, link.on_no, link.on_unknown} - OUTCOMES:
            raise ValidationFailed(_l("Choose what each answer means."))
    criteria = db.session.scalars(select(Criterion).where(Criterion.id.in_(seen))).all() if seen else []
    by_id = {criterion.id: criterion for criterion in criteria}
    if len(by_id) != len(seen):
        raise ValidationFailed(_l("A criterion was removed meanwhile. Check the criteria and save again."))
    documents = _documents_to_link(actor, service, document_ids) if document_ids is not None else None

    created = service is None
    if created:
        service = Service(key=key or _unique_key(Service, texts["name"][REFERENCE]), revision_count=0)
        db.session.add(service)
    service.texts = texts
    service.service_area = service_area
    service.position = max(position or 0, 0)
    existing = {link.criterion_id: link for link in service.links}
    kept = []
    for index, link in enumerate(links):
        row = existing.get(link.criterion_id) or ServiceCriterion(criterion=by_id[link.criterion_id])
        row.on_yes, row.on_no, row.on_unknown, row.position = link.on_yes, link.on_no, link.on_unknown, index
        kept.append(row)
    service.links = kept
    if documents is not None:
        service.documents = documents
    db.session.flush()
    _add_revision(actor, service)
    record_event(actor, "catalogue.create" if created else "catalogue.update", service)
    return service


def _documents_to_link(actor, service: Service | None, document_ids: list[int]) -> list[Document]:
    """The documents behind `document_ids`; one in the trash may stay linked but not be newly linked."""
    wanted = set(document_ids)
    documents = (
        db.session.scalars(
            select(Document).where(Document.id.in_(wanted)).options(selectinload(Document.shared_with))
        ).all()
        if wanted
        else []
    )
    already = {document.id for document in service.documents} if service is not None else set()
    usable = [
        document
        for document in documents
        if can(actor, "document.view", document)
        or (document.id in already and document.deleted_at is not None)
    ]
    if len(usable) != len(wanted):
        raise ValidationFailed(
            _l("A document was removed meanwhile. Check the related documents and save again."),
            "document_ids",
        )
    return sorted(usable, key=lambda document: (document.title, document.id))


def _add_revision(actor, service: Service) -> ServiceRevision:
    service.revision_count = (service.revision_count or 0) + 1
    revision = ServiceRevision(
        service=service, number=service.revision_count, snapshot=snapshot(service), author_id=actor.id
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def mark_reviewed(actor, service: Service) -> None:
    """Record that an organizer checked the service is still accurate today."""
    require(actor, "service.review", service)
    service.reviewed_at = utcnow()
    service.reviewed_by_id = actor.id
    db.session.flush()
    record_event(actor, "catalogue.review", service)


def withdraw_service(actor, service: Service) -> None:
    """Take a service out of the catalogue and the guide; its page and revisions stay for organizers."""
    require(actor, "service.withdraw", service)
    service.archived_at = utcnow()
    db.session.flush()
    record_event(actor, "catalogue.withdraw", service)


def restore_service(actor, service: Service) -> None:
    """Put a withdrawn service back in the catalogue and the guide."""
    require(actor, "service.restore", service)
    service.archived_at = None
    db.session.flush()
    record_event(actor, "catalogue.restore", service)


def save_criterion(actor, criterion: Criterion | None, *, texts: dict, position: int = 0, key=None):
    """Create or change an eligibility question (shared by every service that asks it).

    Raises ValidationFailed without the question in English.
    """
    require(actor, "catalogue.manage")
    texts = _clean_texts(texts, CRITERION_TEXTS)
    if not texts.get("question", {}).get(REFERENCE):
        raise ValidationFailed(_l("Write the question in English, the reference language."), "question_en")
    created = criterion is None
    if created:
        criterion = Criterion(key=key or _unique_key(Criterion, texts["question"][REFERENCE]))
        db.session.add(criterion)
    criterion.texts = texts
    criterion.position = max(position or 0, 0)
    db.session.flush()
    record_event(actor, "catalogue.criterion", criterion, question=texts["question"][REFERENCE])
    return criterion


# Reading.


def service_cards(withdrawn: bool = False) -> list:
    """What the catalogue's list shows of each service (or of each withdrawn one), with the number
    of criteria it asks counted in SQL: rows rather than records, in one query."""
    asked = (
        select(func.count())
        .where(ServiceCriterion.service_id == Service.id)
        .correlate(Service)
        .scalar_subquery()
    )
    return db.session.execute(
        select(
            Service.id,
            Service.texts,
            Service.service_area,
            Service.reviewed_at,
            Service.updated_at,
            asked.label("criteria_count"),
        )
        .where(Service.archived_at.is_not(None) if withdrawn else Service.archived_at.is_(None))
        .order_by(Service.position, Service.id)
    ).all()


def guide_questions() -> list[Criterion]:
    """The criteria the catalogue's services ask, each once, in the guide's order: one query."""
    asked = (
        select(ServiceCriterion.criterion_id)
        .join(Service, Service.id == ServiceCriterion.service_id)
        .where(Service.archived_at.is_(None))
    )
    return list(
        db.session.scalars(
            select(Criterion).where(Criterion.id.in_(asked)).order_by(Criterion.position, Criterion.id)
        )
    )


def guide_services(questions: list[Criterion]) -> list[GuideService]:
    """The catalogue's services as the guide weighs them, each with what its criteria's answers
    mean, in the catalogue's order: two queries of plain rows beside `questions` (guide_questions)."""
    services = (
        db.session.execute(
            select(Service.id, Service.key, Service.texts, Service.service_area)
            .where(Service.archived_at.is_(None))
            .order_by(Service.position, Service.id)
        )
        .tuples()
        .all()
    )
    by_criterion = {criterion.id: criterion for criterion in questions}
    links: dict[int, list[GuideLink]] = {}
    for row in db.session.execute(
        select(
            ServiceCriterion.service_id,
            ServiceCriterion.criterion_id,
            ServiceCriterion.on_yes,
            ServiceCriterion.on_no,
            ServiceCriterion.on_unknown,
        )
        .join(Service, Service.id == ServiceCriterion.service_id)
        .where(Service.archived_at.is_(None))
        .order_by(ServiceCriterion.service_id, ServiceCriterion.position)
    ).tuples():
        service_id, criterion_id, *outcomes = row
        links.setdefault(service_id, []).append(GuideLink(by_criterion[criterion_id], *outcomes))
    return [
        GuideService(service_id, key, texts or {}, area, links.get(service_id, []))
        for service_id, key, texts, area in services
    ]


def load_service(service_id: int) -> Service | None:
    """The service with its criteria, in one query (a service asks a handful)."""
    return (
        db.session.execute(
            select(Service)
            .where(Service.id == service_id)
            .options(joinedload(Service.links).joinedload(ServiceCriterion.criterion))
        )
        .unique()
        .scalar_one_or_none()
    )


def documents_for_service(viewer, service_id: int) -> list[Document]:
    """The documents linked to the service that `viewer` may see, by title: one query (two when
    some are shown). visible_to filters in SQL; permissions has the last word on each document."""
    if not can(viewer, "library.view"):
        return []
    documents = db.session.scalars(
        select(Document)
        .join(service_documents, service_documents.c.document_id == Document.id)
        .where(service_documents.c.service_id == service_id, visible_to(viewer))
        .options(selectinload(Document.shared_with))
        .order_by(Document.title, Document.id)
    ).all()
    return [document for document in documents if can(viewer, "document.view", document)]


def linkable_documents(service: Service | None) -> list:
    """The documents an organizer may link to `service` (id, title, visibility, deleted_at,
    collection), by collection and title: every live one, and those already linked (a linked
    document in the trash stays offered, so that saving does not drop it unseen)."""
    linked = [document.id for document in service.documents] if service is not None else []
    condition = Document.deleted_at.is_(None)
    if linked:
        condition = condition | Document.id.in_(linked)
    return db.session.execute(
        select(
            Document.id,
            Document.title,
            Document.visibility,
            Document.deleted_at,
            Collection.name.label("collection"),
        )
        .join(Collection, Collection.id == Document.collection_id)
        .where(condition)
        .order_by(Collection.name, Document.title, Document.id)
    ).all()


def all_criteria() -> list[Criterion]:
    return list(db.session.scalars(select(Criterion).order_by(Criterion.position, Criterion.id)))


def criteria_usage() -> dict[int, int]:
    """How many services ask each criterion, counted in SQL."""
    return dict(
        db.session.execute(
            select(ServiceCriterion.criterion_id, func.count()).group_by(ServiceCriterion.criterion_id)
        ).all()
    )


def revisions_of(service: Service) -> list[ServiceRevision]:
    return list(
        db.session.scalars(
            select(ServiceRevision)
            .where(ServiceRevision.service_id == service.id)
            .options(joinedload(ServiceRevision.author))
            .order_by(ServiceRevision.number.desc())
        )
    )


def revision_of(service: Service, number: int) -> ServiceRevision | None:
    return db.session.scalar(
        select(ServiceRevision)
        .where(ServiceRevision.service_id == service.id, ServiceRevision.number == number)
        .options(joinedload(ServiceRevision.author))
    )


@dataclass
class Gaps:
    """A record and, for each of its texts, the languages it still lacks."""

    record: object
    missing: dict[str, list[str]] = field(default_factory=dict)


def translation_gaps() -> tuple[list[Gaps], list[Gaps]]:
    """The services and the criteria with a text missing in French or Arabic (or English)."""

    def gaps(records, names):
        found = []
        for record in records:
            missing = {
                name: languages
                for name in names
                if (languages := missing_languages((record.texts or {}).get(name)))
            }
            if missing:
                found.append(Gaps(record, missing))
        return found

    services = db.session.scalars(select(Service).order_by(Service.position, Service.id)).all()
    return gaps(services, SERVICE_TEXTS), gaps(all_criteria(), CRITERION_TEXTS)
