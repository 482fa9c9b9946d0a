"""Reminders before a roundtable: mailed N days before the start, each at most once per person."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.extensions import db
from coordination.mail.outbox import queue_mail
from coordination.roundtables.calendar import ics_attachment
from coordination.roundtables.models import (
    Registration,
    RegistrationStatus,
    Roundtable,
    RoundtableStatus,
    SentReminder,
)


def send_reminders(now: datetime, days: list[int]) -> int:
    """Queue the reminders due at `now`; returns how many. Flushes, never commits.

    A person gets the reminder of the nearest due day only; the farther ones due at the same
    time are marked sent with it, so that nobody gets "in 7 days" and "tomorrow" together.
    """
    days = sorted(set(days))
    horizon = now + timedelta(days=max(days))
    roundtables = db.session.scalars(
        select(Roundtable).where(
            Roundtable.status == RoundtableStatus.PUBLISHED,
            Roundtable.starts_at > now,
            Roundtable.starts_at <= horizon,
        )
    ).all()
    queued = 0
    for roundtable in roundtables:
        due = [n for n in days if now >= roundtable.starts_at - timedelta(days=n)]
        if not due:
            continue
        registrations = db.session.scalars(
            select(Registration)
            .where(
                Registration.roundtable_id == roundtable.id,
                Registration.status == RegistrationStatus.ATTENDING,
            )
            .options(joinedload(Registration.user))
        ).all()
        sent = _already_sent([r.id for r in registrations])
        for registration in registrations:
            kinds = [f"days-{n}" for n in due if (registration.id, f"days-{n}") not in sent]
            if f"days-{due[0]}" not in kinds:
                continue  # the nearest reminder went out already
            person = registration.user
            queue_mail(
                person.email,
                "roundtable_soon",
                person.preferred_language,
                attachments=[ics_attachment(roundtable)],
                person=person,
                roundtable=roundtable,
            )
            db.session.add_all(SentReminder(registration_id=registration.id, kind=kind) for kind in kinds)
            queued += 1
    db.session.flush()
    return queued


def _already_sent(registration_ids: list[int]) -> set[tuple[int, str]]:
    if not registration_ids:
        return set()
    rows = db.session.execute(
        select(SentReminder.registration_id, SentReminder.kind).where(
            SentReminder.registration_id.in_(registration_ids)
        )
    )
    return {(row.registration_id, row.kind) for row in rows}
