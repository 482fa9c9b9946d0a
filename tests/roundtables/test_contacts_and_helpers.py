"""Invitations to an organization's named contacts, registering a colleague who is new to the
directory, and the people an organizer asks to help with the check-in."""

from coordination.auth.models import User
from coordination.extensions import db
from coordination.mail.models import OutboxMessage
from coordination.roundtables.models import Invitation, Registration
from tests.conftest import body_text, first_link, login
from tests.factories import make_user
from tests.roundtables.conftest import make_roundtable


def _invite(client, roundtable, organization):
    return client.post(
        f"/roundtables/{roundtable.id}/invitations", data={"organizations": [str(organization.id)]}
    )


def _recipients(template: str) -> list[str]:
    return sorted(
        db.session.scalars(db.select(OutboxMessage.recipient).where(OutboxMessage.template == template))
    )


def test_a_named_contact_receives_the_invitation_besides_the_focal_points(
    app, client, organizer, organization, focal_point, member, roundtable, smtp_server
):
    deputy = make_user(organization=organization, name="Deputy Head of Mission", email="deputy@sd.example")
    editor = app.test_client()
    login(editor, focal_point)
    data = {
        "name": deputy.name,
        "email": deputy.email,
        "role": "member",
        "preferred_language": "fr",
        "invitation_contact": "y",
    }
    assert editor.post(f"/people/{deputy.id}/edit", data=data).status_code == 302
    page = editor.get(f"/organizations/{organization.id}").get_data(as_text=True)
    assert "receives invitations" in page

    login(client, organizer)
    _invite(client, roundtable, organization)
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == sorted([focal_point.email, deputy.email])
    french = next(m for m in messages if m["To"] == deputy.email)
    assert french["Content-Language"] == "fr"
    assert member.email not in _recipients("roundtable_invitation")

    client.post(f"/roundtables/{roundtable.id}/invitations/remind")
    assert _recipients("roundtable_reminder") == sorted([focal_point.email, deputy.email])


def _invited(roundtable, organization):
    db.session.add(Invitation(roundtable=roundtable, organization=organization))
    db.session.commit()


def _register_new(client, roundtable, **fields):
    data = {"new-name": "", "new-email": "", "new-preferred_language": "en"}
    data.update({f"new-{key}": value for key, value in fields.items()})
    return client.post(f"/roundtables/{roundtable.id}/register-new", data=data)


def test_a_focal_point_registers_a_new_colleague_who_is_invited_to_the_platform(
    app, client, focal_point, organization, roundtable, smtp_server
):
    _invited(roundtable, organization)
    login(client, focal_point)
    page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "Register a colleague who is not in the directory yet" in page

    response = _register_new(
        client, roundtable, name="Hiba Osman", email="Hiba.Osman@SD.example", preferred_language="ar"
    )
    assert response.status_code == 302
    person = db.session.scalar(db.select(User).where(User.email == "hiba.osman@sd.example"))
    assert person.organization_id == organization.id and person.password_hash is None
    registration = db.session.scalar(db.select(Registration).where(Registration.user_id == person.id))
    assert registration.status == "attending" and registration.registered_by_id == focal_point.id

    [message] = smtp_server.wait_for(1)
    assert message["To"] == person.email and message["Content-Language"] == "ar"
    link = first_link(message, "/invitation/")
    assert app.test_client().get(link).status_code == 200
    assert "Hiba Osman" in body_text(message)


def test_a_refused_new_colleague_leaves_nothing_behind_and_keeps_what_was_typed(
    client, focal_point, member, organization, roundtable
):
    _invited(roundtable, organization)
    login(client, focal_point)
    taken = _register_new(client, roundtable, name="Someone Else", email=member.email)
    page = taken.get_data(as_text=True)
    assert taken.status_code == 200
    assert "This address is already in the directory" in page
    assert 'value="Someone Else"' in page and '<details class="mt-3" open>' in page

    # The roundtable takes 2 per organization: the third is refused and no person is left behind.
    for number in (1, 2):
        assert (
            _register_new(
                client, roundtable, name=f"New {number}", email=f"new{number}@sd.example"
            ).status_code
            == 302
        )
    users_before = db.session.scalar(db.select(db.func.count(User.id)))
    refused = _register_new(client, roundtable, name="Third New", email="third.new@sd.example")
    assert "used its 2 seats" in refused.get_data(as_text=True)
    assert 'value="third.new@sd.example"' in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == users_before
    assert "third.new@sd.example" not in _recipients("invitation")


def test_an_organization_that_is_not_invited_cannot_add_people_this_way(
    client, other_focal_point, roundtable
):
    login(client, other_focal_point)
    response = _register_new(client, roundtable, name="Not Invited", email="not.invited@er.example")
    assert "This person&#39;s organization is not invited." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "not.invited@er.example")) is None


def test_a_helper_checks_people_in_until_the_organizer_removes_them(
    app, client, organizer, member, focal_point, smtp_server
):
    roundtable = make_roundtable()
    registration = Registration(
        roundtable=roundtable,
        user=focal_point,
        organization_id=focal_point.organization_id,
        status="attending",
    )
    db.session.add(registration)
    db.session.commit()
    helper = app.test_client()
    login(helper, member)
    assert helper.get(f"/roundtables/{roundtable.id}/check-in").status_code == 403

    login(client, organizer)
    response = client.post(
        f"/roundtables/{roundtable.id}/check-in/helpers", data={"helper-email": member.email}
    )
    assert response.status_code == 302
    [message] = smtp_server.wait_for(1)
    assert message["To"] == member.email
    assert first_link(message, "/roundtables/").endswith(f"/roundtables/{roundtable.id}/check-in")
    assert member.name in client.get(f"/roundtables/{roundtable.id}/check-in").get_data(as_text=True)

    page = helper.get(f"/roundtables/{roundtable.id}/check-in").get_data(as_text=True)
    assert focal_point.name in page and "Who helps with the check-in" not in page
    assert helper.post(f"/registrations/{registration.id}/check-in").status_code == 302
    assert db.session.get(Registration, registration.id).checked_in_at is not None
    detail = helper.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert f"/roundtables/{roundtable.id}/check-in" in detail

    client.post(f"/roundtables/{roundtable.id}/check-in/helpers/{member.id}/remove")
    assert helper.get(f"/roundtables/{roundtable.id}/check-in").status_code == 403


def test_a_helper_must_be_someone_active_in_the_directory(client, organizer):
    roundtable = make_roundtable()
    login(client, organizer)
    response = client.post(
        f"/roundtables/{roundtable.id}/check-in/helpers", data={"helper-email": "stranger@nowhere.example"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nobody active in the directory uses this email address." in page
    assert 'value="stranger@nowhere.example"' in page
    again = client.post(
        f"/roundtables/{roundtable.id}/check-in/helpers", data={"helper-email": organizer.email}
    )
    assert "can already check people in" in again.get_data(as_text=True)
