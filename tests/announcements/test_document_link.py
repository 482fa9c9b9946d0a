"""An announcement may point to a library document that every member may see: shown in the list,
on its page, on the home page, in the mail and in the Atom feed, and only to readers who may still
see it once it is restricted."""

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from coordination.announcements import rules
from coordination.announcements.models import Announcement
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.library import rules as library_rules
from coordination.library.models import Document, DocumentOrganization
from coordination.mail.models import OutboxMessage
from tests.conftest import body_text, login
from tests.library.conftest import make_collection, make_document, sign_in_as

ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = {"title_en": "Second roundtable in February", "body_en": "The agenda is out."}
GUIDE = "Health services for migrants in Cairo"


@pytest.fixture
def documents(organizer, organization):
    collection = make_collection(name="Meeting materials")
    return {
        "open": make_document(organizer, collection, title=GUIDE),
        "shared": make_document(
            organizer,
            collection,
            title="Notes for Sudan",
            visibility="organizations",
            shared_with=[organization],
        ),
        "internal": make_document(organizer, collection, title="Internal budget", visibility="organizers"),
        "held": make_document(organizer, collection, title="Held for review", status="review"),
    }


def _post(organizer, document):
    announcement, _queued = rules.post_announcement(
        organizer, texts={"title": {"en": "News"}, "body": {"en": "Text."}}, document_id=document.id
    )
    db.session.commit()
    return announcement


def _feed_links(client) -> list[dict]:
    feed = ET.fromstring(client.get("/announcements.atom").data)  # noqa: S314 - our own response
    return [link.attrib for link in feed.iter(f"{ATOM}link") if link.get("rel") == "related"]


def test_organizer_links_a_document_for_all_members_and_every_page_shows_it(
    client, runner, organizer, member, other_focal_point, documents, smtp_server
):
    login(client, organizer)
    form = client.get("/announcements/new").get_data(as_text=True)
    assert GUIDE in form
    assert "Notes for Sudan" not in form and "Internal budget" not in form and "Held for review" not in form
    response = client.post(
        "/announcements/new", data={**NEWS, "document_id": str(documents["open"].id), "mail_members": "y"}
    )
    assert response.status_code == 302
    announcement = db.session.scalar(select(Announcement))
    assert announcement.document_id == documents["open"].id
    link = f'href="/library/documents/{documents["open"].id}"'

    sign_in_as(client, other_focal_point)
    assert link in client.get("/announcements").get_data(as_text=True)
    assert link in client.get(f"/announcements/{announcement.id}").get_data(as_text=True)
    assert link in client.get("/").get_data(as_text=True)
    assert _feed_links(client) == [
        {
            "rel": "related",
            "href": f"http://roundtable.test/library/documents/{documents['open'].id}",
            "title": GUIDE,
        }
    ]

    runner.invoke(args=["outbox", "send"])
    received = smtp_server.wait_for(3)
    assert received
    for message in received:
        text = body_text(message)
        assert GUIDE in text and f"/library/documents/{documents['open'].id}" in text


@pytest.mark.parametrize("which", ["shared", "internal", "held"])
def test_a_document_not_every_member_sees_is_refused_and_what_was_typed_stays(
    client, organizer, documents, which
):
    login(client, organizer)
    response = client.post("/announcements/new", data={**NEWS, "document_id": str(documents[which].id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose a document that every member may see" in page
    assert 'value="Second roundtable in February"' in page
    assert "The agenda is out." in page
    assert db.session.scalar(select(func.count(Announcement.id))) == 0


def test_the_rule_refuses_a_trashed_or_unknown_document_on_edit_too(organizer, documents):
    announcement = _post(organizer, documents["open"])
    library_rules.trash_document(organizer, db.session.get(Document, documents["open"].id))
    db.session.commit()
    for document_id in (documents["open"].id, 999999):
        with pytest.raises(ValidationFailed) as refused:
            rules.update_announcement(
                organizer,
                announcement,
                texts={"title": {"en": "News"}, "body": {"en": "Text."}},
                document_id=document_id,
            )
        assert refused.value.field == "document_id"
        db.session.rollback()


def test_a_document_restricted_later_shows_its_title_only_to_those_who_still_see_it(
    client, runner, organizer, member, other_focal_point, organization, documents, smtp_server
):
    announcement = _post(organizer, documents["open"])
    document = db.session.get(Document, documents["open"].id)
    document.visibility = "organizations"
    document.shared_with = []
    db.session.commit()
    # Restricted to the organizer's own organization (IOM): the embassies no longer see it.
    for reader in (member, other_focal_point):
        sign_in_as(client, reader)
        for path in ("/announcements", f"/announcements/{announcement.id}", "/"):
            assert GUIDE not in client.get(path).get_data(as_text=True), (reader.email, path)
        assert _feed_links(client) == []
    sign_in_as(client, organizer)
    assert GUIDE in client.get("/announcements").get_data(as_text=True)
    assert [link["title"] for link in _feed_links(client)] == [GUIDE]

    # An organizer editing it sees why it can no longer point there.
    page = client.post(
        f"/announcements/{announcement.id}/edit",
        data={"title_en": "News", "body_en": "Text.", "document_id": str(document.id)},
    ).get_data(as_text=True)
    assert "Choose a document that every member may see" in page


def test_the_mail_leaves_the_document_out_for_a_member_who_may_not_see_it(
    client, organizer, member, other_focal_point, documents
):
    # The rule only lets organizers link documents for all members; the mail checks each person anyway.
    announcement = _post(organizer, documents["open"])
    announcement.document_id = documents["shared"].id
    rules._mail_members(announcement)
    db.session.commit()
    bodies = dict(db.session.execute(select(OutboxMessage.recipient, OutboxMessage.body_text)).all())
    assert "Notes for Sudan" in bodies[member.email]
    assert "Notes for Sudan" not in bodies[other_focal_point.email]


def test_a_purged_document_leaves_the_announcement_without_a_link(organizer, documents):
    announcement = _post(organizer, documents["open"])
    document = db.session.get(Document, documents["open"].id)
    db.session.delete(document)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Announcement, announcement.id).document_id is None


def test_the_list_home_and_feed_cost_the_same_queries_with_1_and_10_linked_documents(
    client, organizer, other_focal_point, count_queries
):
    collection = make_collection(name="Guides")
    documents = [make_document(organizer, collection, title=f"Guide {number}") for number in range(10)]

    def post_then_restrict(document):
        # Restricted after posting to the reader's organization: deciding reads whom it is shared with.
        _post(organizer, document)
        document.visibility = "organizations"
        document.shared_with = [DocumentOrganization(organization_id=other_focal_point.organization_id)]
        db.session.commit()

    login(client, other_focal_point)
    client.get("/")  # the first view of the session reads what every later view has kept
    post_then_restrict(documents[0])  # each measure follows a change: the pages are rendered anew

    def counts(expected: str) -> list[int]:
        found = []
        for path in ("/announcements", "/", "/announcements.atom"):
            with count_queries() as statements:
                assert expected in client.get(path).get_data(as_text=True), path
            found.append(len(statements))
        return found

    one = counts("Guide 0")
    for document in documents[1:]:
        post_then_restrict(document)
    assert counts("Guide 9") == one
