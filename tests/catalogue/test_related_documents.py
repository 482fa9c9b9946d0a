"""A service's related library documents: picked in the service form, listed on its page as far as
each reader may see them in the library, kept in its revisions, gone with a purged document; and
the free text typed before stays readable as "other references"."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coordination.catalogue import rules
from coordination.catalogue.models import Service, ServiceRevision, service_documents
from coordination.extensions import db
from coordination.library import rules as library_rules
from coordination.library.models import Document
from coordination.timeutil import utcnow
from tests.catalogue.conftest import make_service
from tests.conftest import login
from tests.library.conftest import make_collection, make_document, sign_in_as

CONFIDENTIAL = "Case notes on stranded nationals"


@pytest.fixture
def library(organizer, focal_point, organization):
    """An open document, one shared with the Sudanese embassy only, and one for organizers."""
    collection = make_collection(name="Service guides")
    return {
        "open": make_document(organizer, collection, title="AVRR referral form"),
        "confidential": make_document(
            organizer, collection, title=CONFIDENTIAL, visibility="organizations", shared_with=[organization]
        ),
        "internal": make_document(organizer, collection, title="Internal budget", visibility="organizers"),
    }


def _link(organizer, service, *documents, **texts):
    rules.save_service(
        organizer,
        service,
        texts={"name": {"en": service.name}, **texts},
        service_area=service.service_area,
        links=[],
        document_ids=[document.id for document in documents],
    )
    db.session.commit()


def _form(**overrides) -> dict:
    data = {"service_area": "avrr", "position": "0", "name_en": "Assisted voluntary return"}
    data.update(overrides)
    return data


def test_organizer_picks_documents_in_the_form_and_the_page_links_to_the_library(
    client, organizer, member, library
):
    login(client, organizer)
    form = client.get("/services/new").get_data(as_text=True)
    assert 'id="document_ids" multiple name="document_ids"' in form
    assert "AVRR referral form · all members" in form
    assert f"{CONFIDENTIAL} · chosen organizations" in form
    response = client.post(
        "/services/new",
        data=_form(document_ids=[str(library["open"].id), str(library["confidential"].id)]),
    )
    assert response.status_code == 302
    service = db.session.scalar(select(Service))
    assert [document.title for document in service.documents] == ["AVRR referral form", CONFIDENTIAL]

    edit = client.get(f"/services/{service.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{library["open"].id}">' in edit

    sign_in_as(client, member)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Related documents" in page
    assert f'href="/library/documents/{library["open"].id}"' in page
    assert (
        f'href="/library/documents/{library["confidential"].id}"' in page
    )  # shared with the member's embassy


def test_a_confidential_document_is_never_shown_to_another_organization_nor_anonymously(
    client, public_catalogue, organizer, member, other_focal_point, library
):
    service = make_service(organizer, "Assisted voluntary return", service_area="avrr")
    _link(organizer, service, library["open"], library["confidential"], library["internal"])

    login(client, member)  # the embassy it is shared with sees it, not the organizers' one
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert CONFIDENTIAL in page and "AVRR referral form" in page
    assert "Internal budget" not in page

    sign_in_as(client, other_focal_point)  # right after the member's view
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "AVRR referral form" in page
    assert CONFIDENTIAL not in page and f"/library/documents/{library['confidential'].id}" not in page
    assert "Internal budget" not in page

    client.post("/logout")  # the public catalogue: the library shows nothing to anonymous visitors
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Assisted voluntary return" in page
    assert "/library/documents/" not in page
    assert CONFIDENTIAL not in page and "AVRR referral form" not in page and "Internal budget" not in page
    assert "Related documents" not in page

    sign_in_as(client, organizer)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert CONFIDENTIAL in page and "Internal budget" in page


def test_a_document_restricted_later_leaves_the_service_page_at_once(
    client, organizer, other_focal_point, library
):
    service = make_service(organizer, "Health", service_area="health")
    _link(organizer, service, library["open"])
    login(client, other_focal_point)
    assert "AVRR referral form" in client.get(f"/services/{service.id}").get_data(as_text=True)

    document = db.session.get(Document, library["open"].id)
    document.visibility = "organizers"
    db.session.commit()
    assert "AVRR referral form" not in client.get(f"/services/{service.id}").get_data(as_text=True)

    document.visibility = "members"
    document.title = "AVRR referral form, 2027 edition"
    db.session.commit()
    assert "AVRR referral form, 2027 edition" in client.get(f"/services/{service.id}").get_data(as_text=True)


def test_a_trashed_document_disappears_and_a_purged_one_takes_its_link_along(
    client, organizer, member, library
):
    service = make_service(organizer, "Health", service_area="health")
    _link(organizer, service, library["open"], library["confidential"])
    login(client, member)
    assert "AVRR referral form" in client.get(f"/services/{service.id}").get_data(as_text=True)

    library_rules.trash_document(organizer, db.session.get(Document, library["open"].id))
    db.session.commit()
    assert "AVRR referral form" not in client.get(f"/services/{service.id}").get_data(as_text=True)

    # The organizer's form still offers it, marked, so that saving does not drop the link unseen.
    sign_in_as(client, organizer)
    form = client.get(f"/services/{service.id}/edit").get_data(as_text=True)
    assert "AVRR referral form · all members · in the trash" in form

    document = db.session.get(Document, library["open"].id)
    document.deleted_at = utcnow() - timedelta(days=31)
    db.session.commit()
    removed, _files = library_rules.purge_trash()
    db.session.commit()
    assert removed == 1
    linked = db.session.scalars(
        select(service_documents.c.document_id).where(service_documents.c.service_id == service.id)
    ).all()
    assert linked == [library["confidential"].id]
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert CONFIDENTIAL in page and "AVRR referral form" not in page
    # The revision still says what was linked then.
    revision = db.session.scalar(
        select(ServiceRevision).where(ServiceRevision.service_id == service.id, ServiceRevision.number == 2)
    )
    assert "AVRR referral form" in client.get(f"/services/{service.id}/revisions/2").get_data(as_text=True)
    assert [item["title"] for item in revision.snapshot["documents"]] == ["AVRR referral form", CONFIDENTIAL]


def test_each_revision_records_the_linked_documents(client, organizer, library):
    service = make_service(organizer, "Health", service_area="health")
    _link(organizer, service, library["open"])
    _link(organizer, service)
    revisions = {
        revision.number: revision.snapshot
        for revision in db.session.scalars(
            select(ServiceRevision).where(ServiceRevision.service_id == service.id)
        )
    }
    assert revisions[1]["documents"] == []
    assert revisions[2]["documents"] == [{"document_id": library["open"].id, "title": "AVRR referral form"}]
    assert revisions[3]["documents"] == []
    login(client, organizer)
    assert "AVRR referral form" in client.get(f"/services/{service.id}/revisions/2").get_data(as_text=True)
    assert "No linked document." in client.get(f"/services/{service.id}/revisions/3").get_data(as_text=True)


def test_a_document_unknown_to_the_form_is_refused_and_what_was_typed_stays(client, organizer, library):
    login(client, organizer)
    response = client.post(
        "/services/new",
        data=_form(name_fr="Aide au retour volontaire", document_ids=[str(library["open"].id), "999999"]),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "not a valid choice" in page
    assert 'value="Aide au retour volontaire"' in page
    assert db.session.scalar(select(func.count(Service.id))) == 0


def test_the_rule_refuses_a_document_gone_meanwhile(organizer, library):
    from coordination.errors import ValidationFailed

    library_rules.trash_document(organizer, db.session.get(Document, library["open"].id))
    db.session.commit()
    with pytest.raises(ValidationFailed):
        rules.save_service(
            organizer,
            None,
            texts={"name": {"en": "Health"}},
            service_area="health",
            links=[],
            document_ids=[library["open"].id],
        )


def test_other_references_show_beside_the_links_in_the_readers_language(client, organizer, member, library):
    service = make_service(organizer, "AVRR", service_area="avrr")
    _link(
        organizer,
        service,
        library["open"],
        other_references={"en": "The reintegration partners' list", "fr": "La liste des partenaires"},
    )
    member.preferred_language = "fr"
    db.session.commit()
    login(client, member)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "La liste des partenaires" in page
    assert "AVRR referral form" in page


def test_the_documents_cost_the_same_queries_for_1_and_10_linked(client, organizer, member, count_queries):
    collection = make_collection(name="Guides")
    documents = [make_document(organizer, collection, title=f"Guide {number}") for number in range(10)]
    few = make_service(organizer, "Few", service_area="health")
    many = make_service(organizer, "Many", service_area="health")
    _link(organizer, few, documents[0])
    _link(organizer, many, *documents)
    login(client, member)
    with count_queries() as one:
        assert "Guide 0" in client.get(f"/services/{few.id}").get_data(as_text=True)
    with count_queries() as ten:
        assert "Guide 9" in client.get(f"/services/{many.id}").get_data(as_text=True)
    assert len(ten) == len(one)
