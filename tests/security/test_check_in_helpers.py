"""A check-in helper (a member named for the day) checks people in and adds walk-ins of invited
organizations within their seats; nothing more. The outside probe had a helper register a person of
an organization that was not invited, create a person inside another embassy's directory entry, and
register the organizer, all outside invitations and quotas."""

import pytest

from coordination.auth.models import User
from coordination.extensions import db
from coordination.roundtables.models import Invitation, Registration
from tests.conftest import login
from tests.factories import make_organization, make_user
from tests.roundtables.conftest import make_roundtable


@pytest.fixture
def day(app, member, organization):
    """A published roundtable with two seats per organization, Sudan invited, `member` helping."""
    roundtable = make_roundtable(seats_per_organization=2, helpers=[member])
    db.session.add(Invitation(roundtable=roundtable, organization=organization))
    db.session.commit()
    helper = app.test_client()
    login(helper, member)
    return roundtable, helper


def _walk_in(helper, roundtable, **data):
    return helper.post(f"/roundtables/{roundtable.id}/walk-in", data=data)


def _registrations(roundtable) -> int:
    return db.session.scalar(
        db.select(db.func.count(Registration.id)).where(Registration.roundtable_id == roundtable.id)
    )


def test_a_helper_adds_a_walk_in_of_an_invited_organization(day, organization):
    roundtable, helper = day
    response = _walk_in(
        helper, roundtable, name="Walk In", email="walk.in@sd.example", organization_id=organization.id
    )
    assert response.status_code == 302
    person = db.session.scalar(db.select(User).where(User.email == "walk.in@sd.example"))
    assert person.organization_id == organization.id
    assert _registrations(roundtable) == 1


def test_a_helper_cannot_register_someone_of_an_organization_not_invited(day, other_organization):
    roundtable, helper = day
    response = _walk_in(
        helper,
        roundtable,
        name="Not Invited",
        email="not.invited@er.example",
        organization_id=other_organization.id,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "not invited" in page and 'value="Not Invited"' in page
    assert db.session.scalar(db.select(User).where(User.email == "not.invited@er.example")) is None
    assert _registrations(roundtable) == 0


def test_a_helper_cannot_add_a_person_to_another_embassy_through_an_existing_address(
    day, organization, other_focal_point
):
    """An address already in the directory belongs to its organization: the helper cannot file
    that person under an invited organization to slip them in."""
    roundtable, helper = day
    response = _walk_in(
        helper, roundtable, name="Omar", email=other_focal_point.email, organization_id=organization.id
    )
    assert response.status_code == 200
    assert _registrations(roundtable) == 0
    assert db.session.get(User, other_focal_point.id).organization_id != organization.id


def test_a_helper_cannot_register_the_organizer(day, organization, organizer):
    roundtable, helper = day
    for organization_id in (organization.id, organizer.organization_id):
        response = _walk_in(
            helper, roundtable, name="Olga", email=organizer.email, organization_id=organization_id
        )
        assert response.status_code == 200
    assert _registrations(roundtable) == 0


def test_a_helper_stays_within_the_organization_seats(day, organization):
    roundtable, helper = day
    for n in range(2):
        response = _walk_in(
            helper,
            roundtable,
            name=f"Guest {n}",
            email=f"guest{n}@sd.example",
            organization_id=organization.id,
        )
        assert response.status_code == 302
    response = _walk_in(
        helper, roundtable, name="Guest 2", email="guest2@sd.example", organization_id=organization.id
    )
    assert response.status_code == 200
    assert "seats" in response.get_data(as_text=True)
    assert _registrations(roundtable) == 2
    assert db.session.scalar(db.select(User).where(User.email == "guest2@sd.example")) is None


def test_a_helper_checks_in_someone_already_registered_even_when_the_seats_are_used(
    day, organization, focal_point
):
    roundtable, helper = day
    colleague = make_user(organization=organization)
    db.session.add_all(
        Registration(roundtable=roundtable, user=p, organization_id=organization.id, status="attending")
        for p in (focal_point, colleague)
    )
    db.session.commit()
    response = _walk_in(
        helper, roundtable, name=focal_point.name, email=focal_point.email, organization_id=organization.id
    )
    assert response.status_code == 302
    registration = db.session.scalar(db.select(Registration).where(Registration.user_id == focal_point.id))
    assert registration.checked_in_at is not None
    assert _registrations(roundtable) == 2


def test_the_helper_form_offers_only_the_invited_organizations(day, organization, other_organization):
    roundtable, helper = day
    page = helper.get(f"/roundtables/{roundtable.id}/check-in").get_data(as_text=True)
    assert f'<option value="{organization.id}"' in page
    assert f'<option value="{other_organization.id}"' not in page


def test_the_organizer_still_adds_a_walk_in_of_any_organization(client, organizer, other_organization):
    roundtable = make_roundtable(seats_per_organization=1)
    make_organization(name="Embassy of Yemen", country="YE")
    login(client, organizer)
    response = _walk_in(
        client, roundtable, name="Guest", email="guest@er.example", organization_id=other_organization.id
    )
    assert response.status_code == 302
    assert _registrations(roundtable) == 1
