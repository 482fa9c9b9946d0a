"""CSRF protection on every form: a POST without the form's token is refused with a friendly page."""

import re

import pytest
from sqlalchemy import select

from coordination.directory.models import Organization
from coordination.extensions import db
from tests.factories import PASSWORD

FRIENDLY = "Your form expired or was sent from elsewhere."


@pytest.fixture
def send(csrf_app):
    """Make a request with CSRF protection on."""

    def send_request(client, method: str, path: str, **kwargs):
        return client.open(path, method=method, **kwargs)

    return send_request


def _token(send, client, path: str) -> str:
    response = send(client, "GET", path)
    assert response.status_code == 200
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, f"no CSRF token in the form of {path}"
    return match.group(1)


def _assert_refused(response):
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert FRIENDLY in page
    assert "Bad request" in page
    assert "Traceback" not in page
    assert "CSRF" not in page


def _sign_in(send, client, user):
    token = _token(send, client, "/login")
    response = send(
        client, "POST", "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_login_without_token_is_refused_and_with_it_works(csrf_app, send, member):
    client = csrf_app.test_client()
    _assert_refused(send(client, "POST", "/login", data={"email": member.email, "password": PASSWORD}))
    assert send(client, "GET", "/").status_code == 302  # still signed out

    token = _token(send, client, "/login")
    response = send(
        client, "POST", "/login", data={"email": member.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert send(client, "GET", "/").status_code == 200


def test_language_switch_without_token_is_refused_and_with_it_works(csrf_app, send):
    client = csrf_app.test_client()
    _assert_refused(send(client, "POST", "/language", data={"language": "fr"}))
    assert '<html lang="en"' in send(client, "GET", "/login").get_data(as_text=True)

    token = _token(send, client, "/login")  # the language bar of any page carries it
    response = send(
        client, "POST", "/language", data={"language": "fr", "csrf_token": token, "next": "/login"}
    )
    assert response.status_code == 302
    assert '<html lang="fr"' in send(client, "GET", "/login").get_data(as_text=True)


def test_directory_form_without_token_is_refused_and_with_it_works(csrf_app, send, organizer):
    client = csrf_app.test_client()
    _sign_in(send, client, organizer)
    fields = {"name": "Embassy of Somalia", "kind": "embassy", "country": "SO", "city": "Cairo"}

    _assert_refused(send(client, "POST", "/organizations/new", data=fields))
    assert db.session.scalar(select(Organization).where(Organization.name == "Embassy of Somalia")) is None

    token = _token(send, client, "/organizations/new")
    response = send(client, "POST", "/organizations/new", data={**fields, "csrf_token": token})
    assert response.status_code == 302
    assert (
        db.session.scalar(select(Organization).where(Organization.name == "Embassy of Somalia")) is not None
    )


def test_a_token_from_another_session_is_refused(csrf_app, send, organizer):
    intruder = csrf_app.test_client()
    foreign_token = _token(send, intruder, "/login")
    client = csrf_app.test_client()
    _sign_in(send, client, organizer)

    response = send(
        client,
        "POST",
        "/organizations/new",
        data={"name": "Embassy of Chad", "kind": "embassy", "country": "TD", "csrf_token": foreign_token},
    )
    _assert_refused(response)
    assert db.session.scalar(select(Organization).where(Organization.name == "Embassy of Chad")) is None


def test_sign_out_needs_the_token(csrf_app, send, member):
    client = csrf_app.test_client()
    _sign_in(send, client, member)
    _assert_refused(send(client, "POST", "/logout"))
    assert send(client, "GET", "/").status_code == 200  # a forged sign-out did nothing
