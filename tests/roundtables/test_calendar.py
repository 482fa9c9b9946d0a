"""Roundtables in calendars: the .ics download and the one attached to invitations."""

import re
from datetime import UTC, datetime

import icalendar
import pytest

from coordination.auth.models import User
from coordination.extensions import db
from coordination.roundtables.models import Registration, Roundtable
from tests.conftest import body_text, login
from tests.roundtables.conftest import make_roundtable


def _event(ics: bytes) -> icalendar.Event:
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return event


@pytest.mark.parametrize(
    ("starts", "wall_clock"),
    [(datetime(2030, 7, 15, 7, tzinfo=UTC), "10:00"), (datetime(2030, 1, 15, 8, tzinfo=UTC), "10:00")],
    ids=["summer time", "winter time"],
)
def test_ics_holds_the_cairo_time_and_the_utc_instant(client, member, starts, wall_clock):
    roundtable = make_roundtable(
        starts_at=starts, ends_at=starts.replace(hour=starts.hour + 2), online_url="https://meet.example/rt"
    )
    login(client, member)
    response = client.get(f"/roundtables/{roundtable.id}/calendar.ics")
    assert response.mimetype == "text/calendar"
    event = _event(response.data)
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Africa/Cairo"
    assert start.strftime("%H:%M") == wall_clock
    assert start.astimezone(UTC) == starts
    assert event["location"] == "IOM Egypt, Cairo"
    assert "https://meet.example/rt" in event["description"]
    assert b"BEGIN:VTIMEZONE" in response.data


def test_uid_stays_and_sequence_grows_when_a_published_roundtable_moves(client, organizer):
    roundtable = make_roundtable()
    login(client, organizer)
    before = _event(client.get(f"/roundtables/{roundtable.id}/calendar.ics").data)
    form = {
        "title": roundtable.title, "timezone": "Africa/Cairo", "starts_at": "2030-07-15T11:00",
        "ends_at": "2030-07-15T13:00", "venue": "Another venue", "languages": ["en"],
    }  # fmt: skip
    assert client.post(f"/roundtables/{roundtable.id}/edit", data=form).status_code == 302
    after = _event(client.get(f"/roundtables/{roundtable.id}/calendar.ics").data)
    assert after["uid"] == before["uid"]
    assert after["sequence"] == before["sequence"] + 1
    assert after["location"] == "Another venue"


def test_drafts_have_no_calendar_for_members(client, member):
    roundtable = make_roundtable(status="draft")
    login(client, member)
    assert client.get(f"/roundtables/{roundtable.id}/calendar.ics").status_code == 404


def test_the_invitation_mail_carries_the_ics(client, organizer, organization, focal_point, smtp_server):
    roundtable = make_roundtable(
        starts_at=datetime(2030, 7, 15, 7, tzinfo=UTC), ends_at=datetime(2030, 7, 15, 10, tzinfo=UTC)
    )
    login(client, organizer)
    client.post(f"/roundtables/{roundtable.id}/invitations", data={"organizations": [str(organization.id)]})
    [message] = smtp_server.wait_for(1)
    [attachment] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    event = _event(attachment.get_payload(decode=True))
    assert event["uid"] == db.session.get(Roundtable, roundtable.id).uid
    assert event.decoded("dtstart").strftime("%H:%M") == "10:00"


def _registered(roundtable, *people):
    for person in people:
        db.session.add(
            Registration(
                roundtable=roundtable, user=person, organization_id=person.organization_id, status="attending"
            )
        )
    db.session.commit()


def test_cancelling_mails_every_registrant_exactly_once(client, organizer, focal_point, member, smtp_server):
    roundtable = make_roundtable()
    _registered(roundtable, focal_point, member)
    login(client, organizer)
    client.post(f"/roundtables/{roundtable.id}/cancel", data={"reason": "The venue is closed."})
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == sorted([focal_point.email, member.email])
    assert all("The venue is closed." in body_text(m) for m in messages)
    [attachment] = [p for p in messages[0].walk() if p.get_content_type() == "text/calendar"]
    assert _event(attachment.get_payload(decode=True))["status"] == "CANCELLED"
    assert len(smtp_server.messages) == 2


def test_registrants_get_the_new_time_with_an_updated_ics(client, organizer, member, smtp_server):
    roundtable = make_roundtable(
        starts_at=datetime(2030, 7, 15, 7, tzinfo=UTC), ends_at=datetime(2030, 7, 15, 9, tzinfo=UTC)
    )
    _registered(roundtable, member)
    login(client, organizer)
    form = {
        "title": roundtable.title, "timezone": "Africa/Cairo", "starts_at": "2030-07-15T12:00",
        "ends_at": "2030-07-15T14:00", "venue": "IOM Egypt, Cairo", "languages": ["en"],
    }  # fmt: skip
    client.post(f"/roundtables/{roundtable.id}/edit", data=form)
    [message] = smtp_server.wait_for(1)
    assert message["To"] == member.email
    [attachment] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    event = _event(attachment.get_payload(decode=True))
    assert event.decoded("dtstart").strftime("%H:%M") == "12:00"
    assert event["sequence"] == 1


def test_private_feed_lists_my_roundtables_until_i_replace_its_address(app, client, member):
    mine = make_roundtable(title="Mine")
    make_roundtable(title="Not mine")
    _registered(mine, member)
    login(client, member)
    client.post("/profile/calendar")
    profile = client.get("/profile").get_data(as_text=True)
    feed = re.search(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"', profile).group(1)

    anonymous = app.test_client()  # calendar applications do not sign in: the address is the key
    response = anonymous.get(feed)
    assert response.mimetype == "text/calendar"
    summaries = [
        str(event["summary"]) for event in icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    ]
    assert summaries == ["Mine"]

    client.post("/profile/calendar")
    assert anonymous.get(feed).status_code == 404
    assert db.session.get(User, member.id).calendar_token not in feed


def test_an_unknown_feed_address_is_not_found(client):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
