"""Links that leave the site (mail, feeds, calendars) are built on BASE_URL, never on the Host header
a client sent; production refuses requests for a host it does not serve."""

import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

from coordination import create_app
from coordination.announcements.feed import feed_key
from coordination.announcements.rules import post_announcement
from coordination.auth.session import SEEN_AT
from coordination.extensions import db
from tests.conftest import body_text, login
from tests.roundtables.conftest import make_roundtable

FORGED = {"Host": "evil.example"}
LINK = re.compile(r"https?://[^/\s\"<]+")


@pytest.fixture(autouse=True)
def _no_server_name(app, monkeypatch):
    """As in production, where SERVER_NAME is unset: the suite's own would hide the hole, since
    Flask builds links on SERVER_NAME when it has one."""
    monkeypatch.setitem(app.config, "SERVER_NAME", None)


def _hosts(text: str) -> set[str]:
    return set(LINK.findall(text))


def _login_behind_forged_host(client, user) -> None:
    """Sign in, and send the session cookie to the forged host too, as a misrouted browser would."""
    login(client, user)
    session = client.get_cookie("session")
    client.set_cookie("session", session.value, domain="evil.example")


def test_a_reset_asked_for_with_a_forged_host_mails_a_link_to_the_real_site(client, member, smtp_server):
    response = client.post("/password/forgot", data={"email": member.email}, headers=FORGED)
    assert response.status_code == 302
    response.close()  # the mail is queued once the answer has gone out
    [message] = smtp_server.wait_for(1)
    text = body_text(message)
    assert "/password/reset/" in text
    assert _hosts(text) == {"http://roundtable.test"}
    html = next(part for part in message.walk() if part.get_content_type() == "text/html")
    assert "evil.example" not in html.get_payload(decode=True).decode()


def test_an_invitation_sent_through_a_forged_host_links_to_the_real_site(
    client, organizer, organization, smtp_server
):
    _login_behind_forged_host(client, organizer)
    response = client.post(
        f"/organizations/{organization.id}/people/new",
        data={
            "name": "New Person",
            "email": "new.person@sd.example",
            "role": "member",
            "preferred_language": "en",
            "send_invitation": "y",
        },
        headers=FORGED,
    )
    assert response.status_code == 302
    [message] = smtp_server.wait_for(1)
    assert "/invitation/" in body_text(message)
    assert _hosts(body_text(message)) == {"http://roundtable.test"}


def test_the_announcements_feed_links_to_the_real_site_whatever_the_host(client, organizer, member):
    post_announcement(organizer, texts={"title": {"en": "News"}, "body": {"en": "Text."}})
    db.session.commit()
    response = client.get(f"/announcements.atom?key={feed_key(member)}", headers=FORGED)
    assert response.status_code == 200
    root = ET.fromstring(response.data)  # noqa: S314 - our own response
    links = [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]
    assert len(links) >= 3  # self, alternate, and the entry's
    assert {LINK.match(link).group(0) for link in links} == {"http://roundtable.test"}
    assert b"evil.example" not in response.data


def test_calendars_and_the_calendar_address_link_to_the_real_site(app, client, member):
    roundtable = make_roundtable(title="Mine")
    _login_behind_forged_host(client, member)
    event = client.get(f"/roundtables/{roundtable.id}/calendar.ics", headers=FORGED)
    [vevent] = icalendar.Calendar.from_ical(event.data).walk("VEVENT")
    assert str(vevent["url"]) == f"http://roundtable.test/roundtables/{roundtable.id}"
    assert b"evil.example" not in event.data

    client.post("/profile/calendar")
    profile = client.get("/profile", headers=FORGED).get_data(as_text=True)
    address = re.search(r'value="(https?://[^"]+\.ics)"', profile).group(1)
    assert address.startswith("http://roundtable.test/calendar/")


@pytest.fixture
def production_app(app, monkeypatch):
    """A production application on the test database, served at https://roundtable.example."""

    def build(**overrides):
        monkeypatch.setenv("SECRET_KEY", "production test secret")
        built = create_app(
            "production",
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            BASE_URL="https://roundtable.example",
            **overrides,
        )
        built_apps.append(built)
        return built

    built_apps = []
    yield build
    for built in built_apps:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()


def test_production_refuses_a_host_it_does_not_serve(production_app):
    client = production_app().test_client()
    assert client.get("/login", headers={"Host": "roundtable.example"}).status_code == 200
    refused = client.get("/login", headers=FORGED)
    assert refused.status_code == 400
    assert "Traceback" not in refused.get_data(as_text=True)
    assert client.post("/password/forgot", data={"email": "x@example.org"}, headers=FORGED).status_code == 400


def test_production_serves_the_hosts_it_is_told_to_trust(production_app):
    client = production_app(TRUSTED_HOSTS=["roundtable.example", "www.roundtable.example"]).test_client()
    assert client.get("/login", headers={"Host": "www.roundtable.example"}).status_code == 200
    assert client.get("/login", headers=FORGED).status_code == 400


def test_an_idle_organizer_behind_a_forged_host_gets_the_plain_refusal(app, client, organizer, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost"])
    login(client, organizer)
    with client.session_transaction() as session:
        session[SEEN_AT] = 0  # idle for ages: the sign-out would redirect, were there a host to link to
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    refused = client.get("/profile", headers=FORGED)
    assert refused.status_code == 400
    assert "Bad request" in refused.get_data(as_text=True)
