"""The organizations list, page, and their creation, editing and deactivation by organizers."""

from coordination.audit.models import AuditEvent
from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.extensions import db
from tests.conftest import login
from tests.factories import make_organization, make_user

NEW_EMBASSY = {
    "name": "Embassy of Chad",
    "kind": "embassy",
    "country": "TD",
    "city": "Cairo",
    "email": "",
    "phone": "",
}


def test_list_filters_by_kind_country_and_search(client, member):
    make_organization(name="Embassy of Yemen", country="YE")
    make_organization(name="UNHCR Egypt", kind="un_agency", country="EG", city="Cairo")
    make_organization(name="Caritas Alexandria", kind="ngo", country="EG", city="Alexandria")
    login(client, member)

    def names(query: str) -> list[str]:
        page = client.get("/organizations" + query).get_data(as_text=True)
        listed = ("Caritas Alexandria", "Embassy of Sudan", "Embassy of Yemen", "UNHCR Egypt")
        return [name for name in listed if f">{name}</a>" in page]

    assert names("?kind=un_agency") == ["UNHCR Egypt"]
    assert names("?country=YE") == ["Embassy of Yemen"]
    assert names("?q=alexandria") == ["Caritas Alexandria"]
    assert names("?q=EMBASSY") == ["Embassy of Sudan", "Embassy of Yemen"]


def test_list_paginates_by_25(client, member):
    db.session.add_all(Organization(name=f"Org {n:03}", kind="ngo") for n in range(60))
    db.session.commit()
    login(client, member)
    first = client.get("/organizations").get_data(as_text=True)
    third = client.get("/organizations?page=3").get_data(as_text=True)
    # The member's own "Embassy of Sudan" sorts first, so page 1 ends at Org 023.
    assert ">Org 023</a>" in first and ">Org 024</a>" not in first
    assert ">Org 049</a>" in third and ">Org 059</a>" in third and ">Org 048</a>" not in third
    assert "61 organizations" in first  # 60 and the member's own


def test_empty_result_shows_a_way_back(client, member):
    login(client, member)
    page = client.get("/organizations?q=no+such+thing").get_data(as_text=True)
    assert "No organization matches these filters." in page


def test_inactive_organizations_are_hidden_from_members(client, member, organizer):
    hidden = make_organization(name="Closed Mission", active=False)
    login(client, member)
    assert "Closed Mission" not in client.get("/organizations?status=all").get_data(as_text=True)
    assert client.get(f"/organizations/{hidden.id}").status_code == 404
    client.post("/logout")
    login(client, organizer)
    assert "Closed Mission" in client.get("/organizations?status=inactive").get_data(as_text=True)


def test_organizer_creates_an_organization_and_it_is_audited(client, organizer):
    login(client, organizer)
    response = client.post("/organizations/new", data=NEW_EMBASSY)
    assert response.status_code == 302
    chad = db.session.scalar(db.select(Organization).where(Organization.name == "Embassy of Chad"))
    assert (chad.kind, chad.country, chad.email) == ("embassy", "TD", None)
    assert response.headers["Location"].endswith(f"/organizations/{chad.id}")
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "directory.organization.create")
    )
    assert (event.actor_id, event.target_id) == (organizer.id, chad.id)


def test_embassy_without_country_is_refused_and_the_form_keeps_the_input(client, organizer):
    login(client, organizer)
    response = client.post("/organizations/new", data=dict(NEW_EMBASSY, country="", city="Giza"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "An embassy represents a country" in page
    assert 'value="Giza"' in page
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 1  # only IOM, the organizer's


def test_duplicate_name_in_another_case_is_a_form_error(client, organizer, organization):
    login(client, organizer)
    response = client.post("/organizations/new", data=dict(NEW_EMBASSY, name="EMBASSY OF SUDAN"))
    assert response.status_code == 200
    assert "Another organization already has this name." in response.get_data(as_text=True)


def test_invalid_email_and_website_are_explained(client, organizer):
    login(client, organizer)
    response = client.post(
        "/organizations/new", data=dict(NEW_EMBASSY, email="not-an-address", website="nope")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('class="invalid-feedback d-block"') == 2


def test_organizer_edits_an_organization(client, organizer, organization):
    login(client, organizer)
    response = client.post(
        f"/organizations/{organization.id}/edit",
        data=dict(NEW_EMBASSY, name=organization.name, country="SD", city="Giza"),
    )
    assert response.status_code == 302
    assert db.session.get(Organization, organization.id, populate_existing=True).city == "Giza"
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "directory.organization.update")
    )
    assert "city" in event.details["fields"]


def test_deactivation_asks_first_then_signs_its_people_out(client, organizer, organization, member):
    login(client, organizer)
    confirm = client.get(f"/organizations/{organization.id}/deactivate")
    assert "Its 1 active person will no longer be able to sign in." in confirm.get_data(as_text=True)
    assert db.session.get(Organization, organization.id).active is True

    assert client.post(f"/organizations/{organization.id}/deactivate").status_code == 302
    assert db.session.get(Organization, organization.id, populate_existing=True).active is False
    assert db.session.get(User, member.id, populate_existing=True).active is False

    assert client.post(f"/organizations/{organization.id}/activate").status_code == 302
    assert db.session.get(Organization, organization.id, populate_existing=True).active is True


def test_organization_page_lists_its_active_people(client, member, organization):
    make_user(name="Gone Person", organization=organization, active=False)
    login(client, member)
    page = client.get(f"/organizations/{organization.id}").get_data(as_text=True)
    assert member.name in page
    assert "Gone Person" not in page
