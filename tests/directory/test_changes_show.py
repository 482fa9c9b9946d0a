"""Every change to the directory shows on the next request, whoever made it and however."""

from tests.conftest import first_link, login
from tests.factories import make_organization, make_user


def test_each_directory_change_shows_on_the_next_list_and_page(client, organizer, organization, member):
    login(client, organizer)
    assert ">Embassy of Sudan</a>" in client.get("/organizations").get_data(as_text=True)

    form = {"name": "Embassy of the Sudan", "kind": "embassy", "country": "SD", "city": "Khartoum"}
    client.post(f"/organizations/{organization.id}/edit", data=form)
    listing = client.get("/organizations").get_data(as_text=True)
    assert ">Embassy of the Sudan</a>" in listing and "Khartoum" in listing

    page = client.get(f"/organizations/{organization.id}").get_data(as_text=True)
    assert member.name in page
    client.post(f"/people/{member.id}/deactivate")
    assert "inactive</span>" in client.get(f"/organizations/{organization.id}").get_data(as_text=True)

    new_person = {
        "name": "Brand New",
        "email": "brand.new@sd.example",
        "role": "member",
        "preferred_language": "en",
    }
    client.post(f"/organizations/{organization.id}/people/new", data=new_person)
    assert "Brand New" in client.get(f"/organizations/{organization.id}").get_data(as_text=True)


def test_an_invitation_accepted_elsewhere_clears_the_pending_badge(
    app, client, focal_point, organization, smtp_server
):
    login(client, focal_point)
    person = {"name": "Invitee", "email": "invitee@sd.example", "role": "member", "preferred_language": "en",
              "send_invitation": "y"}  # fmt: skip
    client.post(f"/organizations/{organization.id}/people/new", data=person)
    assert "invitation pending" in client.get(f"/organizations/{organization.id}").get_data(as_text=True)

    invitee_browser = app.test_client()
    link = first_link(smtp_server.wait_for(1)[0], "/invitation/")
    invitee_browser.post(link, data={"password": "a long enough secret", "confirm": "a long enough secret"})
    assert "invitation pending" not in client.get(f"/organizations/{organization.id}").get_data(as_text=True)


def test_members_do_not_get_the_managers_page(app, client, focal_point, member, organization):
    make_user(name="Former Colleague", organization=organization, active=False)
    login(client, focal_point)
    managers_page = client.get(f"/organizations/{organization.id}").get_data(as_text=True)
    assert "Former Colleague" in managers_page

    reader = app.test_client()
    login(reader, member)
    readers_page = reader.get(f"/organizations/{organization.id}").get_data(as_text=True)
    assert "Former Colleague" not in readers_page


def test_a_new_organization_appears_without_any_request_in_between(client, member):
    login(client, member)
    client.get("/organizations")
    make_organization(name="Embassy of Yemen", country="YE")
    assert ">Embassy of Yemen</a>" in client.get("/organizations").get_data(as_text=True)
