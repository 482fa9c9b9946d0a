"""The password policy: every form where a person chooses a password refuses one shorter than 12
characters, a common or leaked one (the shipped list), and one containing their name or address."""

import pytest

from coordination.auth.models import Role, User
from coordination.auth.passwords import common_passwords, password_problems
from coordination.auth.rules import INVITATION, RESET, make_token
from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, ORGANIZER_EMAIL
from coordination.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user

NAME = "Zainab Okonkwo-Adeyemi"
EMAIL = "zed.falcon@ng.example"

BAD_PASSWORDS = {
    "too short": ("Eleven char", "Use at least 12 characters."),
    # In the list lower-cased: the comparison ignores case.
    "common": ("QazWsxEdcRfv", "one of the most common or leaked passwords"),
    "leaked, long": ("1qaz2wsx3edc4rfv", "one of the most common or leaked passwords"),
    "first name": ("my name is ZAINAB, hello", "Do not use your name or your e-mail address"),
    "part of a family name": ("adeyemi rides the night bus", "Do not use your name or your e-mail address"),
    "e-mail local part": ("hello zed.falcon 2026!", "Do not use your name or your e-mail address"),
}


@pytest.fixture
def person(organization):
    return make_user(name=NAME, email=EMAIL, organization=organization)


@pytest.fixture
def invitee(organization):
    return make_user(password=None, name=NAME, email=EMAIL, organization=organization)


def _hash(user_id: int) -> str | None:
    return db.session.get(User, user_id).password_hash


def _assert_refused(response, message: str) -> None:
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page  # on the password field, where the person looks


@pytest.mark.parametrize("password,message", BAD_PASSWORDS.values(), ids=BAD_PASSWORDS.keys())
def test_invitation_form_refuses_a_weak_password(client, invitee, password, message):
    link = f"/invitation/{make_token(invitee, INVITATION)}"
    response = client.post(link, data={"password": password, "confirm": password})
    _assert_refused(response, message)
    assert _hash(invitee.id) is None
    assert client.get("/profile").status_code == 302  # not signed in
    # The link still works for a good password.
    assert client.post(link, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302


@pytest.mark.parametrize("password,message", BAD_PASSWORDS.values(), ids=BAD_PASSWORDS.keys())
def test_reset_form_refuses_a_weak_password(client, person, password, message):
    before = person.password_hash
    link = f"/password/reset/{make_token(person, RESET)}"
    response = client.post(link, data={"password": password, "confirm": password})
    _assert_refused(response, message)
    assert _hash(person.id) == before
    assert client.post("/login", data={"email": EMAIL, "password": password}).status_code == 200


@pytest.mark.parametrize("password,message", BAD_PASSWORDS.values(), ids=BAD_PASSWORDS.keys())
def test_profile_form_refuses_a_weak_password(client, person, password, message):
    before = person.password_hash
    login(client, person)
    response = client.post(
        "/profile/password", data={"current_password": PASSWORD, "password": password, "confirm": password}
    )
    _assert_refused(response, message)
    assert _hash(person.id) == before
    # The profile details beside the form are still there, as saved.
    assert NAME in response.get_data(as_text=True)


def test_every_reason_is_given_at_once(client, person):
    login(client, person)
    response = client.post(
        "/profile/password", data={"current_password": PASSWORD, "password": "zainab", "confirm": "zainab"}
    )
    page = response.get_data(as_text=True)
    assert "Use at least 12 characters." in page
    assert "Do not use your name or your e-mail address" in page


def test_organizer_made_on_the_command_line_chooses_a_password_under_the_policy(runner, client):
    result = runner.invoke(args=["create-organizer", "zed.falcon@iom.example", "--name", NAME])
    assert result.exit_code == 0, result.output
    path = "/invitation/" + result.output.strip().rsplit("/invitation/", 1)[1]
    refused = client.post(path, data={"password": "zed.falcon at iom", "confirm": "zed.falcon at iom"})
    _assert_refused(refused, "Do not use your name or your e-mail address")
    organizer = db.session.scalar(db.select(User).where(User.email == "zed.falcon@iom.example"))
    assert organizer.role == Role.ORGANIZER and organizer.password_hash is None
    assert client.post(path, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302


def test_a_good_password_is_accepted(client, person):
    login(client, person)
    response = client.post(
        "/profile/password",
        data={
            "current_password": PASSWORD,
            "password": "lantern quietly orbits",
            "confirm": "lantern quietly orbits",
        },
    )
    assert response.status_code == 302
    client.post("/logout")
    assert (
        client.post("/login", data={"email": EMAIL, "password": "lantern quietly orbits"}).status_code == 302
    )


def test_the_shipped_list_is_large_and_holds_the_classics(app):
    passwords = common_passwords()
    assert len(passwords) >= 100_000
    assert {"123456", "password", "qwerty", "iloveyou", "1qaz2wsx3edc"} <= passwords


@pytest.mark.parametrize("role", ["organizer", "focal_point", "member"])
def test_the_suites_shared_password_passes_the_policy_for_each_role(client, request, role):
    user = request.getfixturevalue(role)
    assert password_problems(user, PASSWORD) == []
    login(client, user)
    response = client.post(
        "/profile/password", data={"current_password": PASSWORD, "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302


def test_the_demo_accounts_still_sign_in_with_the_demo_password(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    for email in (ORGANIZER_EMAIL, FOCAL_POINT_EMAIL):
        assert client.post("/login", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302
        client.post("/logout")
