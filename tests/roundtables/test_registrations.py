"""Invitations and registrations: quotas per organization, capacity, the waitlist and promotion."""

import threading
from datetime import timedelta

import pytest

from coordination.auth.models import Role, User
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.mail.models import OutboxMessage
from coordination.roundtables import registrations
from coordination.roundtables.models import Invitation, Registration, Roundtable
from coordination.timeutil import utcnow
from tests.conftest import body_text, first_link, login
from tests.factories import make_organization, make_user
from tests.roundtables.conftest import make_roundtable


def _invite(client, roundtable, *organizations, kind=""):
    data = {"organizations": [str(o.id) for o in organizations], "kind": kind}
    return client.post(f"/roundtables/{roundtable.id}/invitations", data=data)


def _register(client, roundtable, person):
    return client.post(f"/roundtables/{roundtable.id}/register", data={"person_id": str(person.id)})


def _statuses(roundtable) -> dict[str, str]:
    rows = db.session.execute(
        db.select(Registration.user_id, Registration.status).where(
            Registration.roundtable_id == roundtable.id
        )
    )
    return dict(rows.all())


def test_invitation_reaches_focal_points_in_their_language(
    app, client, organizer, organization, focal_point, roundtable, smtp_server
):
    focal_point.preferred_language = "fr"
    db.session.commit()
    login(client, organizer)
    assert _invite(client, roundtable, organization).status_code == 302
    [message] = smtp_server.wait_for(1)
    assert message["To"] == focal_point.email
    assert message["Content-Language"] == "fr"
    assert "Invitation" in message["Subject"]
    link = first_link(message, "/invitations/")
    assert roundtable.title in body_text(message)

    reader = app.test_client()
    login(reader, focal_point)
    assert reader.get(link).headers["Location"].endswith(f"/roundtables/{roundtable.id}")
    invitation = db.session.scalar(db.select(Invitation))
    assert invitation.opened_at is not None
    overview = client.get(f"/roundtables/{roundtable.id}/invitations").get_data(as_text=True)
    assert organization.name in overview


def test_inviting_by_kind_takes_every_active_embassy_once(
    client, organizer, organization, other_organization, roundtable
):
    make_organization(name="UNHCR Egypt", kind="un_agency")
    make_organization(name="Closed Embassy", active=False)
    login(client, organizer)
    _invite(client, roundtable, kind="embassy")
    _invite(client, roundtable, organization, kind="embassy")
    invited = db.session.scalars(db.select(Invitation.organization_id)).all()
    assert sorted(invited) == sorted([organization.id, other_organization.id])


def test_reminder_goes_only_to_those_who_have_not_answered(
    client, organizer, organization, other_organization, focal_point, other_focal_point, roundtable
):
    login(client, organizer)
    _invite(client, roundtable, organization, other_organization)
    _register(client, roundtable, focal_point)  # registering answers for the organization
    response = client.post(f"/roundtables/{roundtable.id}/invitations/remind", follow_redirects=True)
    assert f"Reminder sent to {other_focal_point.email}." in response.get_data(as_text=True)
    reminders = db.session.scalars(
        db.select(OutboxMessage.recipient).where(OutboxMessage.template == "roundtable_reminder")
    ).all()
    assert reminders == [other_focal_point.email]


def test_focal_point_registers_colleagues_up_to_the_quota(
    app, client, organizer, organization, focal_point, member, roundtable
):
    third = make_user(organization=organization, name="Third Colleague")
    login(client, organizer)
    _invite(client, roundtable, organization)
    delegate = app.test_client()
    login(delegate, focal_point)
    page = delegate.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "Your delegation" in page and member.name in page

    _register(delegate, roundtable, focal_point)
    _register(delegate, roundtable, member)
    refused = _register(delegate, roundtable, third)
    assert "used its 2 seats" in delegate.get(refused.headers["Location"]).get_data(as_text=True)
    assert _statuses(roundtable) == {focal_point.id: "attending", member.id: "attending"}


def test_members_register_themselves_but_not_others(
    app, client, organizer, organization, member, focal_point, roundtable
):
    login(client, organizer)
    _invite(client, roundtable, organization)
    own = app.test_client()
    login(own, member)
    assert _register(own, roundtable, focal_point).status_code == 403
    _register(own, roundtable, member)
    assert _statuses(roundtable) == {member.id: "attending"}


def test_uninvited_organizations_cannot_register(app, other_focal_point, roundtable):
    client = app.test_client()
    login(client, other_focal_point)
    response = _register(client, roundtable, other_focal_point)
    assert "not invited" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _statuses(roundtable) == {}


def test_registrations_close_at_the_set_time(client, organizer, organization, focal_point):
    closed = make_roundtable(registration_closes_at=utcnow() - timedelta(hours=1))
    login(client, organizer)
    _invite(client, closed, organization)
    _register(client, closed, focal_point)
    assert _statuses(closed) == {}


def test_past_capacity_people_wait_in_order_and_a_withdrawal_promotes_the_first(
    app, client, organizer, smtp_server
):
    roundtable = make_roundtable(capacity=2, seats_per_organization=5)
    embassy = make_organization(name="Embassy of Chad", country="TD")
    people = [
        make_user(organization=embassy, name=f"Delegate {n}", preferred_language="fr") for n in range(4)
    ]
    login(client, organizer)
    _invite(client, roundtable, embassy)
    for person in people:
        _register(client, roundtable, person)
    assert [_statuses(roundtable)[p.id] for p in people] == [
        "attending",
        "attending",
        "waitlisted",
        "waitlisted",
    ]
    smtp_server.messages.clear()

    seat = db.session.scalar(db.select(Registration).where(Registration.user_id == people[0].id))
    client.post(f"/registrations/{seat.id}/withdraw")
    assert [_statuses(roundtable)[p.id] for p in people] == [
        "withdrawn",
        "attending",
        "attending",
        "waitlisted",
    ]
    [message] = smtp_server.wait_for(1)
    assert message["To"] == people[2].email
    assert message["Content-Language"] == "fr"

    waiting = db.session.scalar(db.select(Registration).where(Registration.user_id == people[3].id))
    client.post(f"/registrations/{waiting.id}/withdraw")  # leaving the waitlist frees no seat
    assert _statuses(roundtable)[people[3].id] == "withdrawn"
    assert len(smtp_server.messages) == 1


def test_fifty_people_at_once_never_exceed_capacity_or_quota(app):
    """50 registrations in parallel threads, each with its own session and connection."""
    roundtable = make_roundtable(capacity=20, seats_per_organization=3)
    organizer = make_user(role=Role.ORGANIZER)
    embassies = [make_organization(name=f"Embassy {n}", country="SD") for n in range(10)]
    for embassy in embassies:
        db.session.add(Invitation(roundtable=roundtable, organization=embassy))
    people = [make_user(organization=embassies[n % 10], name=f"Person {n}") for n in range(50)]
    db.session.commit()
    ids = {"roundtable": roundtable.id, "organizer": organizer.id, "people": [p.id for p in people]}
    outcomes: list[str] = []
    barrier = threading.Barrier(50)

    def attempt(person_id: int) -> None:
        barrier.wait()  # all 50 start together
        outcomes.append(_register_in_own_session(app, ids, person_id))

    threads = [threading.Thread(target=attempt, args=(person_id,)) for person_id in ids["people"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    rows = db.session.execute(
        db.select(Registration.organization_id, Registration.status, Registration.registered_at).where(
            Registration.roundtable_id == roundtable.id
        )
    ).all()
    attending = [row for row in rows if row.status == "attending"]
    waiting = [row for row in rows if row.status == "waitlisted"]
    assert len(outcomes) == 50
    assert sorted(set(outcomes)) == ["attending", "refused", "waitlisted"], outcomes
    assert len(attending) == 20
    per_organization = {}
    for row in rows:
        per_organization[row.organization_id] = per_organization.get(row.organization_id, 0) + 1
    assert max(per_organization.values()) == 3
    assert len(waiting) == 30 - 20
    assert max(row.registered_at for row in attending) <= min(row.registered_at for row in waiting)
    assert outcomes.count("refused") == 20


def _engine_options(app) -> dict:
    return (
        {"connect_args": {"timeout": 30}}
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
        else {}
    )


def _register_in_own_session(app, ids, person_id) -> str:
    # An app context per thread: Flask-SQLAlchemy gives each its own session and connection.
    with app.app_context():
        roundtable = db.session.get(Roundtable, ids["roundtable"])
        organizer = db.session.get(User, ids["organizer"])
        person = db.session.get(User, person_id)
        try:
            registration = registrations.register(organizer, roundtable, person)
            db.session.commit()
            return registration.status
        except ValidationFailed as error:
            db.session.rollback()
            return "refused" if "seats" in str(error.message) else f"unexpected refusal: {error.message}"


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_only_published_roundtables_take_registrations(client, organizer, organization, focal_point, status):
    roundtable = make_roundtable(status=status)
    db.session.add(Invitation(roundtable=roundtable, organization=organization))
    db.session.commit()
    login(client, organizer)
    _register(client, roundtable, focal_point)
    assert _statuses(roundtable) == {}


@pytest.mark.usefixtures("focal_point", "other_focal_point")
def test_a_request_sends_only_a_few_messages_and_leaves_the_rest_to_the_worker(
    app, client, runner, organizer, organization, other_organization, roundtable, smtp_server
):
    app.config["OUTBOX_SEND_AFTER_REQUEST_LIMIT"] = 1
    try:
        login(client, organizer)
        _invite(client, roundtable, organization, other_organization)
    finally:
        app.config["OUTBOX_SEND_AFTER_REQUEST_LIMIT"] = 10
    statuses = sorted(db.session.scalars(db.select(OutboxMessage.status)))
    assert statuses == ["pending", "sent"]
    assert "1 sent" in runner.invoke(args=["outbox", "send"]).output
    assert len(smtp_server.wait_for(2)) == 2
