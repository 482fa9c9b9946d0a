"""Scheduling roundtables: times in the event's zone stored in UTC, status changes, the agenda."""

from datetime import UTC, datetime, timedelta

import pytest

from coordination.audit.models import AuditEvent
from coordination.extensions import db
from coordination.roundtables.models import AgendaItem, Roundtable, Series
from coordination.roundtables.rules import UPCOMING_PER_PAGE
from coordination.timeutil import utcnow
from tests.conftest import login
from tests.roundtables.conftest import make_roundtable

FORM = {
    "title": "Second roundtable with embassies",
    "series_name": "Embassy roundtables",
    "description": "Services for **migrants** <script>alert(1)</script>",
    "timezone": "Africa/Cairo",
    "starts_at": "2027-07-15T10:00",
    "ends_at": "2027-07-15T13:00",
    "venue": "IOM Egypt, Cairo",
    "online_url": "",
    "languages": ["en", "ar"],
    "capacity": "60",
    "seats_per_organization": "3",
    "registration_closes_at": "2027-07-13T17:00",
    "sdgs": ["3", "8", "10", "16"],
    "service_areas": ["avrr", "health"],
}


def _create(client, **changes) -> Roundtable | None:
    response = client.post("/roundtables/new", data={**FORM, **changes})
    if response.status_code != 302:
        return None
    return db.session.scalar(db.select(Roundtable).order_by(Roundtable.id.desc()))


@pytest.mark.parametrize(
    ("local", "utc_hour"),
    [("2027-07-15T10:00", 7), ("2027-01-14T10:00", 8)],
    ids=["summer time", "winter time"],
)
def test_cairo_wall_clock_time_is_stored_in_utc_with_daylight_saving(client, organizer, local, utc_hour):
    login(client, organizer)
    ends = local.replace("10:00", "12:00")
    roundtable = _create(client, starts_at=local, ends_at=ends, registration_closes_at="")
    assert roundtable.starts_at.hour == utc_hour
    assert roundtable.starts_at.tzinfo is not None and roundtable.starts_at.utcoffset().total_seconds() == 0
    page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "10:00" in page and "12:00" in page
    edit = client.get(f"/roundtables/{roundtable.id}/edit").get_data(as_text=True)
    assert f'value="{local}"' in edit


def test_organizer_schedules_a_draft_with_everything_it_needs(client, organizer):
    login(client, organizer)
    roundtable = _create(client)
    assert roundtable.status == "draft"
    assert (roundtable.capacity, roundtable.seats_per_organization) == (60, 3)
    assert roundtable.sdgs == [3, 8, 10, 16]
    assert roundtable.service_areas == ["avrr", "health"]
    assert roundtable.languages == ["en", "ar"]
    assert roundtable.series.name == "Embassy roundtables"
    page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "<strong>migrants</strong>" in page
    assert "<script>alert(1)</script>" not in page
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "roundtables.create"))
    assert event.actor_id == organizer.id


def test_the_series_is_reused_whatever_its_case(client, organizer):
    login(client, organizer)
    first = _create(client)
    second = _create(client, series_name="EMBASSY ROUNDTABLES")
    assert first.series_id == second.series_id
    assert db.session.scalar(db.select(db.func.count(Series.id))) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2027-07-15T09:00"}, "The end must come after the start."),
        ({"venue": "", "online_url": ""}, "Give a venue, an online link, or both."),
        (
            {"registration_closes_at": "2027-07-16T09:00"},
            "Registrations must close before the roundtable starts.",
        ),
        ({"capacity": "2"}, "Seats per organization cannot exceed the total capacity."),
        ({"online_url": "not a link"}, "Give a web address starting with http:// or https://."),
    ],
)
def test_inconsistent_schedules_are_explained_and_the_input_kept(client, organizer, changes, message):
    login(client, organizer)
    response = client.post("/roundtables/new", data={**FORM, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="Second roundtable with embassies"' in page
    assert db.session.scalar(db.select(db.func.count(Roundtable.id))) == 0


def test_members_see_a_roundtable_once_it_is_published(app, client, organizer, member):
    login(client, organizer)
    roundtable = _create(client)
    reader = app.test_client()
    login(reader, member)
    assert reader.get(f"/roundtables/{roundtable.id}").status_code == 404
    assert "Second roundtable" not in reader.get("/roundtables").get_data(as_text=True)

    assert client.post(f"/roundtables/{roundtable.id}/publish").status_code == 302
    assert reader.get(f"/roundtables/{roundtable.id}").status_code == 200
    assert "Second roundtable" in reader.get("/roundtables").get_data(as_text=True)


def test_moving_a_published_roundtable_changes_its_calendar_sequence(client, organizer):
    login(client, organizer)
    roundtable = _create(client)
    client.post(f"/roundtables/{roundtable.id}/publish")
    client.post(f"/roundtables/{roundtable.id}/edit", data={**FORM, "title": "Renamed"})
    assert db.session.get(Roundtable, roundtable.id).sequence == 0
    client.post(f"/roundtables/{roundtable.id}/edit", data={**FORM, "starts_at": "2027-07-15T11:00"})
    moved = db.session.get(Roundtable, roundtable.id)
    assert moved.sequence == 1
    assert moved.starts_at == datetime(2027, 7, 15, 8, tzinfo=UTC)


def test_cancelling_needs_a_reason_and_ends_editing(client, organizer):
    login(client, organizer)
    roundtable = _create(client)
    client.post(f"/roundtables/{roundtable.id}/publish")
    refused = client.post(f"/roundtables/{roundtable.id}/cancel", data={"reason": "  "})
    assert refused.status_code == 200
    assert db.session.get(Roundtable, roundtable.id).status == "published"

    client.post(f"/roundtables/{roundtable.id}/cancel", data={"reason": "The venue is closed."})
    cancelled = db.session.get(Roundtable, roundtable.id)
    assert (cancelled.status, cancelled.cancellation_reason) == ("cancelled", "The venue is closed.")
    assert "The venue is closed." in client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert client.get(f"/roundtables/{roundtable.id}/edit").status_code == 403


def test_a_held_roundtable_is_marked_completed(client, organizer):
    login(client, organizer)
    roundtable = _create(client)
    assert client.post(f"/roundtables/{roundtable.id}/complete").status_code == 403  # still a draft
    client.post(f"/roundtables/{roundtable.id}/publish")
    client.post(f"/roundtables/{roundtable.id}/complete")
    assert db.session.get(Roundtable, roundtable.id).status == "completed"


def test_agenda_items_are_added_reordered_and_shown_as_a_timetable(client, organizer, focal_point):
    login(client, organizer)
    roundtable = _create(client)
    agenda = f"/roundtables/{roundtable.id}/agenda"
    client.post(agenda, data={"title": "Welcome", "starts_at": "2027-07-15T10:00", "duration_minutes": "15"})
    client.post(
        agenda,
        data={"title": "AVRR: eligibility", "starts_at": "2027-07-15T10:15", "duration_minutes": "45",
              "presenter_id": str(focal_point.id), "service_area": "avrr"},
    )  # fmt: skip
    items = db.session.scalars(db.select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [item.title for item in items] == ["Welcome", "AVRR: eligibility"]
    assert items[1].starts_at == datetime(2027, 7, 15, 7, 15, tzinfo=UTC)

    client.post(f"/agenda-items/{items[1].id}/move/up")
    reordered = db.session.scalars(db.select(AgendaItem.title).order_by(AgendaItem.position)).all()
    assert reordered == ["AVRR: eligibility", "Welcome"]

    page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert page.index("AVRR: eligibility") < page.index("Welcome")
    assert "10:15" in page and focal_point.name in page

    client.post(f"/agenda-items/{items[0].id}/delete")
    assert db.session.scalars(db.select(AgendaItem.title)).all() == ["AVRR: eligibility"]


def test_an_agenda_item_without_title_is_refused(client, organizer):
    login(client, organizer)
    roundtable = _create(client)
    response = client.post(
        f"/roundtables/{roundtable.id}/agenda", data={"title": "", "duration_minutes": "30"}
    )
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 0


def test_preparing_the_next_one_copies_settings_agenda_and_invitation_list(
    client, organizer, organization, other_organization
):
    login(client, organizer)
    first = _create(client)
    client.post(f"/roundtables/{first.id}/agenda", data={"title": "Welcome", "duration_minutes": "15"})
    client.post(f"/roundtables/{first.id}/publish")
    client.post(f"/roundtables/{first.id}/invitations", data={"organizations": [str(organization.id)]})

    response = client.post(f"/roundtables/{first.id}/prepare-next")
    copy = db.session.scalar(db.select(Roundtable).where(Roundtable.id != first.id))
    assert response.headers["Location"].endswith(f"/roundtables/{copy.id}/edit")
    assert (copy.status, copy.series_id, copy.capacity, copy.sdgs) == (
        "draft",
        first.series_id,
        60,
        [3, 8, 10, 16],
    )
    assert [item.title for item in copy.agenda] == ["Welcome"]
    assert (copy.starts_at - first.starts_at).days == 7

    page = client.get(f"/roundtables/{copy.id}/invitations").get_data(as_text=True)
    ticked = [line for line in page.splitlines() if 'name="organizations"' in line and "checked" in line]
    assert len(ticked) == 1 and f'value="{organization.id}"' in ticked[0]


def test_the_list_pages_the_coming_roundtables_at_a_fixed_cost(client, member, count_queries):
    now = utcnow().replace(microsecond=0)
    held = make_roundtable(
        title="Held in the spring", starts_at=now - timedelta(days=90), ends_at=now - timedelta(days=89)
    )
    for day in range(1, UPCOMING_PER_PAGE + 3):
        make_roundtable(
            title=f"Coming on day {day:03d}",
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=3),
        )
    login(client, member)
    client.get("/roundtables")  # what the first request of a session does once is not counted
    with count_queries() as statements:
        first = client.get("/roundtables").get_data(as_text=True)
    assert (
        f"Coming on day {UPCOMING_PER_PAGE:03d}" in first
        and f"Coming on day {UPCOMING_PER_PAGE + 1:03d}" not in first
    )
    assert held.title in first and "?page=2" in first
    second = client.get("/roundtables?page=2").get_data(as_text=True)
    assert f"Coming on day {UPCOMING_PER_PAGE + 2:03d}" in second and "Coming on day 001" not in second
    assert held.title not in second

    for day in range(100, 140):  # many more coming: the same number of statements
        make_roundtable(
            title=f"Coming on day {day:03d}",
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=3),
        )
    with count_queries() as again:
        client.get("/roundtables")
    assert len(again) == len(statements)
