"""Error pages 400/403/404/405/413/429/500: the site's layout, a plain message, never a traceback."""

import logging

import pytest

from coordination import create_app
from coordination.directory.models import Organization
from coordination.extensions import db
from tests.conftest import login


def assert_friendly_page(response, code: int, title: str, message: str | None = None):
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert f"<title>{title} · Roundtable</title>" in page
    assert '<nav class="navbar' in page and 'id="main"' in page  # the base layout
    assert "Back to the home page" in page
    if message:
        assert message in page
    assert "Traceback" not in page
    assert 'File "' not in page


def test_400_on_a_forged_link(client):
    assert_friendly_page(
        client.get("/invitation/forged-token"), 400, "Bad request", "This link is not valid."
    )


def test_403_when_a_member_opens_the_audit_log(client, member):
    login(client, member)
    assert_friendly_page(client.get("/audit"), 403, "Not allowed", "You do not have permission to do this.")


def test_404_on_an_unknown_path(client):
    assert_friendly_page(client.get("/no/such/page"), 404, "Page not found")


def test_404_on_an_unknown_record(client, member):
    login(client, member)
    assert_friendly_page(client.get("/organizations/999999"), 404, "Page not found")


def test_405_on_a_get_to_a_post_only_address(client, member):
    login(client, member)
    assert_friendly_page(
        client.get("/logout"), 405, "Not allowed", "This address does not accept that kind of request."
    )


def test_413_when_the_body_is_larger_than_allowed(app, client):
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post("/language", data={"language": "fr", "padding": "x" * 4096})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert_friendly_page(response, 413, "File too large", "larger than this site accepts")


def test_429_after_too_many_failed_sign_ins(client):
    for _ in range(5):
        client.post("/login", data={"email": "someone@example.org", "password": "wrong password"})
    response = client.post("/login", data={"email": "someone@example.org", "password": "wrong password"})
    assert_friendly_page(response, 429, "Too many attempts", "Too many failed sign-in attempts")


def test_429_on_other_limited_forms(client):
    for _ in range(10):
        assert client.post("/password/forgot", data={"email": "someone@example.org"}).status_code == 302
    response = client.post("/password/forgot", data={"email": "someone@example.org"})
    assert_friendly_page(response, 429, "Too many attempts", "Please wait a few minutes")


@pytest.fixture
def failing_app(app):
    """A second application on the same database with a route that fails, and errors not propagated.

    Separate because Flask forbids adding routes to the session's app after its first request.
    """
    failing = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], PROPAGATE_EXCEPTIONS=False
    )

    @failing.get("/boom")
    def boom():
        db.session.add(Organization(name="Half-written organization", kind="ngo"))
        db.session.flush()
        raise RuntimeError("secret internal detail")

    yield failing
    with failing.app_context():
        db.session.remove()
        db.engine.dispose()


def test_500_shows_a_plain_page_logs_the_error_and_rolls_back(failing_app, caplog):
    with caplog.at_level(logging.ERROR), failing_app.app_context():
        response = failing_app.test_client().get("/boom")
        assert_friendly_page(response, 500, "Something went wrong", "It has been logged")
        assert "secret internal detail" not in response.get_data(as_text=True)
        assert db.session.scalar(db.select(db.func.count(Organization.id))) == 0
    assert any("secret internal detail" in (record.exc_text or "") for record in caplog.records)


def test_errors_answer_json_to_a_client_that_asks_for_it(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "Page not found",
        "message": "The page you asked for does not exist or is not visible to you.",
    }
