"""Invitations: a focal point or organizer invites, a real SMTP server receives the mail, and the
link sets a password once, within 7 days."""

import pytest
from itsdangerous import URLSafeTimedSerializer

from coordination.auth.models import User
from coordination.extensions import db
from tests.conftest import body_text, first_link, login


def _invite(client, organization, **fields):
    data = {
        "name": "Nadia Newcomer",
        "email": "Nadia.Newcomer@SD.example",
        "position": "Consular Officer",
        "role": "member",
        "preferred_language": "fr",
        "send_invitation": "y",
    }
    data.update(fields)
    return client.post(f"/organizations/{organization.id}/people/new", data=data)


def test_focal_point_invites_a_colleague_who_sets_a_password_and_is_signed_in(
    client, focal_point, organization, smtp_server
):
    login(client, focal_point)
    response = _invite(client, organization)
    assert response.status_code == 302

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "nadia.newcomer@sd.example"
    assert message["Content-Language"] == "fr"
    link = first_link(message, "/invitation/")
    client.post("/logout")

    page = client.get(link)
    assert page.status_code == 200
    assert "nadia.newcomer@sd.example" in page.get_data(as_text=True)
    done = client.post(link, data={"password": "a long enough secret", "confirm": "a long enough secret"})
    assert done.status_code == 302
    assert client.get("/profile").status_code == 200  # signed in by accepting

    client.post("/logout")
    again = client.post(
        "/login", data={"email": "NADIA.newcomer@sd.example", "password": "a long enough secret"}
    )
    assert again.status_code == 302


def test_invitation_link_works_only_once(client, focal_point, organization, smtp_server):
    login(client, focal_point)
    _invite(client, organization)
    link = first_link(smtp_server.wait_for(1)[0], "/invitation/")
    client.post("/logout")
    client.post(link, data={"password": "a long enough secret", "confirm": "a long enough secret"})
    client.post("/logout")

    reused = client.get(link)
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)
    second_try = client.post(link, data={"password": "another long secret", "confirm": "another long secret"})
    assert second_try.status_code == 400
    assert (
        client.post(
            "/login", data={"email": "nadia.newcomer@sd.example", "password": "another long secret"}
        ).status_code
        == 200
    )


def test_expired_invitation_link_is_refused(app, client, focal_point, organization, smtp_server):
    login(client, focal_point)
    _invite(client, organization)
    link = first_link(smtp_server.wait_for(1)[0], "/invitation/")
    client.post("/logout")
    app.config["INVITATION_TOKEN_MAX_AGE"] = -1  # every token is now older than allowed
    try:
        response = client.get(link)
    finally:
        app.config["INVITATION_TOKEN_MAX_AGE"] = 7 * 24 * 3600
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_a_forged_token_is_refused(client, member):
    forged = URLSafeTimedSerializer("not the secret key", salt="roundtable.accounts").dumps(
        {"u": member.id, "p": "invitation", "s": "x"}
    )
    assert client.get(f"/invitation/{forged}").status_code == 400


def test_invitation_mail_is_written_in_the_invitees_language(client, organizer, organization, smtp_server):
    login(client, organizer)
    _invite(client, organization, preferred_language="ar", email="ar@sd.example")
    [message] = smtp_server.wait_for(1)
    assert message["Content-Language"] == "ar"
    text = body_text(message)
    assert "/invitation/" in text
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    assert 'dir="rtl"' in html.get_payload(decode=True).decode()


def test_short_password_is_refused_and_the_form_explains(client, focal_point, organization, smtp_server):
    login(client, focal_point)
    _invite(client, organization)
    link = first_link(smtp_server.wait_for(1)[0], "/invitation/")
    client.post("/logout")
    response = client.post(link, data={"password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "at least 12 characters" in response.get_data(as_text=True)
    assert (
        db.session.scalar(db.select(User).where(User.email == "nadia.newcomer@sd.example")).password_hash
        is None
    )


def test_inviting_an_address_already_in_use_keeps_the_form(client, focal_point, organization, member):
    login(client, focal_point)
    response = _invite(client, organization, email=member.email.upper(), name="Typed Name")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "already uses this email address" in page
    assert 'value="Typed Name"' in page


@pytest.mark.parametrize("role", ["organizer"])
def test_focal_point_cannot_make_an_organizer(client, focal_point, organization, role):
    login(client, focal_point)
    response = _invite(client, organization, role=role)
    assert response.status_code == 200
    assert db.session.scalar(db.select(User).where(User.email == "nadia.newcomer@sd.example")) is None
