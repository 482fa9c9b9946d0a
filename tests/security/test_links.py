"""Nothing a user types becomes a link that runs script: link fields take http(s) addresses only,
links saved before that check are shown as text, and Markdown keeps http(s), mailto and relative
links only."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import icalendar
import pytest
from flask_wtf import FlaskForm
from wtforms import URLField
from wtforms.fields.core import UnboundField
from wtforms.validators import URL

from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.forms import SafeURL
from coordination.roundtables.models import Roundtable
from tests.conftest import login
from tests.factories import make_organization
from tests.roundtables.conftest import make_roundtable

# Each passes WTForms' URL(): a scheme, "://", a host with a dot. In a javascript: URL the "//"
# starts a comment that the encoded new line ends, so clicking the link runs the rest.
SCRIPT_LINKS = [
    "javascript://example.org/%0Aalert(document.cookie)",
    "JaVaScRiPt://example.org/%0Aalert(document.cookie)",
    "vbscript://example.org/%0Amsgbox(1)",
    "data://example.org/text/html,<script>alert(1)</script>",
    "javascript:alert(1)",
]
SAFE_SCHEMES = {"", "http", "https", "mailto"}

NEW_EMBASSY = {"name": "Embassy of Chad", "kind": "embassy", "country": "TD", "city": "Cairo"}
NEW_ROUNDTABLE = {
    "title": "Roundtable on return",
    "timezone": "Africa/Cairo",
    "starts_at": "2030-07-15T10:00",
    "ends_at": "2030-07-15T13:00",
    "languages": ["en"],
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [
            value or "" for name, value in attrs if name in ("href", "src", "action", "formaction")
        ]


def unsafe_hrefs(page: str) -> list[str]:
    """The links of `page` a browser would follow to something other than a web page or a mail."""
    parser = _Links()
    parser.feed(page)
    # Browsers drop white space and control characters before reading the scheme.
    return [
        href
        for href in parser.hrefs
        if urlsplit(re.sub(r"[\x00-\x20]", "", href)).scheme.lower() not in SAFE_SCHEMES
    ]


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_an_organization_website_must_be_a_web_address(client, organizer, link):
    login(client, organizer)
    response = client.post("/organizations/new", data=dict(NEW_EMBASSY, website=link))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give a web address starting with http:// or https://." in page
    assert 'value="Embassy of Chad"' in page  # what was typed is kept
    assert db.session.scalar(db.select(Organization).where(Organization.name == "Embassy of Chad")) is None


@pytest.mark.parametrize("link", SCRIPT_LINKS[:2])
def test_editing_an_organization_refuses_a_script_website_and_keeps_the_old_one(
    client, organizer, organization, link
):
    organization.website = "https://sudan-embassy.example"
    db.session.commit()
    login(client, organizer)
    response = client.post(
        f"/organizations/{organization.id}/edit",
        data=dict(NEW_EMBASSY, name=organization.name, country="SD", website=link),
    )
    assert response.status_code == 200
    assert "Give a web address starting with http:// or https://." in response.get_data(as_text=True)
    saved = db.session.get(Organization, organization.id, populate_existing=True)
    assert saved.website == "https://sudan-embassy.example"


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_a_roundtable_online_link_must_be_a_web_address(client, organizer, link):
    login(client, organizer)
    response = client.post("/roundtables/new", data=dict(NEW_ROUNDTABLE, online_url=link))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give a web address starting with http:// or https://." in page
    assert 'value="Roundtable on return"' in page
    assert db.session.scalar(db.select(db.func.count(Roundtable.id))) == 0


def test_editing_a_roundtable_refuses_a_script_link_and_keeps_the_old_one(client, organizer):
    roundtable = make_roundtable(online_url="https://meet.example/rt")
    login(client, organizer)
    response = client.post(
        f"/roundtables/{roundtable.id}/edit", data=dict(NEW_ROUNDTABLE, online_url=SCRIPT_LINKS[0])
    )
    assert response.status_code == 200
    assert db.session.get(Roundtable, roundtable.id, populate_existing=True).online_url == (
        "https://meet.example/rt"
    )


def test_web_addresses_are_still_taken_and_shown_as_links(client, organizer):
    login(client, organizer)
    response = client.post(
        "/organizations/new", data=dict(NEW_EMBASSY, website="https://chad-embassy.example/en")
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="https://chad-embassy.example/en"' in page

    response = client.post(
        "/roundtables/new", data=dict(NEW_ROUNDTABLE, online_url="https://meet.example/rt?id=4")
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="https://meet.example/rt?id=4"' in page


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_a_script_website_saved_before_the_check_is_shown_as_text(client, member, link):
    embassy = make_organization(name="Embassy of Niger", country="NE", website=link)
    login(client, member)
    page = client.get(f"/organizations/{embassy.id}").get_data(as_text=True)
    assert html.escape(link) in page  # still shown, so that an organizer sees what to correct
    assert unsafe_hrefs(page) == []


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_a_script_online_link_saved_before_the_check_is_not_a_link_on_the_page_or_in_calendars(
    client, member, link
):
    roundtable = make_roundtable(online_url=link)
    login(client, member)
    page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert html.escape(link) in page
    assert unsafe_hrefs(page) == []
    [event] = icalendar.Calendar.from_ical(
        client.get(f"/roundtables/{roundtable.id}/calendar.ics").data
    ).walk("VEVENT")
    assert str(event["url"]).endswith(f"/roundtables/{roundtable.id}")
    assert "script:" not in str(event["description"]).lower()


def test_a_script_online_link_saved_before_the_check_is_not_a_link_in_the_invitation_mail(
    client, organizer, organization, focal_point, smtp_server
):
    roundtable = make_roundtable(online_url=SCRIPT_LINKS[0])
    login(client, organizer)
    client.post(f"/roundtables/{roundtable.id}/invitations", data={"organizations": [str(organization.id)]})
    [message] = smtp_server.wait_for(1)
    [part] = [part for part in message.walk() if part.get_content_type() == "text/html"]
    body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    assert "example.org/%0Aalert" in body
    assert unsafe_hrefs(body) == []


MARKDOWN_ATTACKS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](java%0Ascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click](ftp://files.example.org/list.exe)",
    "[click](tel:+20225555555)",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click][ref]\n\n[ref]: javascript:alert(1)",
]


@pytest.mark.parametrize("text", MARKDOWN_ATTACKS)
def test_markdown_links_keep_only_web_mail_and_relative_addresses(client, member, text):
    roundtable = make_roundtable(description=f"Before the link.\n\n{text}\n\nAfter the link.")
    login(client, member)
    page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "After the link." in page
    assert unsafe_hrefs(page) == []
    assert "<script" not in page.split("After the link.")[0].split("Before the link.")[-1]


def test_markdown_web_mail_and_relative_links_stay_links(client, member):
    description = "[IOM](https://egypt.iom.int), [write](mailto:rt@iom.example), [library](/library)"
    roundtable = make_roundtable(description=description)
    login(client, member)
    page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    for href in ("https://egypt.iom.int", "mailto:rt@iom.example", "/library"):
        assert f'href="{href}"' in page


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_link_field_of_every_form_checks_the_scheme(app):
    """A guard for link fields added later: each URLField, and each field with WTForms' URL(),
    carries SafeURL."""
    unchecked = []
    for form in _subclasses(FlaskForm):
        for cls in form.__mro__:
            for name, value in vars(cls).items():
                if not isinstance(value, UnboundField):
                    continue
                validators = value.kwargs.get("validators") or (value.args[1] if len(value.args) > 1 else [])
                is_link = issubclass(value.field_class, URLField) or any(
                    isinstance(v, URL) for v in validators
                )
                if is_link and not any(isinstance(v, SafeURL) for v in validators):
                    unchecked.append(f"{form.__module__}.{form.__name__}.{name}")
    assert unchecked == []
