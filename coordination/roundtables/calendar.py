"""Roundtables as iCalendar (RFC 5545): a stable UID, a growing SEQUENCE, the event's time zone."""

import secrets
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.markup import is_safe_link
from coordination.roundtables.models import Registration, RegistrationStatus, Roundtable, RoundtableStatus
from coordination.timeutil import utcnow
from coordination.urls import external_url

PRODID = "-//IOM Egypt//Roundtable//EN"


def roundtable_event(roundtable: Roundtable) -> icalendar.Event:
    """The VEVENT of a roundtable; its link points at the event page."""
    zone = ZoneInfo(roundtable.timezone)
    event = icalendar.Event()
    event.add("uid", roundtable.uid)
    event.add("sequence", roundtable.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", roundtable.starts_at.astimezone(zone))
    event.add("dtend", roundtable.ends_at.astimezone(zone))
    event.add("summary", roundtable.title)
    page = external_url("roundtables.detail", roundtable_id=roundtable.id)
    # Calendar programs make the URL clickable: an old row's javascript: link is left out.
    online = roundtable.online_url if is_safe_link(roundtable.online_url) else None
    description = "\n\n".join(part for part in (roundtable.description, online, page) if part)
    event.add("description", description)
    if roundtable.venue:
        event.add("location", roundtable.venue)
    elif online:
        event.add("location", online)
    event.add("url", online or page)
    event.add("status", "CANCELLED" if roundtable.status == RoundtableStatus.CANCELLED else "CONFIRMED")
    return event


def calendar_of(roundtables: list[Roundtable], name: str | None = None) -> bytes:
    """A VCALENDAR holding the roundtables, with the VTIMEZONE definitions they need."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for roundtable in roundtables:
        calendar.add_component(roundtable_event(roundtable))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_attachment(roundtable: Roundtable) -> dict:
    """The .ics of one roundtable, as an outbox attachment."""
    return {
        "filename": f"roundtable-{roundtable.id}.ics",
        "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
        "data": calendar_of([roundtable]).decode(),
    }


def registered_roundtables(user) -> list[Roundtable]:
    """The roundtables `user` holds a seat or a waitlist place for, cancelled ones included."""
    return list(
        db.session.scalars(
            select(Roundtable)
            .join(Registration, Registration.roundtable_id == Roundtable.id)
            .where(
                Registration.user_id == user.id,
                Registration.status.in_((RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED)),
                Roundtable.status != RoundtableStatus.DRAFT,
            )
            .order_by(Roundtable.starts_at)
        )
    )


def renew_calendar_token(user) -> str:
    """Give `user` a new feed address; the old one stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    return user.calendar_token


def user_for_calendar_token(token: str):
    """The active user whose feed this is, or None."""
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    return user if user is not None and user.active else None
