"""The day: search, one-tap check-in (htmx), walk-ins, live counts, the attendance sheet."""

import re

from coordination.auth.models import User
from coordination.extensions import db
from coordination.roundtables.models import Invitation, Registration
from tests.conftest import login
from tests.factories import PASSWORD, make_organization, make_user
from tests.roundtables.conftest import make_roundtable


def _registered(roundtable, *people, status="attending"):
    rows = [
        Registration(roundtable=roundtable, user=p, organization_id=p.organization_id, status=status)
        for p in people
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_search_finds_people_by_name_or_organization(
    client, organizer, member, focal_point, other_focal_point
):
    roundtable = make_roundtable()
    _registered(roundtable, member, focal_point, other_focal_point)
    login(client, organizer)
    by_name = client.get(f"/roundtables/{roundtable.id}/check-in?q=moses", headers={"HX-Request": "true"})
    page = by_name.get_data(as_text=True)
    assert member.name in page and focal_point.name not in page
    assert "<html" not in page  # htmx gets the rows alone
    by_organization = client.get(f"/roundtables/{roundtable.id}/check-in?q=eritrea").get_data(as_text=True)
    assert other_focal_point.name in by_organization and member.name not in by_organization


def test_one_tap_checks_in_and_updates_the_counts_in_place(client, organizer, member, focal_point):
    roundtable = make_roundtable()
    registration, _ = _registered(roundtable, member, focal_point)
    login(client, organizer)
    assert "0 checked in of 2 with a seat" in client.get(f"/roundtables/{roundtable.id}/check-in").get_data(
        as_text=True
    )

    response = client.post(f"/registrations/{registration.id}/check-in", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert f'id="registration-{registration.id}"' in fragment
    assert 'hx-swap-oob="true"' in fragment and "1 checked in of 2 with a seat" in fragment
    assert db.session.get(Registration, registration.id).checked_in_at is not None

    client.post(f"/registrations/{registration.id}/undo-check-in")
    assert db.session.get(Registration, registration.id).checked_in_at is None


def test_a_walk_in_joins_the_directory_and_is_checked_in(client, organizer, organization):
    roundtable = make_roundtable()
    login(client, organizer)
    data = {"name": "Walk In", "email": "walk.in@sd.example", "organization_id": str(organization.id)}
    assert client.post(f"/roundtables/{roundtable.id}/walk-in", data=data).status_code == 302
    person = db.session.scalar(db.select(User).where(User.email == "walk.in@sd.example"))
    registration = db.session.scalar(db.select(Registration).where(Registration.user_id == person.id))
    assert person.organization_id == organization.id
    assert (registration.status, registration.checked_in_at is not None) == ("attending", True)


def test_a_walk_in_with_a_bad_address_keeps_what_was_typed(client, organizer, organization):
    roundtable = make_roundtable()
    login(client, organizer)
    data = {"name": "Walk In", "email": "not an address", "organization_id": str(organization.id)}
    response = client.post(f"/roundtables/{roundtable.id}/walk-in", data=data)
    assert response.status_code == 200
    assert 'value="Walk In"' in response.get_data(as_text=True)


def test_the_walk_in_form_lists_the_invited_organizations_first(client, organizer, organization):
    roundtable = make_roundtable()
    invited = make_organization(name="Embassy of Yemen", country="YE")
    db.session.add(Invitation(roundtable=roundtable, organization=invited))
    db.session.commit()
    login(client, organizer)
    page = client.get(f"/roundtables/{roundtable.id}/check-in").get_data(as_text=True)
    options = re.search(r'<select [^>]*name="organization_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    first, others = options.split("Other organizations")
    assert "Invited to this roundtable" in first and "Embassy of Yemen" in first
    assert organization.name not in first and organization.name in others

    data = {"name": "Walk In", "email": "not an address", "organization_id": str(invited.id)}
    page = client.post(f"/roundtables/{roundtable.id}/walk-in", data=data).get_data(as_text=True)
    assert f'<option value="{invited.id}" selected>Embassy of Yemen</option>' in page


def test_attendance_sheet_is_ordered_by_country_name(client, organizer):
    roundtable = make_roundtable()
    yemen = make_organization(name="Embassy of Yemen", country="YE")
    chad = make_organization(name="Embassy of Chad", country="TD")
    ethiopia = make_organization(name="Embassy of Ethiopia", country="ET")
    people = [make_user(organization=o, name=f"Delegate of {o.country}") for o in (yemen, chad, ethiopia)]
    _registered(roundtable, *people)
    login(client, organizer)
    page = client.get(f"/roundtables/{roundtable.id}/attendance").get_data(as_text=True)
    assert page.index("Delegate of TD") < page.index("Delegate of ET") < page.index("Delegate of YE")


def test_check_in_page_queries_do_not_grow_with_registrations(client, organizer, count_queries):
    small, large = make_roundtable(title="Small"), make_roundtable(title="Large")
    embassies = [make_organization(name=f"Embassy {n}") for n in range(20)]
    _registered(small, *[make_user(organization=embassies[n % 20]) for n in range(5)])
    _registered(large, *[make_user(organization=embassies[n % 20]) for n in range(120)])
    login(client, organizer)
    # Another roundtable's page first, so that what the first request of a session does once (and
    # what the directory keeps of the walk-in form's organizations) is not counted.
    client.get(f"/roundtables/{make_roundtable(title='Other').id}/check-in")
    counts = {}
    for roundtable in (small, large):
        with count_queries() as statements:
            assert client.get(f"/roundtables/{roundtable.id}/check-in?q=a").status_code == 200
        counts[roundtable.title] = len(statements)
    assert counts["Small"] == counts["Large"]


def test_the_one_tap_form_carries_its_csrf_token(csrf_app, organizer, member):
    roundtable = make_roundtable()
    [registration] = _registered(roundtable, member)
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "email": organizer.email, "password": PASSWORD})
    page = client.get(f"/roundtables/{roundtable.id}/check-in").get_data(as_text=True)
    row = page[page.index(f'id="registration-{registration.id}"') :]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', row).group(1)
    response = client.post(
        f"/registrations/{registration.id}/check-in",
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert db.session.get(Registration, registration.id).checked_in_at is not None


def test_event_page_and_invitation_overview_queries_do_not_grow(client, organizer, count_queries):
    small, large = make_roundtable(title="Small"), make_roundtable(title="Large")
    for roundtable, size in ((small, 5), (large, 200)):
        embassies = [make_organization(name=f"{roundtable.title} embassy {n}") for n in range(size)]
        db.session.add_all(Invitation(roundtable=roundtable, organization=embassy) for embassy in embassies)
        _registered(roundtable, *[make_user(organization=embassies[n % size]) for n in range(size)])
    login(client, organizer)
    for path in ("/roundtables/{}", "/roundtables/{}/invitations", "/roundtables/{}/registrations"):
        counts = []
        for roundtable in (small, large):
            with count_queries() as statements:
                assert client.get(path.format(roundtable.id)).status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], path


def test_event_page_queries_for_a_delegation_do_not_grow(client, focal_point, organization, count_queries):
    counts = {}
    for title, size in (("Small", 5), ("Large", 200)):
        roundtable = make_roundtable(title=title)
        db.session.add(Invitation(roundtable=roundtable, organization=organization))
        _registered(roundtable, *[make_user(organization=organization) for _ in range(size)])
        login(client, focal_point)
        client.get("/roundtables")  # what the first request of a session does once is not counted
        with count_queries() as statements:
            page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
        assert "Your delegation" in page
        counts[title] = len(statements)
    assert counts["Small"] == counts["Large"]
