"""People in the directory: focal points manage their own organization's people, organizers everyone."""

import re

from coordination.audit.models import AuditEvent
from coordination.auth.models import User
from coordination.extensions import db
from coordination.mail.models import OutboxMessage
from tests.conftest import login
from tests.factories import make_user


def _fields(person, **changes):
    data = {
        "name": person.name,
        "email": person.email,
        "position": person.position or "",
        "phone": person.phone or "",
        "role": person.role,
        "preferred_language": person.preferred_language,
    }
    data.update(changes)
    return data


def test_focal_point_makes_a_colleague_focal_point_and_the_role_change_is_audited(
    client, focal_point, member
):
    login(client, focal_point)
    assert (
        client.post(f"/people/{member.id}/edit", data=_fields(member, role="focal_point")).status_code == 302
    )
    assert db.session.get(User, member.id, populate_existing=True).role == "focal_point"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "auth.role.change"))
    assert (event.actor_id, event.target_id, event.details) == (
        focal_point.id,
        member.id,
        {"old": "member", "new": "focal_point"},
    )


def test_focal_point_cannot_make_an_organizer_even_by_forging_the_form(client, focal_point, member):
    login(client, focal_point)
    response = client.post(f"/people/{member.id}/edit", data=_fields(member, role="organizer"))
    assert response.status_code == 200
    assert db.session.get(User, member.id, populate_existing=True).role == "member"


def test_nobody_changes_their_own_role(client, organizer):
    login(client, organizer)
    response = client.post(f"/people/{organizer.id}/edit", data=_fields(organizer, role="member"))
    assert "You cannot change your own role." in response.get_data(as_text=True)


def test_email_taken_by_someone_else_is_a_form_error(client, organizer, member, focal_point):
    login(client, organizer)
    response = client.post(f"/people/{member.id}/edit", data=_fields(member, email=focal_point.email.upper()))
    assert response.status_code == 200
    assert "Someone already uses this email address." in response.get_data(as_text=True)


def test_a_focal_point_cannot_redirect_a_colleagues_password_resets(client, focal_point, member):
    login(client, focal_point)
    page = client.get(f"/people/{member.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="email"[^>]*readonly', page)
    response = client.post(f"/people/{member.id}/edit", data=_fields(member, email="mine@attacker.example"))
    assert response.status_code == 200
    assert "only IOM&#39;s organizers can change it" in response.get_data(as_text=True)
    assert db.session.get(User, member.id, populate_existing=True).email == member.email


def test_a_focal_point_corrects_the_address_of_a_colleague_not_yet_signed_in(
    client, focal_point, organization
):
    invitee = make_user(name="Invited Colleague", organization=organization, password=None)
    login(client, focal_point)
    page = client.get(f"/people/{invitee.id}/edit").get_data(as_text=True)
    assert not re.search(r'<input[^>]*id="email"[^>]*readonly', page)
    response = client.post(f"/people/{invitee.id}/edit", data=_fields(invitee, email="right@sd.example"))
    assert response.status_code == 302
    assert db.session.get(User, invitee.id, populate_existing=True).email == "right@sd.example"


def test_an_organizer_changes_anyones_address(client, organizer, member):
    login(client, organizer)
    response = client.post(f"/people/{member.id}/edit", data=_fields(member, email="new.address@sd.example"))
    assert response.status_code == 302
    assert db.session.get(User, member.id, populate_existing=True).email == "new.address@sd.example"


def test_focal_point_deactivates_and_reactivates_a_colleague(client, focal_point, member):
    login(client, focal_point)
    assert "will no longer be able to sign in" in client.get(f"/people/{member.id}/deactivate").get_data(
        as_text=True
    )
    client.post(f"/people/{member.id}/deactivate")
    assert db.session.get(User, member.id, populate_existing=True).active is False
    client.post(f"/people/{member.id}/activate")
    assert db.session.get(User, member.id, populate_existing=True).active is True


def test_focal_point_adds_a_person_without_invitation_then_invites_later(client, focal_point, organization):
    login(client, focal_point)
    data = {
        "name": "Later Invitee",
        "email": "later@sd.example",
        "role": "member",
        "preferred_language": "ar",
    }
    assert client.post(f"/organizations/{organization.id}/people/new", data=data).status_code == 302
    person = db.session.scalar(db.select(User).where(User.email == "later@sd.example"))
    assert person.organization_id == organization.id
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0

    assert client.post(f"/people/{person.id}/invite").status_code == 302
    message = db.session.scalar(db.select(OutboxMessage))
    assert (message.recipient, message.language) == ("later@sd.example", "ar")


def test_people_with_a_password_cannot_be_invited_again(client, focal_point, member):
    login(client, focal_point)
    assert client.post(f"/people/{member.id}/invite").status_code == 403


def test_focal_point_sees_inactive_colleagues_members_do_not(client, focal_point, member, organization):
    make_user(name="Former Colleague", organization=organization, active=False)
    login(client, focal_point)
    assert "Former Colleague" in client.get(f"/organizations/{organization.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, member)
    assert "Former Colleague" not in client.get(f"/organizations/{organization.id}").get_data(as_text=True)


def test_reactivation_does_not_revive_sessions_opened_before_deactivation(app, client, focal_point, member):
    member_browser = app.test_client()
    login(member_browser, member)
    login(client, focal_point)
    client.post(f"/people/{member.id}/deactivate")
    client.post(f"/people/{member.id}/activate")
    assert member_browser.get("/profile").status_code == 302
    assert login(member_browser, member).status_code == 302  # a fresh sign-in works again


def test_organizer_cannot_deactivate_their_own_organization(client, organizer):
    login(client, organizer)
    own = organizer.organization_id
    assert client.post(f"/organizations/{own}/deactivate").status_code == 403
    assert db.session.get(User, organizer.id).active is True
