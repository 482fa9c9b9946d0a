"""What the roundtables area does: schedule, publish, complete, cancel, and keep the agenda."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from coordination.audit.rules import record_event
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.feedback import invitations as feedback_invitations
from coordination.feedback import rules as feedback_rules
from coordination.policy import can, require
from coordination.records import apply_changes
from coordination.roundtables.follow_up.actions import carry_matters_arising
from coordination.roundtables.models import AgendaItem, Invitation, Roundtable, RoundtableStatus, Series
from coordination.roundtables.registrations import mail_registrants

ROUNDTABLE_FIELDS = (
    "title", "description", "starts_at", "ends_at", "timezone", "venue", "online_url", "languages",
    "capacity", "seats_per_organization", "registration_closes_at", "sdgs", "service_areas",
)  # fmt: skip
# A change to one of these changes registrants' calendars.
CALENDAR_FIELDS = {"starts_at", "ends_at", "timezone", "venue", "online_url"}
UPCOMING_PER_PAGE = 20
PAST_SHOWN = 50


def to_utc(local: datetime | None, timezone: str) -> datetime | None:
    """A wall-clock time in `timezone` (naive) as an aware UTC datetime; tzdata decides the offset."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def to_local(moment: datetime | None, timezone: str) -> datetime | None:
    """An aware datetime as naive wall-clock time in `timezone` (for forms)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def visible_roundtables(viewer):
    """The select of roundtables `viewer` may see: organizers all, members all but drafts."""
    query = select(Roundtable)
    if not can(viewer, "roundtable.view_drafts"):
        query = query.where(Roundtable.status != RoundtableStatus.DRAFT)
    return query


def upcoming(viewer, now: datetime) -> Select:
    """The select of the roundtables `viewer` may see that have not ended, soonest first (paged by
    the caller, so that a long schedule costs no more than a short one)."""
    return (
        visible_roundtables(viewer)
        .where(Roundtable.ends_at >= now)
        .order_by(Roundtable.starts_at, Roundtable.id)
    )


def past(viewer, now: datetime, limit: int = PAST_SHOWN) -> list[Roundtable]:
    """The latest `limit` roundtables `viewer` may see that have ended, latest first."""
    query = visible_roundtables(viewer).where(Roundtable.ends_at < now)
    return list(db.session.scalars(query.order_by(Roundtable.starts_at.desc()).limit(limit)))


def _series(name: str | None) -> Series | None:
    if not name or not name.strip():
        return None
    name = name.strip()
    series = db.session.scalar(select(Series).where(func.lower(Series.name) == name.lower()))
    if series is None:
        series = Series(name=name)
        db.session.add(series)
        db.session.flush()
    return series


def _check(fields: dict) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise ValidationFailed(_l("The end must come after the start."), field="ends_at")
    if not fields.get("venue") and not fields.get("online_url"):
        raise ValidationFailed(_l("Give a venue, an online link, or both."), field="venue")
    closes = fields.get("registration_closes_at")
    if closes is not None and closes > fields["starts_at"]:
        raise ValidationFailed(
            _l("Registrations must close before the roundtable starts."), field="registration_closes_at"
        )
    capacity, seats = fields.get("capacity"), fields.get("seats_per_organization")
    if capacity and seats and seats > capacity:
        raise ValidationFailed(
            _l("Seats per organization cannot exceed the total capacity."), field="seats_per_organization"
        )


def _in_utc(fields: dict) -> dict:
    """The form's fields with its wall-clock times turned into UTC in the event's time zone."""
    fields = {key: fields[key] for key in ROUNDTABLE_FIELDS if key in fields}
    for key in ("starts_at", "ends_at", "registration_closes_at"):
        fields[key] = to_utc(fields.get(key), fields["timezone"])
    return fields


def create_roundtable(actor, *, series_name: str | None = None, **fields) -> Roundtable:
    """Schedule a roundtable as a draft; raises ValidationFailed on inconsistent dates or places."""
    require(actor, "roundtable.create")
    fields = _in_utc(fields)
    _check(fields)
    roundtable = Roundtable(**fields, series=_series(series_name), created_by_id=actor.id)
    db.session.add(roundtable)
    db.session.flush()
    record_event(actor, "roundtables.create", roundtable, title=roundtable.title)
    return roundtable


def update_roundtable(
    actor, roundtable: Roundtable, *, series_name: str | None = None, **fields
) -> list[str]:
    """Save changes; a new time or place of a published roundtable bumps its calendar sequence."""
    require(actor, "roundtable.edit", roundtable)
    fields = _in_utc(fields)
    _check(fields)
    changed = apply_changes(roundtable, fields)
    series = _series(series_name)
    if series is not roundtable.series:
        roundtable.series = series
        changed.append("series")
    if CALENDAR_FIELDS & set(changed) and roundtable.status == RoundtableStatus.PUBLISHED:
        roundtable.sequence += 1
        mail_registrants(roundtable, "roundtable_changed")
    if changed:
        record_event(actor, "roundtables.update", roundtable, fields=changed)
    return changed


def publish_roundtable(actor, roundtable: Roundtable) -> None:
    """Make a draft visible to members."""
    require(actor, "roundtable.publish", roundtable)
    roundtable.status = RoundtableStatus.PUBLISHED
    record_event(actor, "roundtables.publish", roundtable)


def complete_roundtable(actor, roundtable: Roundtable) -> None:
    """Mark a published roundtable as held; its published feedback forms not mailed yet go to their
    audience (queued in the same transaction)."""
    require(actor, "roundtable.complete", roundtable)
    roundtable.status = RoundtableStatus.COMPLETED
    record_event(actor, "roundtables.complete", roundtable)
    feedback_invitations.invite_when_roundtable_completed(actor, roundtable)


def cancel_roundtable(actor, roundtable: Roundtable, reason: str) -> None:
    """Cancel a draft or published roundtable, keeping the reason; raises ValidationFailed without one."""
    require(actor, "roundtable.cancel", roundtable)
    if not reason or not reason.strip():
        raise ValidationFailed(_l("Say why the roundtable is cancelled."), field="reason")
    roundtable.status = RoundtableStatus.CANCELLED
    roundtable.cancellation_reason = reason.strip()
    roundtable.sequence += 1
    notified = mail_registrants(roundtable, "roundtable_cancelled", reason=roundtable.cancellation_reason)
    record_event(
        actor, "roundtables.cancel", roundtable, reason=roundtable.cancellation_reason, notified=notified
    )


AGENDA_FIELDS = ("title", "starts_at", "duration_minutes", "presenter_id", "presenter_name", "service_area")


def agenda_of(roundtable: Roundtable) -> list[AgendaItem]:
    """The roundtable's agenda in order, with the presenters."""
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.roundtable_id == roundtable.id)
            .options(joinedload(AgendaItem.presenter))
            .order_by(AgendaItem.position)
        )
    )


def add_agenda_item(actor, roundtable: Roundtable, **fields) -> AgendaItem:
    """Append an item to the agenda; its start is given in the roundtable's time zone."""
    require(actor, "roundtable.edit_agenda", roundtable)
    fields = {key: fields.get(key) for key in AGENDA_FIELDS}
    fields["starts_at"] = to_utc(fields["starts_at"], roundtable.timezone)
    last = db.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.roundtable_id == roundtable.id)
    )
    item = AgendaItem(roundtable=roundtable, position=(last or 0) + 1, **fields)
    db.session.add(item)
    db.session.flush()
    record_event(actor, "roundtables.agenda.add", roundtable, item=item.title)
    return item


def update_agenda_item(actor, item: AgendaItem, **fields) -> list[str]:
    """Save changes to an agenda item."""
    require(actor, "roundtable.edit_agenda", item.roundtable)
    fields = {key: fields.get(key) for key in AGENDA_FIELDS}
    fields["starts_at"] = to_utc(fields["starts_at"], item.roundtable.timezone)
    changed = apply_changes(item, fields)
    if changed:
        record_event(actor, "roundtables.agenda.update", item.roundtable, item=item.title, fields=changed)
    return changed


def remove_agenda_item(actor, item: AgendaItem) -> None:
    """Delete an agenda item."""
    roundtable = item.roundtable
    require(actor, "roundtable.edit_agenda", roundtable)
    roundtable.agenda.remove(item)
    record_event(actor, "roundtables.agenda.remove", roundtable, item=item.title)


def move_agenda_item(actor, item: AgendaItem, step: int) -> None:
    """Move an item one place up (step -1) or down (+1) in its agenda."""
    roundtable = item.roundtable
    require(actor, "roundtable.edit_agenda", roundtable)
    items = list(roundtable.agenda)
    index = items.index(item)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        for position, entry in enumerate(items, start=1):
            entry.position = position


def prepare_next(actor, roundtable: Roundtable) -> Roundtable:
    """A new draft in the same series, a week later, with the settings, the agenda and (through
    the feedback area's rule) the feedback forms copied, and the series' pending action items listed
    under "Matters arising".

    Its invitation page starts with the previous roundtable's organizations ticked
    (`previous_invitation_list`): nobody is mailed until the organizer sends the invitations.
    """
    require(actor, "roundtable.create")
    if roundtable.series is None:
        roundtable.series = _series(roundtable.title)
    shift = timedelta(days=7)
    copy = Roundtable(
        series=roundtable.series,
        title=roundtable.title,
        description=roundtable.description,
        starts_at=roundtable.starts_at + shift,
        ends_at=roundtable.ends_at + shift,
        timezone=roundtable.timezone,
        venue=roundtable.venue,
        online_url=roundtable.online_url,
        languages=list(roundtable.languages),
        capacity=roundtable.capacity,
        seats_per_organization=roundtable.seats_per_organization,
        sdgs=list(roundtable.sdgs),
        service_areas=list(roundtable.service_areas),
        created_by_id=actor.id,
    )
    for item in roundtable.agenda:
        copy.agenda.append(
            AgendaItem(
                position=item.position,
                starts_at=item.starts_at + shift if item.starts_at else None,
                duration_minutes=item.duration_minutes,
                title=item.title,
                presenter_id=item.presenter_id,
                presenter_name=item.presenter_name,
                service_area=item.service_area,
            )
        )
    db.session.add(copy)
    db.session.flush()
    carry_matters_arising(copy)
    feedback_rules.copy_forms_to_next_roundtable(actor, roundtable, copy)
    record_event(actor, "roundtables.prepare_next", copy, source=roundtable.id)
    return copy


def previous_invitation_list(roundtable: Roundtable) -> list[int]:
    """The organizations invited to the series' roundtable before this one."""
    if roundtable.series_id is None:
        return []
    previous = db.session.scalar(
        select(Roundtable.id)
        .where(
            Roundtable.series_id == roundtable.series_id,
            Roundtable.starts_at < roundtable.starts_at,
            Roundtable.id != roundtable.id,
        )
        .order_by(Roundtable.starts_at.desc())
        .limit(1)
    )
    if previous is None:
        return []
    return list(
        db.session.scalars(select(Invitation.organization_id).where(Invitation.roundtable_id == previous))
    )
