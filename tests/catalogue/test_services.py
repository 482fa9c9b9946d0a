"""Keeping the catalogue: services in three languages, revisions, review, criteria, missing
translations, and what members read."""

import re

from flask_babel import force_locale, gettext
from sqlalchemy import select

from coordination.catalogue import rules
from coordination.catalogue.models import Criterion, Service, ServiceRevision
from coordination.extensions import db
from tests.catalogue.conftest import A, D, Q, make_criterion, make_service
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _service_form(criterion, **overrides) -> dict:
    data = {
        "service_area": "avrr",
        "position": "0",
        "name_en": "Assisted voluntary return",
        "name_fr": "Aide au retour volontaire",
        "name_ar": "العودة الطوعية المدعومة",
        "summary_en": "Counselling and the **ticket home**.",
        "summary_fr": "Conseil et **billet de retour**.",
        "contact_en": "IOM Egypt, +20 2 2736 5140",
        f"criterion_{criterion.id}_asked": "y",
        f"criterion_{criterion.id}_yes": "qualifies",
        f"criterion_{criterion.id}_no": "disqualifies",
        f"criterion_{criterion.id}_unknown": "ask",
    }
    data.update(overrides)
    return data


def test_organizer_adds_a_service_in_three_languages_with_a_criterion(client, organizer):
    criterion = make_criterion(organizer, "Does the person wish to return voluntarily?")
    login(client, organizer)
    response = client.post("/services/new", data=_service_form(criterion))
    assert response.status_code == 302
    service = db.session.scalar(select(Service))
    assert response.headers["Location"].endswith(f"/services/{service.id}")
    assert service.texts["name"] == {
        "en": "Assisted voluntary return",
        "fr": "Aide au retour volontaire",
        "ar": "العودة الطوعية المدعومة",
    }
    assert "ar" not in service.texts["summary"]  # a blank translation is not stored
    assert [(link.criterion_id, link.on_yes, link.on_no, link.on_unknown) for link in service.links] == [
        (criterion.id, Q, D, A)
    ]
    assert service.revision_count == 1
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "<strong>ticket home</strong>" in page
    assert "Does the person wish to return voluntarily?" in page


def test_a_service_without_an_english_name_is_refused_and_keeps_what_was_typed(client, organizer):
    criterion = make_criterion(organizer, "Is the person outside their country of origin?")
    login(client, organizer)
    response = client.post("/services/new", data=_service_form(criterion, name_en="  "))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give the service a name in English, the reference language." in page
    assert 'value="Aide au retour volontaire"' in page
    assert "Conseil et **billet de retour**." in page
    assert db.session.scalar(select(Service)) is None


def test_an_edit_makes_a_revision_and_the_earlier_text_stays_readable(client, organizer):
    criterion = make_criterion(organizer, "Is the person outside their country of origin?")
    service = make_service(
        organizer, "Health", [(criterion, Q, D, A)], service_area="health", summary={"en": "Primary care."}
    )
    login(client, organizer)
    response = client.post(
        f"/services/{service.id}/edit",
        data=_service_form(criterion, name_en="Health assistance", summary_en="Primary and urgent care."),
    )
    assert response.status_code == 302
    revisions = db.session.scalars(
        select(ServiceRevision)
        .where(ServiceRevision.service_id == service.id)
        .order_by(ServiceRevision.number)
    ).all()
    assert [revision.number for revision in revisions] == [1, 2]
    assert revisions[0].snapshot["texts"]["summary"] == {"en": "Primary care."}
    assert revisions[0].author_id == organizer.id

    assert "Primary and urgent care." in client.get(f"/services/{service.id}").get_data(as_text=True)
    earlier = client.get(f"/services/{service.id}/revisions/1").get_data(as_text=True)
    assert "Primary care." in earlier and "Primary and urgent care." not in earlier
    assert "earlier version" in earlier
    listing = client.get(f"/services/{service.id}/revisions").get_data(as_text=True)
    assert "Revision 2" in listing and "Revision 1" in listing


def test_mark_as_reviewed_shows_last_reviewed_on(client, organizer, member):
    service = make_service(organizer, "Localized assistance")
    login(client, organizer)
    assert "Last reviewed on" not in client.get(f"/services/{service.id}").get_data(as_text=True)
    assert client.post(f"/services/{service.id}/review").status_code == 302
    db.session.refresh(service)
    assert service.reviewed_by_id == organizer.id
    client.post("/logout")
    login(client, member)
    assert "Last reviewed on" in client.get(f"/services/{service.id}").get_data(as_text=True)


def test_readers_get_their_language_or_english_marked_as_not_yet_translated(client, organizer):
    service = make_service(
        organizer,
        "Localized assistance",
        summary={"en": "Direct help.", "fr": "Aide directe."},
    )
    service.texts = {**service.texts, "name": {"en": "Localized assistance", "fr": "Assistance localisée"}}
    db.session.commit()
    reader = make_user(preferred_language="fr")
    login(client, reader)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Assistance localisée" in page and "Aide directe." in page
    assert "pas encore traduit" not in page

    arabic = make_user(preferred_language="ar")
    client.post("/logout")
    login(client, arabic)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    with force_locale("ar"):
        mark = gettext("not yet translated")
    assert '<span lang="en" dir="auto">Localized assistance</span>' in page
    assert mark in page


def test_organizers_see_the_services_with_missing_translations(client, organizer, member):
    complete = {"en": "Health", "fr": "Santé", "ar": "الصحة"}
    make_service(organizer, "Health").texts = {"name": complete}
    gap = make_service(organizer, "Shelter", summary={"en": "Safe housing.", "fr": "Hébergement sûr."})
    db.session.commit()
    login(client, organizer)
    page = client.get("/services/translations").get_data(as_text=True)
    assert f'href="/services/{gap.id}/edit"' in page
    assert "Santé" not in page and ">Health<" not in page
    row = page[page.index(f'href="/services/{gap.id}/edit"') :]
    row = row[: row.index("</tr>")]
    assert "Arabic" in row and "French" in row  # the name lacks both; the summary lacks Arabic


def test_a_criterion_is_shared_and_edited_once_for_every_service(client, organizer):
    login(client, organizer)
    response = client.post(
        "/criteria/new",
        data={"question_en": "Is the person a victim of trafficking?", "question_ar": "هل الشخص ضحية اتجار؟"},
    )
    assert response.status_code == 302
    criterion = db.session.scalar(select(Criterion))
    assert criterion.texts["question"] == {
        "en": "Is the person a victim of trafficking?",
        "ar": "هل الشخص ضحية اتجار؟",
    }
    make_service(organizer, "Shelter", [(criterion, Q, D, A)])
    make_service(organizer, "Counselling", [(criterion, Q, A, A)])
    page = client.get("/criteria").get_data(as_text=True)
    row = page[page.index("Is the person a victim of trafficking?") :]
    assert "<td>2</td>" in row[: row.index("</tr>")]  # two services ask it
    criterion_id = criterion.id
    response = client.post(
        f"/criteria/{criterion_id}/edit",
        data={"question_en": "Has the person been trafficked?", "position": "2"},
    )
    assert response.status_code == 302
    for service in db.session.scalars(select(Service)):
        assert "Has the person been trafficked?" in client.get(f"/services/{service.id}").get_data(
            as_text=True
        )


def test_a_criterion_without_an_english_question_is_refused(client, organizer):
    login(client, organizer)
    page = client.post("/criteria/new", data={"question_fr": "La personne est-elle mineure ?"}).get_data(
        as_text=True
    )
    assert "Write the question in English, the reference language." in page
    assert 'value="La personne est-elle mineure ?"' in page


def test_the_catalogue_list_shows_an_empty_state(client, member):
    login(client, member)
    assert "No service is in the catalogue yet." in client.get("/services").get_data(as_text=True)


def test_the_catalogue_list_costs_the_same_queries_for_5_and_30_services(
    client, organizer, member, count_queries
):
    criterion = make_criterion(organizer, "Is the person outside their country of origin?")

    def add(count):
        for number in range(count):
            make_service(organizer, f"Service {number}", [(criterion, Q, D, A)])

    login(client, member)
    add(5)
    with count_queries() as few:
        assert client.get("/services").status_code == 200
    add(25)
    with count_queries() as many:
        page = client.get("/services").get_data(as_text=True)
    assert "Service 24" in page
    assert len(many) == len(few)


def test_a_change_to_a_service_shows_at_once_on_its_pages(client, organizer, member):
    criterion = make_criterion(organizer, "Is the person outside their country of origin?")
    service = make_service(organizer, "Health", [(criterion, Q, D, A)], service_area="health")
    login(client, member)
    assert "Health" in client.get("/services").get_data(as_text=True)
    assert "Health" in client.get(f"/services/{service.id}").get_data(as_text=True)
    assert criterion.texts["question"]["en"] in client.get("/guide").get_data(as_text=True)
    rules.save_service(
        organizer,
        service,
        texts={"name": {"en": "Health assistance"}},
        service_area="health",
        links=[],
    )
    db.session.commit()
    assert "Health assistance" in client.get("/services").get_data(as_text=True)
    assert "No criteria: ask IOM" in client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "The catalogue has no eligibility criteria yet" in client.get("/guide").get_data(as_text=True)


def test_each_organizer_reviews_a_service_with_their_own_csrf_token(csrf_app, organizer):
    service = make_service(organizer, "Health", service_area="health")
    colleague = make_user(role="organizer", email="second.organizer@iom.example")
    for person in (organizer, colleague):
        client = csrf_app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        client.post("/login", data={"email": person.email, "password": PASSWORD, "csrf_token": token})
        page = client.get(f"/services/{service.id}").get_data(as_text=True)
        form = page[page.index(f'action="/services/{service.id}/review"') :]
        review_token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        response = client.post(f"/services/{service.id}/review", data={"csrf_token": review_token})
        assert response.status_code == 302
        db.session.refresh(service)
        assert service.reviewed_by_id == person.id


def test_a_withdrawn_service_leaves_the_catalogue_and_the_guide_until_restored(client, organizer, member):
    criterion = make_criterion(organizer, "Does the person wish to return voluntarily?")
    service = make_service(organizer, "AVRR", [(criterion, Q, D, A)], service_area="avrr")
    make_service(organizer, "Health", service_area="health")
    login(client, organizer)
    assert "Withdraw the service?" in client.get(f"/services/{service.id}/withdraw").get_data(as_text=True)
    assert db.session.get(Service, service.id).archived_at is None  # asked, not done
    assert client.post(f"/services/{service.id}/withdraw").status_code == 302
    listing = client.get("/services").get_data(as_text=True)
    assert "Withdrawn services" in listing and "AVRR" in listing
    assert "members and the guide no longer see this service" in client.get(
        f"/services/{service.id}"
    ).get_data(as_text=True)

    client.post("/logout")
    login(client, member)
    listing = client.get("/services").get_data(as_text=True)
    assert "AVRR" not in listing and "Health" in listing
    assert client.get(f"/services/{service.id}").status_code == 404
    guide = client.get("/guide").get_data(as_text=True)
    assert "Does the person wish to return voluntarily?" not in guide

    client.post("/logout")
    login(client, organizer)
    assert client.post(f"/services/{service.id}/restore").status_code == 302
    client.post("/logout")
    login(client, member)
    assert "AVRR" in client.get("/services").get_data(as_text=True)
    assert "Does the person wish to return voluntarily?" in client.get("/guide").get_data(as_text=True)
