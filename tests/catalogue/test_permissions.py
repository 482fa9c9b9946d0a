"""Who may do what in the catalogue, the guide and the announcements: every route × role, with the
catalogue private (the default) and public (CATALOGUE_PUBLIC), and the policy functions alone."""

from dataclasses import replace

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from coordination.announcements import rules as announcement_rules
from coordination.announcements.feed import feed_key
from coordination.announcements.models import Announcement
from coordination.catalogue import rules as catalogue_rules
from coordination.catalogue.models import (
    Criterion,
    Service,
    ServiceCriterion,
    ServiceRevision,
    service_documents,
)
from coordination.extensions import db
from coordination.policy import can
from tests.catalogue.conftest import A, D, Q, make_criterion, make_service
from tests.library.conftest import make_collection, make_document
from tests.matrix import (
    EVERYONE_200,
    LOGIN,
    ORGANIZER_200,
    ORGANIZER_ONLY,
    SIGNED_IN_200,
    Case,
    Redirect,
    check,
    check_paths,
    database_state,
    params,
)

SIGNED_IN_404 = (LOGIN, 404, 404, 404, 404)
GUIDE_STEP = {"step": "0", "action": "next", "answer-{criterion}": "yes"}

CASES = [
    # The catalogue, for members.
    Case("catalogue.index", "GET", "/services", SIGNED_IN_200),
    Case("catalogue.detail", "GET", "/services/{service}", SIGNED_IN_200),
    Case("catalogue.detail", "GET", "/services/999999", SIGNED_IN_404, note="unknown"),
    Case("catalogue.eligibility_guide", "GET", "/guide", SIGNED_IN_200),
    Case("catalogue.eligibility_guide", "POST", "/guide", SIGNED_IN_200, data=GUIDE_STEP),
    # Keeping it, for organizers.
    Case("catalogue.create", "GET", "/services/new", ORGANIZER_200),
    Case("catalogue.create", "POST", "/services/new", ORGANIZER_200, data={"name_en": ""}),
    Case("catalogue.edit", "GET", "/services/{service}/edit", ORGANIZER_200),
    Case("catalogue.edit", "POST", "/services/{service}/edit", ORGANIZER_200, data={"name_en": ""}),
    Case("catalogue.edit", "GET", "/services/999999/edit", SIGNED_IN_404, note="unknown"),
    Case(
        "catalogue.edit",
        "POST",
        "/services/{service}/edit",
        (*ORGANIZER_ONLY, Redirect("/services/{service}")),
        data={"name_en": "Localized assistance", "service_area": "avrr", "document_ids": "{confidential}"},
        note="linking a confidential document",
    ),
    Case(
        "catalogue.review",
        "POST",
        "/services/{service}/review",
        (*ORGANIZER_ONLY, Redirect("/services/{service}")),
    ),
    Case(
        "catalogue.detail",
        "GET",
        "/services/{withdrawn_service}",
        (LOGIN, 404, 404, 404, 200),
        note="a withdrawn service is hidden from all but organizers",
    ),
    Case("catalogue.withdraw", "GET", "/services/{service}/withdraw", ORGANIZER_200),
    Case(
        "catalogue.withdraw",
        "POST",
        "/services/{service}/withdraw",
        (*ORGANIZER_ONLY, Redirect("/services/{service}")),
    ),
    Case(
        "catalogue.withdraw",
        "GET",
        "/services/{withdrawn_service}/withdraw",
        (LOGIN, 404, 404, 404, 403),
        note="already withdrawn",
    ),
    Case(
        "catalogue.restore",
        "POST",
        "/services/{withdrawn_service}/restore",
        (LOGIN, 404, 404, 404, Redirect("/services/{withdrawn_service}")),
    ),
    Case(
        "catalogue.restore",
        "POST",
        "/services/{service}/restore",
        (LOGIN, 403, 403, 403, 403),
        note="not withdrawn",
    ),
    Case(
        "catalogue.revisions",
        "GET",
        "/services/{withdrawn_service}/revisions",
        (LOGIN, 404, 404, 404, 200),
        note="withdrawn",
    ),
    Case("catalogue.revisions", "GET", "/services/{service}/revisions", ORGANIZER_200),
    Case("catalogue.revision", "GET", "/services/{service}/revisions/1", ORGANIZER_200),
    Case(
        "catalogue.revision",
        "GET",
        "/services/{service}/revisions/99",
        (*ORGANIZER_ONLY, 404),
        note="no such revision",
    ),
    Case("catalogue.translations", "GET", "/services/translations", ORGANIZER_200),
    Case("catalogue.criteria", "GET", "/criteria", ORGANIZER_200),
    Case("catalogue.create_criterion", "GET", "/criteria/new", ORGANIZER_200),
    Case("catalogue.create_criterion", "POST", "/criteria/new", ORGANIZER_200, data={"question_en": ""}),
    Case("catalogue.edit_criterion", "GET", "/criteria/{criterion}/edit", ORGANIZER_200),
    Case(
        "catalogue.edit_criterion",
        "POST",
        "/criteria/{criterion}/edit",
        ORGANIZER_200,
        data={"question_en": ""},
    ),
    Case("catalogue.edit_criterion", "GET", "/criteria/999999/edit", (*ORGANIZER_ONLY, 404), note="unknown"),
    # Announcements.
    Case("announcements.index", "GET", "/announcements", SIGNED_IN_200),
    Case("announcements.detail", "GET", "/announcements/{announcement}", SIGNED_IN_200),
    Case("announcements.detail", "GET", "/announcements/999999", SIGNED_IN_404, note="unknown"),
    Case("announcements.create", "GET", "/announcements/new", ORGANIZER_200),
    Case("announcements.create", "POST", "/announcements/new", ORGANIZER_200, data={"title_en": ""}),
    Case(
        "announcements.create",
        "POST",
        "/announcements/new",
        ORGANIZER_200,
        data={"title_en": "News", "body_en": "Text.", "document_id": "{confidential}"},
        note="a document not every member sees: a form error",
    ),
    Case(
        "announcements.create",
        "POST",
        "/announcements/new",
        (*ORGANIZER_ONLY, Redirect("/announcements/")),
        data={"title_en": "News", "body_en": "Text.", "document_id": "{open_document}"},
        note="a document for all members",
    ),
    Case(
        "announcements.edit",
        "POST",
        "/announcements/{announcement}/edit",
        ORGANIZER_200,
        data={"title_en": "News", "body_en": "Text.", "document_id": "{confidential}"},
        note="a document not every member sees: a form error",
    ),
    Case("announcements.edit", "GET", "/announcements/{announcement}/edit", ORGANIZER_200),
    Case(
        "announcements.edit",
        "POST",
        "/announcements/{announcement}/edit",
        ORGANIZER_200,
        data={"title_en": "Only a title"},
    ),
    Case("announcements.delete", "GET", "/announcements/{announcement}/delete", ORGANIZER_200),
    Case(
        "announcements.delete",
        "POST",
        "/announcements/{announcement}/delete",
        (*ORGANIZER_ONLY, Redirect("/announcements")),
    ),
    Case(
        "announcements.atom",
        "GET",
        "/announcements.atom",
        (404, 200, 200, 200, 200),
        note="signed in, or a feed reader with its key",
    ),
    Case("announcements.atom", "GET", "/announcements.atom?key={feed_key}", EVERYONE_200, note="a key"),
    Case(
        "announcements.atom",
        "GET",
        "/announcements.atom?key=forged",
        (404, 200, 200, 200, 200),
        note="a forged key finds nothing",
    ),
]

# The same routes with CATALOGUE_PUBLIC on: reading and the guide need no account; keeping does.
PUBLIC_CASES = [
    Case("catalogue.index", "GET", "/services", EVERYONE_200, note="public"),
    Case("catalogue.detail", "GET", "/services/{service}", EVERYONE_200, note="public"),
    Case("catalogue.detail", "GET", "/services/999999", (404,) * 5, note="public, unknown"),
    Case("catalogue.eligibility_guide", "GET", "/guide", EVERYONE_200, note="public"),
    Case("catalogue.eligibility_guide", "POST", "/guide", EVERYONE_200, data=GUIDE_STEP, note="public"),
    Case(
        "catalogue.detail",
        "GET",
        "/services/{withdrawn_service}",
        (404, 404, 404, 404, 200),
        note="public, withdrawn",
    ),
    Case("catalogue.create", "GET", "/services/new", ORGANIZER_200, note="public"),
    Case("catalogue.edit", "POST", "/services/{service}/edit", ORGANIZER_200, data={"name_en": ""}),
    Case(
        "catalogue.review",
        "POST",
        "/services/{service}/review",
        (*ORGANIZER_ONLY, Redirect("/services/{service}")),
        note="public",
    ),
    Case("catalogue.revisions", "GET", "/services/{service}/revisions", ORGANIZER_200, note="public"),
    Case("catalogue.translations", "GET", "/services/translations", ORGANIZER_200, note="public"),
    Case("catalogue.criteria", "GET", "/criteria", ORGANIZER_200, note="public"),
    Case("announcements.index", "GET", "/announcements", SIGNED_IN_200, note="announcements stay private"),
]


@pytest.fixture
def records(organization, other_organization, organizer, focal_point, member, other_focal_point):
    """Two criteria, a service asking both (saved twice: two revisions), and an announcement."""
    outside = make_criterion(organizer, "Is the person outside their country of origin?")
    vulnerable = make_criterion(organizer, "Is the person in a vulnerable situation?", position=1)
    service = make_service(organizer, "Localized assistance", [(outside, Q, D, A), (vulnerable, Q, D, A)])
    withdrawn = make_service(organizer, "Former service", [(outside, Q, D, A)])
    catalogue_rules.withdraw_service(organizer, withdrawn)
    collection = make_collection()
    confidential = make_document(
        focal_point,
        collection,
        title="For Sudan only",
        visibility="organizations",
        shared_with=[organization],
    )
    open_document = make_document(organizer, collection, title="For every member")
    announcement, _queued = announcement_rules.post_announcement(
        organizer, texts={"title": {"en": "Second roundtable"}, "body": {"en": "In February."}}
    )
    db.session.commit()
    users = {
        "member": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organizer": organizer,
    }
    ids = {
        "service": service.id,
        "withdrawn_service": withdrawn.id,
        "criterion": outside.id,
        "announcement": announcement.id,
        "feed_key": feed_key(member),
        "confidential": confidential.id,
        "open_document": open_document.id,
    }
    return {"users": users, "ids": ids}


def catalogue_state():
    """The database as a refused request must leave it, the catalogue's tables included."""
    state = database_state()
    for model in (Service, ServiceRevision, Criterion, ServiceCriterion, Announcement):
        state[model.__tablename__] = db.session.scalar(select(func.count()).select_from(model))
    state["service_texts"] = db.session.execute(
        select(Service.id, Service.texts, Service.reviewed_at, Service.archived_at).order_by(Service.id)
    ).all()
    state["announcement_texts"] = db.session.execute(
        select(Announcement.id, Announcement.texts, Announcement.document_id).order_by(Announcement.id)
    ).all()
    state["service_documents"] = db.session.execute(
        select(service_documents).order_by(service_documents.c.service_id, service_documents.c.document_id)
    ).all()
    return state


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(app, client, records, case, role, expected):
    check(client, records, case, role, expected, catalogue_state)


@pytest.mark.parametrize(("case", "role", "expected"), list(params(PUBLIC_CASES)))
def test_permission_matrix_with_a_public_catalogue(public_catalogue, client, records, case, role, expected):
    check(client, records, case, role, expected, catalogue_state)


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    # The router matches the path alone; the feed's key is in the query string.
    check_paths(app, records, [replace(case, path=case.path.split("?")[0]) for case in CASES + PUBLIC_CASES])


def test_navigation_shows_the_catalogue_to_anonymous_visitors_only_when_public(client, public_catalogue):
    link = 'href="/services">Services</a>'
    public_catalogue.config["CATALOGUE_PUBLIC"] = False
    assert link not in client.get("/login").get_data(as_text=True)
    public_catalogue.config["CATALOGUE_PUBLIC"] = True
    assert link in client.get("/login").get_data(as_text=True)


# The record an action is asked about; the others concern the catalogue as a whole.
RECORD_OF = {
    "service.view_revisions": Service,
    "service.review": Service,
    "announcement.delete": Announcement,
}


@pytest.mark.parametrize(
    ("actor", "action", "allowed"),
    [
        ("anonymous", "catalogue.view", False),
        ("member", "catalogue.view", True),
        ("anonymous", "catalogue.use_guide", False),
        ("focal_point", "catalogue.use_guide", True),
        ("member", "catalogue.manage", False),
        ("focal_point", "catalogue.manage", False),
        ("organizer", "catalogue.manage", True),
        ("focal_point", "service.view_revisions", False),
        ("organizer", "service.view_revisions", True),
        ("member", "service.review", False),
        ("organizer", "service.review", True),
        ("member", "service.view_withdrawn", False),
        ("organizer", "service.view_withdrawn", True),
        ("anonymous", "announcement.view", False),
        ("member", "announcement.view", True),
        ("member", "announcement.create", False),
        ("organizer", "announcement.create", True),
        ("focal_point", "announcement.delete", False),
        ("organizer", "announcement.delete", True),
    ],
)
def test_can_decides_catalogue_actions(request, actor, action, allowed):
    person = AnonymousUserMixin() if actor == "anonymous" else request.getfixturevalue(actor)
    records = [RECORD_OF[action]()] if action in RECORD_OF else []
    assert can(person, action, *records) is allowed


def test_a_public_catalogue_opens_reading_and_the_guide_only(public_catalogue):
    anonymous = AnonymousUserMixin()
    assert can(anonymous, "catalogue.view") is True
    assert can(anonymous, "catalogue.use_guide") is True
    assert can(anonymous, "catalogue.manage") is False
    assert can(anonymous, "service.view_revisions", Service()) is False
    assert can(anonymous, "announcement.view") is False


@pytest.mark.parametrize(
    ("actor", "document", "allowed"),
    [
        ("organizer", {}, True),
        ("member", {}, False),
        ("focal_point", {}, False),
        ("organizer", {"visibility": "organizers"}, False),
        ("organizer", {"visibility": "organizations"}, False),
        ("organizer", {"status": "review"}, False),
        ("organizer", {"status": "checking"}, False),
        ("organizer", {"deleted_at": "now"}, False),
    ],
)
def test_announcements_link_only_documents_every_member_sees(request, organizer, actor, document, allowed):
    from coordination.timeutil import utcnow

    fields = {key: utcnow() if value == "now" else value for key, value in document.items()}
    linked = make_document(organizer, make_collection(), **fields)
    assert can(request.getfixturevalue(actor), "announcement.link_document", linked) is allowed
    assert can(AnonymousUserMixin(), "announcement.link_document", linked) is False
