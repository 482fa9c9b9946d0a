"""Invitations and registrations: who is invited, who comes, who waits for a seat.

Every change to a roundtable's registrations starts by updating the roundtable's row
(`_lock`), so that concurrent requests for one roundtable run one after the other: a row lock
on PostgreSQL, the database's write lock on SQLite. The counts that decide between a seat, the
waitlist and a refusal are read after that, so capacity and quotas hold under any concurrency.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager, joinedload

from coordination.audit.rules import record_event
from coordination.auth.models import Role, User
from coordination.auth.rules import find_user_by_email, normalize_email, send_invitation
from coordination.directory.countries import country_name
from coordination.directory.models import Organization
from coordination.directory.rules import create_person
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.mail.outbox import queue_mail
from coordination.policy import can, require
from coordination.roundtables.calendar import ics_attachment
from coordination.roundtables.models import (
    Invitation,
    InvitationStatus,
    Registration,
    RegistrationStatus,
    Roundtable,
    RoundtableStatus,
)
from coordination.timeutil import utcnow

HOLDING = (RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED)


def _lock(roundtable: Roundtable) -> None:
    db.session.execute(
        update(Roundtable)
        .where(Roundtable.id == roundtable.id)
        .values(registrations_version=Roundtable.registrations_version + 1, updated_at=Roundtable.updated_at)
        .execution_options(synchronize_session=False)
    )


def invited_organization_ids(roundtable: Roundtable) -> set[int]:
    return set(
        db.session.scalars(
            select(Invitation.organization_id).where(Invitation.roundtable_id == roundtable.id)
        )
    )


def invitable_organizations(roundtable: Roundtable) -> list[Organization]:
    """The active organizations not invited yet, by name (the invitation page's choices)."""
    invited = select(Invitation.organization_id).where(Invitation.roundtable_id == roundtable.id)
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.active.is_(True), Organization.id.not_in(invited))
            .order_by(Organization.name)
        )
    )


def invitation_for(roundtable: Roundtable, organization_id: int | None) -> Invitation | None:
    """The organization's invitation to the roundtable, with the organization (one query)."""
    if organization_id is None:
        return None
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.roundtable_id == roundtable.id, Invitation.organization_id == organization_id)
        .options(joinedload(Invitation.organization))
    )


def invite_organizations(
    actor, roundtable: Roundtable, organizations: list[Organization]
) -> list[Invitation]:
    """Invite the organizations not yet invited and mail their invitation recipients.

    Returns the new invitations."""
    require(actor, "roundtable.invite", roundtable)
    already = invited_organization_ids(roundtable)
    invitations = []
    for organization in organizations:
        if organization.id in already or not organization.active:
            continue
        invitation = Invitation(roundtable=roundtable, organization=organization, invited_by_id=actor.id)
        db.session.add(invitation)
        invitations.append(invitation)
    db.session.flush()
    for invitation in invitations:
        _mail_invitation(invitation, "roundtable_invitation")
    if invitations:
        record_event(
            actor, "roundtables.invite", roundtable, organizations=[i.organization.name for i in invitations]
        )
    return invitations


def invitation_recipients(organization_id: int) -> list[User]:
    """Who receives an organization's invitations: its focal points and its named contacts."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organization_id == organization_id,
                User.active.is_(True),
                (User.role == Role.FOCAL_POINT) | User.invitation_contact.is_(True),
            )
            .order_by(User.id)
        )
    )


def _mail_invitation(invitation: Invitation, template: str) -> list[str]:
    recipients = invitation_recipients(invitation.organization_id)
    for person in recipients:
        queue_mail(
            person.email,
            template,
            person.preferred_language,
            attachments=[ics_attachment(invitation.roundtable)],
            person=person,
            roundtable=invitation.roundtable,
            invitation=invitation,
        )
    return [person.email for person in recipients]


def remind_unanswered(actor, roundtable: Roundtable) -> list[str]:
    """Mail the recipients of the invitations not yet answered; returns the addresses."""
    require(actor, "roundtable.invite", roundtable)
    pending = db.session.scalars(
        select(Invitation).where(
            Invitation.roundtable_id == roundtable.id, Invitation.status == InvitationStatus.INVITED
        )
    ).all()
    sent = []
    for invitation in pending:
        sent += _mail_invitation(invitation, "roundtable_reminder")
        invitation.reminded_at = utcnow()
    record_event(actor, "roundtables.remind_invited", roundtable, recipients=sent)
    return sent


def open_invitation(token: str) -> Invitation | None:
    """The invitation a mailed link names, marked opened the first time."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token == token))
    if invitation is not None and invitation.opened_at is None:
        invitation.opened_at = utcnow()
    return invitation


def answer_invitation(actor, invitation: Invitation, accept: bool) -> None:
    """A focal point accepts or declines for their organization."""
    require(actor, "invitation.answer", invitation)
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.answered_at = utcnow()
    record_event(actor, "roundtables.invitation.answer", invitation.roundtable, accepted=accept)


def _check_open(roundtable: Roundtable) -> None:
    now = utcnow()
    if roundtable.status != RoundtableStatus.PUBLISHED:
        raise ValidationFailed(_l("Registrations are open only for published roundtables."))
    closes = roundtable.registration_closes_at or roundtable.starts_at
    if now >= closes:
        raise ValidationFailed(_l("Registrations for this roundtable are closed."))


def register(actor, roundtable: Roundtable, person: User) -> Registration:
    """Give `person` a seat, or a place on the waitlist once the roundtable is full.

    Raises ValidationFailed when registrations are closed, the organization is not invited, the
    person is already registered or the organization has used its seats.
    """
    require(actor, "registration.create", roundtable, person)
    _check_open(roundtable)
    invitation = invitation_for(roundtable, person.organization_id)
    if invitation is None:
        raise ValidationFailed(_l("This person's organization is not invited."))
    _lock(roundtable)
    registration = _registration_of(roundtable, person)
    if registration is not None and registration.status in HOLDING:
        raise ValidationFailed(_l("%(name)s is already registered.", name=person.name))
    quota = roundtable.seats_per_organization
    if quota is not None and _held_by(roundtable, person.organization_id) >= quota:
        raise ValidationFailed(_l("Your organization has used its %(num)d seats.", num=quota))
    full = roundtable.capacity is not None and _attending(roundtable) >= roundtable.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.ATTENDING
    if registration is None:
        registration = Registration(roundtable=roundtable, user=person)
        db.session.add(registration)
    registration.status = status
    registration.organization_id = person.organization_id
    registration.registered_at = utcnow()
    registration.registered_by_id = actor.id
    registration.withdrawn_at = None
    if invitation.status == InvitationStatus.INVITED:
        invitation.status = InvitationStatus.ACCEPTED
        invitation.answered_at = utcnow()
    db.session.flush()
    record_event(actor, "roundtables.register", roundtable, person=person.email, status=status)
    return registration


def register_new_person(
    actor, roundtable: Roundtable, *, name: str, email: str, preferred_language: str
) -> Registration:
    """Add someone who is not yet in the directory to the actor's organization and register them.

    The new person is mailed an invitation to set their password. A refusal (taken address,
    closed registrations, used seats) leaves neither the person nor the mail behind, since both are
    written in the caller's transaction.
    """
    require(actor, "registration.create_new", roundtable)
    if find_user_by_email(email) is not None:
        raise ValidationFailed(
            _l("This address is already in the directory: choose the person from the list above."),
            field="email",
        )
    person = create_person(
        actor, actor.organization, name=name, email=email, preferred_language=preferred_language
    )
    registration = register(actor, roundtable, person)
    send_invitation(actor, person)
    return registration


def withdraw(actor, registration: Registration) -> Registration | None:
    """Give up a seat or a waitlist place; the first person waiting gets a freed seat and a mail.

    Returns the registration promoted, if any.
    """
    require(actor, "registration.withdraw", registration)
    roundtable = registration.roundtable
    _lock(roundtable)
    db.session.refresh(registration)
    if registration.status not in HOLDING:
        return None
    had_seat = registration.status == RegistrationStatus.ATTENDING
    registration.status = RegistrationStatus.WITHDRAWN
    registration.withdrawn_at = utcnow()
    db.session.flush()
    record_event(actor, "roundtables.withdraw", roundtable, person=registration.user.email)
    if had_seat:
        return _promote_first_waiting(roundtable)
    return None


def _promote_first_waiting(roundtable: Roundtable) -> Registration | None:
    if roundtable.capacity is not None and _attending(roundtable) >= roundtable.capacity:
        return None
    first = db.session.scalar(
        select(Registration)
        .where(
            Registration.roundtable_id == roundtable.id, Registration.status == RegistrationStatus.WAITLISTED
        )
        .order_by(Registration.registered_at, Registration.id)
        .limit(1)
    )
    if first is None:
        return None
    first.status = RegistrationStatus.ATTENDING
    first.promoted_at = utcnow()
    queue_mail(
        first.user.email,
        "registration_promoted",
        first.user.preferred_language,
        person=first.user,
        roundtable=roundtable,
    )
    record_event(None, "roundtables.promote", roundtable, person=first.user.email)
    return first


def _attending(roundtable: Roundtable) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.roundtable_id == roundtable.id, Registration.status == RegistrationStatus.ATTENDING
        )
    )


def _held_by(roundtable: Roundtable, organization_id: int | None) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.roundtable_id == roundtable.id,
            Registration.organization_id == organization_id,
            Registration.status.in_(HOLDING),
        )
    )


def invitation_overview(roundtable: Roundtable) -> list[dict]:
    """Per invited organization: its invitation and how many of its people hold a seat or wait."""
    counts = dict(
        db.session.execute(
            select(Registration.organization_id, func.count(Registration.id))
            .where(Registration.roundtable_id == roundtable.id, Registration.status.in_(HOLDING))
            .group_by(Registration.organization_id)
        ).all()
    )
    invitations = db.session.scalars(
        select(Invitation)
        .join(Organization)
        .where(Invitation.roundtable_id == roundtable.id)
        .options(contains_eager(Invitation.organization))
        .order_by(Organization.name)
    ).all()
    return [{"invitation": i, "registered": counts.get(i.organization_id, 0)} for i in invitations]


def registrations_of(roundtable: Roundtable) -> list[Registration]:
    """Everyone holding a seat or waiting, seats first, each group in arrival order."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.roundtable_id == roundtable.id, Registration.status.in_(HOLDING))
            .options(joinedload(Registration.user), joinedload(Registration.organization))
            .order_by(Registration.status, Registration.registered_at, Registration.id)
        )
    )


def delegation(roundtable: Roundtable, organization_id: int | None) -> list[Registration]:
    """The registrations of one organization (for its focal points and members)."""
    if organization_id is None:
        return []
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.roundtable_id == roundtable.id,
                Registration.organization_id == organization_id,
                Registration.status.in_(HOLDING),
            )
            .options(joinedload(Registration.user))
            .order_by(Registration.registered_at)
        )
    )


def attending_organizations(roundtable: Roundtable) -> list[str]:
    """Names of the organizations with someone holding a seat (no names of people)."""
    return list(
        db.session.scalars(
            select(Organization.name)
            .join(Registration, Registration.organization_id == Organization.id)
            .where(
                Registration.roundtable_id == roundtable.id,
                Registration.status == RegistrationStatus.ATTENDING,
            )
            .group_by(Organization.name)
            .order_by(Organization.name)
        )
    )


def mail_registrants(roundtable: Roundtable, template: str, **context) -> list[str]:
    """Mail everyone holding a seat or waiting, once each, with the roundtable's current .ics."""
    holders = db.session.scalars(
        select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(Registration.roundtable_id == roundtable.id, Registration.status.in_(HOLDING))
        .order_by(User.id)
    ).all()
    attachment = ics_attachment(roundtable)
    for person in holders:
        queue_mail(
            person.email,
            template,
            person.preferred_language,
            attachments=[attachment],
            person=person,
            roundtable=roundtable,
            **context,
        )
    return [person.email for person in holders]


def add_check_in_helper(actor, roundtable: Roundtable, email: str) -> User:
    """Let someone of the directory check people in on the day; they are mailed the page's link."""
    require(actor, "roundtable.delegate_check_in", roundtable)
    helper = find_user_by_email(normalize_email(email))
    if helper is None or not helper.active:
        raise ValidationFailed(_l("Nobody active in the directory uses this email address."), field="email")
    if can(helper, "roundtable.check_in", roundtable):
        raise ValidationFailed(_l("%(name)s can already check people in.", name=helper.name), field="email")
    roundtable.helpers.append(helper)
    queue_mail(
        helper.email, "check_in_helper", helper.preferred_language, person=helper, roundtable=roundtable
    )
    record_event(actor, "roundtables.check_in.delegate", roundtable, helper=helper.email)
    return helper


def remove_check_in_helper(actor, roundtable: Roundtable, helper: User) -> None:
    require(actor, "roundtable.delegate_check_in", roundtable)
    if helper in roundtable.helpers:
        roundtable.helpers.remove(helper)
        record_event(actor, "roundtables.check_in.undelegate", roundtable, helper=helper.email)


def check_in(actor, registration: Registration) -> None:
    """Record that the person is here (a waitlisted person who came anyway gets the seat)."""
    require(actor, "roundtable.check_in", registration.roundtable)
    if registration.checked_in_at is None:
        registration.checked_in_at = utcnow()
        registration.status = RegistrationStatus.ATTENDING
        record_event(actor, "roundtables.check_in", registration.roundtable, person=registration.user.email)


def undo_check_in(actor, registration: Registration) -> None:
    """Take back a check-in made by mistake."""
    require(actor, "roundtable.check_in", registration.roundtable)
    if registration.checked_in_at is not None:
        registration.checked_in_at = None
        record_event(
            actor, "roundtables.check_in.undo", registration.roundtable, person=registration.user.email
        )


def add_walk_in(
    actor, roundtable: Roundtable, *, name: str, email: str, organization: Organization
) -> Registration:
    """Register and check in someone who came without registering; a new person joins the directory.

    An organizer may add anyone. A check-in helper adds only people of invited organizations, within
    the organization's seats and the roundtable's capacity (`_check_helper_walk_in`); raises
    ValidationFailed otherwise.
    """
    require(actor, "roundtable.check_in", roundtable)
    person = find_user_by_email(email)
    _lock(roundtable)
    registration = None if person is None else _registration_of(roundtable, person)
    if not can(actor, "roundtable.add_any_walk_in", roundtable):
        _check_helper_walk_in(roundtable, person, organization, registration)
    if person is None:
        person = create_person(actor, organization, name=name, email=email)
    if registration is None:
        registration = Registration(roundtable=roundtable, user=person, registered_by_id=actor.id)
        db.session.add(registration)
    registration.organization_id = person.organization_id
    registration.status = RegistrationStatus.ATTENDING
    registration.withdrawn_at = None
    registration.checked_in_at = utcnow()
    db.session.flush()
    record_event(actor, "roundtables.walk_in", roundtable, person=person.email)
    return registration


def _check_helper_walk_in(
    roundtable: Roundtable, person: User | None, organization: Organization, registration: Registration | None
) -> None:
    """What a check-in helper may not do at the door: add someone of an organization that is not
    invited, file a person of the directory under another organization, register an organizer, or
    give a new seat beyond the organization's quota or the roundtable's capacity."""
    ask = _l("Ask an organizer.")
    if invitation_for(roundtable, organization.id) is None:
        raise ValidationFailed(
            _l("This organization is not invited to this roundtable. %(ask)s", ask=ask),
            field="organization_id",
        )
    if person is not None and (person.organization_id != organization.id or person.role == Role.ORGANIZER):
        raise ValidationFailed(
            _l("This address belongs to someone of another organization. %(ask)s", ask=ask), field="email"
        )
    if registration is not None and registration.status in HOLDING:
        return  # already registered: checking them in takes no new seat from anyone
    quota = roundtable.seats_per_organization
    if quota is not None and _held_by(roundtable, organization.id) >= quota:
        raise ValidationFailed(
            _l(
                "%(organization)s has used its %(num)d seats. %(ask)s",
                organization=organization.name,
                num=quota,
                ask=ask,
            ),
            field="organization_id",
        )
    if roundtable.capacity is not None and _attending(roundtable) >= roundtable.capacity:
        raise ValidationFailed(_l("The roundtable is full. %(ask)s", ask=ask))


def check_in_list(roundtable: Roundtable, query: str | None = None) -> list[Registration]:
    """Registrations to check in, by name; `query` matches a person's or an organization's name."""
    statement = (
        select(Registration)
        .join(User, Registration.user_id == User.id)
        .outerjoin(Organization, Registration.organization_id == Organization.id)
        .where(Registration.roundtable_id == roundtable.id, Registration.status.in_(HOLDING))
        .options(contains_eager(Registration.user), contains_eager(Registration.organization))
        .order_by(func.lower(User.name))
    )
    if query and query.strip():
        needle = query.strip().lower()
        statement = statement.where(
            func.lower(User.name).contains(needle, autoescape=True)
            | func.lower(Organization.name).contains(needle, autoescape=True)
        )
    return list(db.session.scalars(statement))


def check_in_counts(roundtable: Roundtable) -> dict[str, int]:
    """How many hold a seat and how many are checked in."""
    row = db.session.execute(
        select(
            func.count(Registration.id).filter(Registration.status == RegistrationStatus.ATTENDING),
            func.count(Registration.checked_in_at),
        ).where(Registration.roundtable_id == roundtable.id, Registration.status.in_(HOLDING))
    ).one()
    return {"attending": row[0], "checked_in": row[1]}


def _registration_of(roundtable: Roundtable, person: User) -> Registration | None:
    """The person's registration row for the roundtable, whatever its status."""
    return db.session.scalar(
        select(Registration).where(
            Registration.roundtable_id == roundtable.id, Registration.user_id == person.id
        )
    )


def registrable_people(viewer, roundtable: Roundtable, invitation, delegation) -> list[User]:
    """Whom `viewer` may register now: themself, or (a focal point) their organization's people."""
    if invitation is None or roundtable.status != RoundtableStatus.PUBLISHED:
        return []
    registered = {registration.user_id for registration in delegation}
    people = db.session.scalars(
        select(User)
        .where(User.organization_id == invitation.organization_id, User.active.is_(True))
        .order_by(User.name)
    )
    return [
        person
        for person in people
        if person.id not in registered and can(viewer, "registration.create", roundtable, person)
    ]


def attendance_sheet(roundtable: Roundtable) -> list[Registration]:
    """Everyone expected, ordered by country name in the reader's language, organization, name."""
    rows = check_in_list(roundtable)
    rows.sort(
        key=lambda r: (
            country_name(r.organization.country if r.organization else None).casefold() or "~",
            (r.organization.name if r.organization else "").casefold(),
            r.user.name.casefold(),
        )
    )
    return rows
