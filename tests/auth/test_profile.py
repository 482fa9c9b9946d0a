"""The profile page: details, preferred language, password change."""

from coordination.auth.models import User
from coordination.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD


def test_profile_saves_details_and_language(client, member):
    login(client, member)
    response = client.post(
        "/profile",
        data={
            "name": "Moses M. Member",
            "position": "Consul",
            "phone": "+20 2 1234 5678",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    saved = db.session.get(User, member.id)
    assert (saved.name, saved.position, saved.phone, saved.preferred_language) == (
        "Moses M. Member", "Consul", "+20 2 1234 5678", "fr",
    )  # fmt: skip
    page = client.get("/profile").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page


def test_profile_with_an_empty_name_keeps_what_was_typed(client, member):
    login(client, member)
    response = client.post(
        "/profile", data={"name": "", "position": "Typed position", "preferred_language": "en"}
    )
    assert response.status_code == 200
    assert 'value="Typed position"' in response.get_data(as_text=True)


def test_password_change_needs_the_current_password(client, member):
    login(client, member)
    wrong = client.post(
        "/profile/password",
        data={"current_password": "not it", "password": "a new long secret", "confirm": "a new long secret"},
    )
    assert wrong.status_code == 200
    assert "current password is not correct" in wrong.get_data(as_text=True)

    right = client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "password": "a new long secret", "confirm": "a new long secret"},
    )
    assert right.status_code == 302
    assert client.get("/profile").status_code == 200  # this session stays signed in
    client.post("/logout")
    assert (
        client.post("/login", data={"email": member.email, "password": "a new long secret"}).status_code
        == 302
    )


def test_password_confirmation_must_match(client, member):
    login(client, member)
    response = client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "password": "a new long secret", "confirm": "a different secret"},
    )
    assert "The two passwords differ" in response.get_data(as_text=True)
