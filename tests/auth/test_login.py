"""Signing in and out, remember me, deactivated accounts, and rate limits on failures."""

from coordination.audit.models import AuditEvent
from coordination.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def test_sign_in_with_any_case_of_the_address_and_sign_out(client, member):
    response = client.post("/login", data={"email": member.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_keeps_the_address_and_says_why(client, member):
    response = client.post("/login", data={"email": member.email, "password": "not the password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "email address or password is not correct" in page
    assert f'value="{member.email}"' in page


def test_remember_me_sets_a_lasting_cookie(client, member):
    response = client.post("/login", data={"email": member.email, "password": PASSWORD, "remember": "y"})
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_deactivated_person_cannot_sign_in(client):
    user = make_user(active=False)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200


def test_login_and_failure_are_audited(client, member):
    login(client, member)
    client.post("/logout")
    client.post("/login", data={"email": member.email, "password": "wrong password"})
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["auth.login", "auth.login_failed"]


def test_failed_logins_are_limited_per_account_and_address(client, member):
    for _ in range(5):
        assert (
            client.post("/login", data={"email": member.email, "password": "wrong password"}).status_code
            == 200
        )
    blocked = client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.get_data(as_text=True)
    # Another account from the same address is not blocked by this one's failures.
    other = make_user()
    assert client.post("/login", data={"email": other.email, "password": PASSWORD}).status_code == 302


def test_failed_logins_are_limited_per_address(app, client):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    try:
        for number in range(3):
            client.post("/login", data={"email": f"guess{number}@example.org", "password": "wrong password"})
        blocked = client.post("/login", data={"email": "guess9@example.org", "password": "wrong password"})
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "20 per 15 minutes"
    assert blocked.status_code == 429


def test_successful_logins_do_not_count_against_the_limit(client, member):
    for _ in range(7):
        login(client, member)
        client.post("/logout")
    assert client.post("/login", data={"email": member.email, "password": PASSWORD}).status_code == 302


def test_next_parameter_cannot_leave_the_site(client, member):
    response = client.post(
        "/login?next=https://evil.example/phish", data={"email": member.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/profile", data={"email": member.email, "password": PASSWORD})
    assert response.headers["Location"] == "/profile"
