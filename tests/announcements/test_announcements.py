"""Announcements: posted by organizers, mailed to members in their language through the outbox,
listed, and served as a valid Atom feed of announcements only."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from email.header import decode_header, make_header

from sqlalchemy import func, select

from coordination.announcements import rules
from coordination.announcements.feed import feed_key
from coordination.announcements.models import Announcement
from coordination.auth.models import new_login_stamp
from coordination.extensions import db
from coordination.mail.models import OutboxMessage
from coordination.roundtables.models import Roundtable
from coordination.timeutil import utcnow
from tests.conftest import body_text, login
from tests.factories import make_user

ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = {
    "title_en": "Representatives from 38 embassies discuss IOM Egypt services",
    "body_en": "IOM presented **localized assistance**, AVRR and health services.",
    "title_fr": "38 ambassades discutent des services de l'OIM Égypte",
    "body_fr": "L'OIM a présenté l'**assistance localisée**, l'AVRR et la santé.",
}


def post(organizer, title="News", body="Text.", **extra):
    announcement, _queued = rules.post_announcement(
        organizer, texts={"title": {"en": title}, "body": {"en": body}}, **extra
    )
    db.session.commit()
    return announcement


def test_organizer_posts_and_mails_an_announcement_to_every_member_in_their_language(
    client, runner, organizer, member, focal_point, other_focal_point, smtp_server
):
    member.preferred_language = "fr"
    focal_point.preferred_language = "ar"
    make_user(active=False, email="former@example.org")
    db.session.commit()
    login(client, organizer)
    response = client.post("/announcements/new", data={**NEWS, "mail_members": "y"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Published, and queued by mail to 4 members." in page
    assert "<strong>localized assistance</strong>" in page

    runner.invoke(args=["outbox", "send"])
    received = {message["To"]: message for message in smtp_server.wait_for(4)}
    assert set(received) == {organizer.email, member.email, focal_point.email, other_focal_point.email}
    french = received[member.email]
    assert str(make_header(decode_header(french["Subject"]))) == NEWS["title_fr"]
    assert "L'OIM a présenté" in body_text(french)
    # Not written in Arabic: the Arabic reader gets the English text, in an Arabic mail.
    arabic = received[focal_point.email]
    assert arabic["Content-Language"] == "ar"
    assert "IOM presented" in body_text(arabic)
    announcement = db.session.scalar(select(Announcement))
    assert f"/announcements/{announcement.id}" in body_text(arabic)
    assert announcement.mailed_at is not None


def test_an_announcement_not_mailed_queues_nothing(client, organizer, member):
    login(client, organizer)
    response = client.post("/announcements/new", data=NEWS, follow_redirects=True)
    assert "Published." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_title_without_its_text_is_refused_and_keeps_what_was_typed(client, organizer):
    login(client, organizer)
    response = client.post(
        "/announcements/new", data={"title_fr": "Nouvelle table ronde", "body_en": "", "mail_members": "y"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give both the title and the text in each language you write." in page
    assert 'value="Nouvelle table ronde"' in page
    assert db.session.scalar(select(func.count(Announcement.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_an_announcement_links_to_its_roundtable_and_readers_see_their_language(client, organizer, member):
    roundtable = Roundtable(
        title="Second roundtable",
        status="published",
        starts_at=utcnow(),
        ends_at=utcnow(),
    )
    db.session.add(roundtable)
    db.session.commit()
    announcement = post(organizer, title="See you in February", roundtable_id=roundtable.id)
    member.preferred_language = "fr"
    db.session.commit()
    login(client, member)
    page = client.get(f"/announcements/{announcement.id}").get_data(as_text=True)
    assert f'href="/roundtables/{roundtable.id}"' in page
    assert "See you in February" in page and "pas encore traduit" in page


def test_organizer_corrects_then_removes_an_announcement_after_confirming(client, organizer, member):
    announcement_id = post(organizer, title="Roundtable on 10 Febuary").id
    login(client, organizer)
    response = client.post(
        f"/announcements/{announcement_id}/edit",
        data={"title_en": "Roundtable on 10 February", "body_en": "Text."},
    )
    assert response.status_code == 302
    assert db.session.get(Announcement, announcement_id).texts["title"] == {"en": "Roundtable on 10 February"}
    confirm = client.get(f"/announcements/{announcement_id}/delete").get_data(as_text=True)
    assert "Remove the announcement?" in confirm
    assert db.session.get(Announcement, announcement_id) is not None
    assert client.post(f"/announcements/{announcement_id}/delete").status_code == 302
    assert db.session.get(Announcement, announcement_id) is None


def test_the_list_is_paginated_and_has_an_empty_state(client, organizer, member):
    login(client, member)
    assert "No announcement yet." in client.get("/announcements").get_data(as_text=True)
    for number in range(25):
        post(organizer, title=f"News number {number}")
    first = client.get("/announcements").get_data(as_text=True)
    assert "News number 24" in first and "News number 4" not in first
    second = client.get("/announcements?page=2").get_data(as_text=True)
    assert "News number 4" in second and "News number 24" not in second


def test_latest_announcements_are_the_newest_first_and_none_for_anonymous(organizer, member):
    from flask_login import AnonymousUserMixin

    for number in range(4):
        announcement = post(organizer, title=f"News {number}")
        announcement.published_at = utcnow().replace(year=2026, month=1, day=number + 1)
    db.session.commit()
    latest = rules.latest_announcements(member, limit=3)
    assert [item.texts["title"]["en"] for item in latest] == ["News 3", "News 2", "News 1"]
    assert rules.latest_announcements(AnonymousUserMixin(), limit=3) == []


def test_the_atom_feed_is_valid_xml_of_announcements_only_with_absolute_links(client, organizer, member):
    first = post(organizer, title="First <news> & more", body="Line with *emphasis*.")
    second = post(organizer, title="Second")
    db.session.add(
        Roundtable(
            title="Not news", status="published", starts_at=utcnow(), ends_at=utcnow() + timedelta(hours=1)
        )
    )
    db.session.commit()
    response = client.get(f"/announcements.atom?key={feed_key(member)}")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own response, as the brief asks (xml.etree)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert {entry.findtext(f"{ATOM}title") for entry in entries} == {"First <news> & more", "Second"}
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert all(link.startswith("http://roundtable.test/") for link in links)
    entry_links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert entry_links == {
        f"http://roundtable.test/announcements/{first.id}",
        f"http://roundtable.test/announcements/{second.id}",
    }
    content = {entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}content") for entry in entries}
    assert "<em>emphasis</em>" in content["First <news> & more"]
    assert b"Not news" not in response.data


def test_the_feed_key_stops_working_when_its_owner_is_signed_out_everywhere(client, organizer, member):
    post(organizer)
    key = feed_key(member)
    assert client.get(f"/announcements.atom?key={key}").status_code == 200
    member.login_stamp = new_login_stamp()
    db.session.commit()
    assert client.get(f"/announcements.atom?key={key}").status_code == 404
    member.active = False
    db.session.commit()
    assert client.get(f"/announcements.atom?key={feed_key(member)}").status_code == 404
