"""Roundtables in calendars: the .ics download and the one attached to invitations."""

from datetime import UTC, datetime

import icalendar
import pytest

from coordination.extensions import db
from coordination.roundtables.models import Roundtable
from tests.conftest import login
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
