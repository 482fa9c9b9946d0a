"""Action items of a roundtable (the agreed areas of cooperation): owners, progress notes,
reminders to owners, the organizers' board and the "matters arising" of the next roundtable."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import joinedload

from coordination.audit.rules import record_event
from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.mail.outbox import queue_mail
from coordination.policy import can, require
from coordination.records import apply_changes
from coordination.roundtables.models import (
    ActionItem,
    ActionItemNote,
    ActionItemReminder,
    ActionItemStatus,
    AgendaItem,
    MatterArising,
    Minutes,
    MinutesStatus,
    Registration,
    RegistrationStatus,
    Roundtable,
)
from coordination.taxonomy import SDGS, SERVICE_AREAS

ACTION_FIELDS = (
    "description",
    "owner_organization_id",
    "owner_id",
    "due_on",
    "status",
    "sdg",
    "service_area",
)
PENDING = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)
# Pending first, then what is finished.
_STATUS_ORDER = case({"in_progress": 0, "open": 1, "done": 2, "dropped": 3}, value=ActionItem.status, else_=4)


def _with_owners(query: Select, roundtable: bool = True) -> Select:
    """The owners (and the roundtable, unless the caller has it) in the same query."""
    options = [joinedload(ActionItem.owner), joinedload(ActionItem.owner_organization)]
    if roundtable:
        options.append(joinedload(ActionItem.roundtable))
    return query.options(*options)


def _status(value: str | None) -> ActionItemStatus:
    try:
        return ActionItemStatus(value)
    except ValueError:
        raise ValidationFailed(_l("Choose a status."), field="status") from None


def _checked(fields: dict) -> dict:
    fields = {key: fields.get(key) for key in ACTION_FIELDS}
    if not (fields["description"] or "").strip():
        raise ValidationFailed(_l("Describe the action."), field="description")
    fields["status"] = _status(fields["status"])
    if fields["sdg"] is not None and fields["sdg"] not in SDGS:
        raise ValidationFailed(_l("Choose a Sustainable Development Goal."), field="sdg")
    if fields["service_area"] is not None and fields["service_area"] not in SERVICE_AREAS:
        raise ValidationFailed(_l("Choose a service area."), field="service_area")
    owner = db.session.get(User, fields["owner_id"]) if fields["owner_id"] else None
    if fields["owner_id"] and (owner is None or not owner.active):
        raise ValidationFailed(_l("Choose an active person."), field="owner_id")
    if fields["owner_organization_id"] is None and owner is not None:
        # A person's commitment is also their organization's, so that colleagues see it too.
        fields["owner_organization_id"] = owner.organization_id
    if fields["owner_organization_id"] is None and owner is None:
        raise ValidationFailed(
            _l("Give an owner organization, an owner person, or both."), field="owner_organization_id"
        )
    return fields


def create_action_item(actor, roundtable: Roundtable, **fields) -> ActionItem:
    """Record an agreed action; raises ValidationFailed without a description or an owner."""
    require(actor, "action_item.create", roundtable)
    item = ActionItem(roundtable=roundtable, created_by_id=actor.id, **_checked(fields))
    db.session.add(item)
    db.session.flush()
    record_event(actor, "action_items.create", roundtable, item=item.id)
    return item


def update_action_item(actor, item: ActionItem, **fields) -> list[str]:
    """Save changes to an action item; returns the names of the fields that changed."""
    require(actor, "action_item.edit", item)
    changed = apply_changes(item, _checked(fields))
    if changed:
        record_event(actor, "action_items.update", item.roundtable, item=item.id, fields=changed)
    return changed


def delete_action_item(actor, item: ActionItem) -> None:
    """Remove an action item with its notes."""
    require(actor, "action_item.delete", item)
    record_event(actor, "action_items.delete", item.roundtable, item=item.id, description=item.description)
    db.session.delete(item)
    db.session.flush()


def add_note(actor, item: ActionItem, text: str, status: str | None = None) -> ActionItemNote:
    """Add a progress note, possibly changing the status; only organizers drop an item.

    Raises ValidationFailed for an empty note or a status the actor may not set.
    """
    require(actor, "action_item.add_note", item)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_l("Write what has happened."), field="text")
    if status is not None:
        status = _status(status)
    if status == ActionItemStatus.DROPPED and not can(actor, "action_item.drop", item):
        raise ValidationFailed(_l("Only organizers drop an action item."), field="status")
    changed = status if status is not None and status != item.status else None
    note = ActionItemNote(action_item=item, author_id=actor.id, text=text, status=changed)
    if changed:
        item.status = changed
    db.session.add(note)
    db.session.flush()
    record_event(actor, "action_items.note", item.roundtable, item=item.id, status=changed)
    return note


def action_item(item_id: int) -> ActionItem | None:
    """One item with its owners, roundtable, minutes and notes."""
    return db.session.scalar(
        select(ActionItem)
        .where(ActionItem.id == item_id)
        .options(
            joinedload(ActionItem.owner),
            joinedload(ActionItem.owner_organization),
            joinedload(ActionItem.roundtable),
            joinedload(ActionItem.notes).joinedload(ActionItemNote.author),
        )
    )


def items_of(roundtable: Roundtable) -> list[ActionItem]:
    """The roundtable's action items, pending first, soonest due first."""
    return list(
        db.session.scalars(
            _with_owners(
                select(ActionItem).where(ActionItem.roundtable_id == roundtable.id), roundtable=False
            ).order_by(_STATUS_ORDER, ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        )
    )


def board_query(roundtable_id: int | None, organization_id: int | None, status: str | None) -> Select:
    """The organizers' board: every action item, filtered, pending and soonest due first."""
    query = _with_owners(select(ActionItem))
    if roundtable_id:
        query = query.where(ActionItem.roundtable_id == roundtable_id)
    if organization_id:
        query = query.where(ActionItem.owner_organization_id == organization_id)
    if status:
        query = query.where(ActionItem.status == status)
    return query.order_by(_STATUS_ORDER, ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)


def commitments_query(user: User) -> Select:
    """`user`'s own action items and their organization's, pending first, soonest due first."""
    mine = ActionItem.owner_id == user.id
    if user.organization_id is not None:
        mine = or_(mine, ActionItem.owner_organization_id == user.organization_id)
    return (
        _with_owners(select(ActionItem))
        .join(Roundtable, Roundtable.id == ActionItem.roundtable_id)
        .where(mine, Roundtable.status != "draft")
        .order_by(_STATUS_ORDER, ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )


def board_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Roundtables that have action items, and organizations that own some, for the board's filters."""
    roundtables = db.session.execute(
        select(Roundtable.id, Roundtable.title, Roundtable.starts_at)
        .where(Roundtable.id.in_(select(ActionItem.roundtable_id)))
        .order_by(Roundtable.starts_at.desc())
    ).all()
    organizations = db.session.execute(
        select(Organization.id, Organization.name)
        .where(Organization.id.in_(select(ActionItem.owner_organization_id)))
        .order_by(Organization.name)
    ).all()
    return (
        [(row.id, f"{row.title} ({row.starts_at:%Y-%m-%d})") for row in roundtables],
        [(row.id, row.name) for row in organizations],
    )


def owner_choices(roundtable: Roundtable, current: ActionItem | None = None):
    """People who may own an item (the roundtable's participants and the organizers) and organizations."""
    attending = select(Registration.user_id).where(
        Registration.roundtable_id == roundtable.id, Registration.status == RegistrationStatus.ATTENDING
    )
    people = or_(User.id.in_(attending), User.role == Role.ORGANIZER)
    if current is not None and current.owner_id is not None:
        people = or_(people, User.id == current.owner_id)
    rows = db.session.execute(
        select(User.id, User.name, Organization.name.label("organization"))
        .outerjoin(Organization, Organization.id == User.organization_id)
        .where(people, User.active.is_(True))
        .order_by(User.name)
    ).all()
    organizations = Organization.active.is_(True)
    if current is not None and current.owner_organization_id is not None:
        organizations = or_(organizations, Organization.id == current.owner_organization_id)
    orgs = db.session.execute(
        select(Organization.id, Organization.name).where(organizations).order_by(Organization.name)
    ).all()
    return (
        [(row.id, f"{row.name} — {row.organization}" if row.organization else row.name) for row in rows],
        [(row.id, row.name) for row in orgs],
    )


def published(minutes: Minutes | None) -> bool:
    return minutes is not None and minutes.status == MinutesStatus.PUBLISHED


def carry_matters_arising(copy: Roundtable) -> AgendaItem | None:
    """Put the series' open and in-progress action items on `copy`'s agenda, as "Matters arising".

    The item comes right after the first one (the welcome, usually) and lists the action items,
    so that their status at the meeting is the current one.
    """
    if copy.series_id is None:
        return None
    pending = db.session.scalars(
        select(ActionItem)
        .join(Roundtable, Roundtable.id == ActionItem.roundtable_id)
        .where(
            Roundtable.series_id == copy.series_id,
            Roundtable.id != copy.id,
            ActionItem.status.in_(PENDING),
        )
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    ).all()
    if not pending:
        return None
    position = 2 if copy.agenda else 1
    for entry in copy.agenda:
        if entry.position >= position:
            entry.position += 1
    item = AgendaItem(
        roundtable=copy, position=position, duration_minutes=15, title=gettext("Matters arising")
    )
    db.session.add(item)
    db.session.flush()
    db.session.add_all(
        MatterArising(agenda_item_id=item.id, action_item_id=action.id, position=index)
        for index, action in enumerate(pending, start=1)
    )
    db.session.flush()
    db.session.expire(copy, ["agenda"])
    return item


def matters_arising_of(roundtable: Roundtable) -> dict[int, list[ActionItem]]:
    """Agenda item id → the action items listed under it, in one query."""
    rows = db.session.scalars(
        select(MatterArising)
        .join(AgendaItem, AgendaItem.id == MatterArising.agenda_item_id)
        .where(AgendaItem.roundtable_id == roundtable.id)
        .options(
            joinedload(MatterArising.action_item).joinedload(ActionItem.owner_organization),
            joinedload(MatterArising.action_item).joinedload(ActionItem.owner),
        )
        .order_by(MatterArising.agenda_item_id, MatterArising.position)
    )
    listed: dict[int, list[ActionItem]] = defaultdict(list)
    for row in rows:
        listed[row.agenda_item_id].append(row.action_item)
    return dict(listed)


def _local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def remind_owners(now: datetime, days: int) -> int:
    """Mail owners their pending action items due within `days` days, and overdue ones; returns
    how many mails were queued. Each item's due-soon and overdue reminders go out once per due
    date; one mail per person lists all their items. Flushes, never commits.

    The owner person is mailed; an item owned by an organization alone goes to its focal points,
    or to its organizers when it has none (IOM's own items).
    """
    horizon = now.date() + timedelta(days=days + 1)  # local dates run at most a day ahead of UTC
    items = db.session.scalars(
        _with_owners(select(ActionItem))
        .join(Roundtable, Roundtable.id == ActionItem.roundtable_id)
        .where(
            ActionItem.status.in_(PENDING),
            ActionItem.due_on.is_not(None),
            ActionItem.due_on <= horizon,
            # A draft has not been held and a cancelled roundtable never will be: nothing was agreed.
            Roundtable.status.in_(("published", "completed")),
        )
    ).all()
    sent = _already_sent([item.id for item in items])
    due: list[tuple[ActionItem, str]] = []
    for item in items:
        today = _local_today(now, item.roundtable.timezone)
        if item.due_on < today:
            kind = f"overdue:{item.due_on.isoformat()}"
        elif item.due_on <= today + timedelta(days=days):
            kind = f"due-soon:{item.due_on.isoformat()}"
        else:
            continue
        if (item.id, kind) not in sent:
            due.append((item, kind))
    focal_points = _focal_points_of({item.owner_organization_id for item, _kind in due})
    letters: dict[int, tuple[User, list[ActionItem], list[ActionItem]]] = {}
    for item, kind in due:
        if item.owner is not None and item.owner.active:
            recipients = [item.owner]
        else:
            recipients = focal_points.get(item.owner_organization_id, [])
        if not recipients:
            continue  # nobody to tell yet: tried again on the next run
        for person in recipients:
            _person, soon, overdue = letters.setdefault(person.id, (person, [], []))
            (overdue if kind.startswith("overdue") else soon).append(item)
        db.session.add(ActionItemReminder(action_item_id=item.id, kind=kind))
    for person, soon, overdue in letters.values():
        queue_mail(
            person.email,
            "action_items_due",
            person.preferred_language,
            person=person,
            due_soon=soon,
            overdue=overdue,
        )
    db.session.flush()
    return len(letters)


def _already_sent(item_ids: list[int]) -> set[tuple[int, str]]:
    if not item_ids:
        return set()
    rows = db.session.execute(
        select(ActionItemReminder.action_item_id, ActionItemReminder.kind).where(
            ActionItemReminder.action_item_id.in_(item_ids)
        )
    )
    return {(row.action_item_id, row.kind) for row in rows}


def _focal_points_of(organization_ids: set[int | None]) -> dict[int, list[User]]:
    """Each organization's active focal points; IOM's own items (no focal point) go to its organizers."""
    organization_ids.discard(None)
    if not organization_ids:
        return {}
    people = db.session.scalars(
        select(User)
        .where(
            User.organization_id.in_(organization_ids),
            User.role.in_((Role.FOCAL_POINT, Role.ORGANIZER)),
            User.active.is_(True),
        )
        .order_by(User.name)
    )
    found: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
    for person in people:
        found[person.organization_id][person.role].append(person)
    return {
        organization_id: roles.get(Role.FOCAL_POINT) or roles.get(Role.ORGANIZER, [])
        for organization_id, roles in found.items()
    }
