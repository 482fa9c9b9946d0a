"""Forgotten passwords: the same answer for known and unknown addresses, a single-use link."""

import re

from coordination.extensions import db
from coordination.mail.models import OutboxMessage
from tests.conftest import first_link, login
from tests.factories import PASSWORD


def test_reset_link_sets_a_new_password_once(client, member, smtp_server):
    response = client.post("/password/forgot", data={"email": member.email.upper()}, follow_redirects=True)
    assert "If an account uses this address" in response.get_data(as_text=True)
    link = first_link(smtp_server.wait_for(1)[0], "/password/reset/")

    assert (
        client.post(
            link, data={"password": "a brand new secret", "confirm": "a brand new secret"}
        ).status_code
        == 302
    )
    assert client.post("/login", data={"email": member.email, "password": PASSWORD}).status_code == 200
    assert (
        client.post("/login", data={"email": member.email, "password": "a brand new secret"}).status_code
        == 302
    )
    client.post("/logout")

    reused = client.post(link, data={"password": "yet another secret", "confirm": "yet another secret"})
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, member, smtp_server):
    known = client.post("/password/forgot", data={"email": member.email}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@nowhere.example"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert _without_tokens(known, member.email) == _without_tokens(unknown, member.email)
    smtp_server.wait_for(1)
    assert [m["To"] for m in smtp_server.messages] == [member.email]
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1


def test_expired_reset_link_is_refused(app, client, member, smtp_server):
    client.post("/password/forgot", data={"email": member.email}).close()  # the mail goes after the answer
    link = first_link(smtp_server.wait_for(1)[0], "/password/reset/")
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    try:
        response = client.get(link)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 7 * 24 * 3600
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_reset_signs_out_other_sessions(app, client, member, smtp_server):
    other_device = app.test_client()
    login(other_device, member)
    assert other_device.get("/profile").status_code == 200

    client.post("/password/forgot", data={"email": member.email}).close()  # the mail goes after the answer
    link = first_link(smtp_server.wait_for(1)[0], "/password/reset/")
    client.post(link, data={"password": "a brand new secret", "confirm": "a brand new secret"})

    assert other_device.get("/profile").status_code == 302


def _without_tokens(response, email: str) -> str:
    """The page without what differs by design: CSRF tokens carry a timestamp; the typed address."""
    page = response.get_data(as_text=True).replace(email, "")
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)
