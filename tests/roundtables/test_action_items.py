"""Action items: recording them, progress notes, the board and its filters, "My commitments",
reminders to owners, "matters arising" in the next roundtable, and fixed query counts."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEvent
from coordination.auth.models import User
from coordination.extensions import db
from coordination.roundtables.models import (
    ActionItem,
    ActionItemNote,
    AgendaItem,
    MatterArising,
    Minutes,
    Registration,
    Roundtable,
    Series,
)
from tests.conftest import body_text, login
from tests.factories import make_organization, make_user
from tests.roundtables.conftest import make_roundtable


def _signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _item(roundtable, description="Share the referral pathway", **fields) -> ActionItem:
    item = ActionItem(roundtable=roundtable, description=description, **fields)
    db.session.add(item)
    db.session.commit()
    return item


def _published_minutes(roundtable, **fields):
    db.session.add(Minutes(roundtable=roundtable, body="We agreed.", status="published", **fields))
    db.session.commit()


@pytest.fixture
def held():
    return make_roundtable(title="First roundtable", status="completed")


def test_organizer_records_an_action_item_with_owners_sdg_and_service_area(
    app, organizer, organization, member, held
):
    db.session.add(Registration(roundtable=held, user=member, organization=organization, status="attending"))
    db.session.commit()
    client = _signed_in(app, organizer)
    form = client.get(f"/roundtables/{held.id}/action-items/new").get_data(as_text=True)
    assert member.name in form  # participants are offered as owners
    response = client.post(
        f"/roundtables/{held.id}/action-items/new",
        data={
            "description": "Translate the AVRR leaflet into Tigrinya",
            "owner_organization_id": "None",
            "owner_id": str(member.id),
            "due_on": "2030-09-01",
            "status": "open",
            "sdg": "10",
            "service_area": "avrr",
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(select(ActionItem))
    assert (item.owner_id, item.owner_organization_id) == (
        member.id,
        organization.id,
    )  # the person's organization
    assert (item.due_on, item.sdg, item.service_area, item.status) == (date(2030, 9, 1), 10, "avrr", "open")
    page = client.get(f"/action-items/{item.id}").get_data(as_text=True)
    assert "SDG 10" in page and "Assisted voluntary return" in page and "Embassy of Sudan" in page


def test_an_action_item_without_owner_is_refused_and_keeps_what_was_typed(app, organizer, held):
    client = _signed_in(app, organizer)
    response = client.post(
        f"/roundtables/{held.id}/action-items/new",
        data={
            "description": "Set up a hotline",
            "owner_organization_id": "None",
            "owner_id": "None",
            "status": "open",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give an owner organization, an owner person, or both." in page
    assert "Set up a hotline" in page
    assert db.session.scalar(select(func.count(ActionItem.id))) == 0


def test_owners_add_progress_notes_and_may_not_drop_the_item(
    app, organizer, member, focal_point, other_focal_point, held
):
    item = _item(held, owner_organization=focal_point.organization)
    client = _signed_in(app, focal_point)
    response = client.post(
        f"/action-items/{item.id}/notes",
        data={"text": "Leaflet drafted.", "status": "in_progress"},
        follow_redirects=True,
    )
    assert "Leaflet drafted." in response.get_data(as_text=True)
    refused = client.post(f"/action-items/{item.id}/notes", data={"text": "Giving up.", "status": "dropped"})
    assert refused.status_code == 200  # "dropped" is not among the owner's choices
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert (
        _signed_in(app, other_focal_point)
        .post(f"/action-items/{item.id}/notes", data={"text": "Me too"})
        .status_code
        == 404
    )  # not published, not theirs: hidden
    _signed_in(app, organizer).post(
        f"/action-items/{item.id}/notes", data={"text": "Dropped: merged.", "status": "dropped"}
    )

    notes = db.session.scalars(select(ActionItemNote).order_by(ActionItemNote.id)).all()
    assert [(n.author_id, n.text, n.status) for n in notes] == [
        (focal_point.id, "Leaflet drafted.", "in_progress"),
        (organizer.id, "Dropped: merged.", "dropped"),
    ]
    assert db.session.get(ActionItem, item.id).status == "dropped"


def test_action_items_appear_on_the_event_page_once_the_minutes_are_published(app, organizer, member, held):
    _item(
        held, owner_id=organizer.id, owner_organization=organizer.organization, description="Map the services"
    )
    client = _signed_in(app, member)
    assert "Map the services" not in client.get(f"/roundtables/{held.id}").get_data(as_text=True)
    assert "Map the services" in _signed_in(app, organizer).get(f"/roundtables/{held.id}").get_data(
        as_text=True
    )
    _published_minutes(held)
    assert "Map the services" in client.get(f"/roundtables/{held.id}").get_data(as_text=True)


def test_the_board_filters_by_roundtable_owner_organization_and_status(
    app, organizer, organization, other_organization
):
    first, second = make_roundtable(title="First"), make_roundtable(title="Second")
    _item(first, "Sudan open", owner_organization=organization)
    _item(first, "Eritrea done", owner_organization=other_organization, status="done")
    _item(second, "Sudan in progress", owner_organization=organization, status="in_progress")
    client = _signed_in(app, organizer)

    def shown(query: str) -> set[str]:
        page = client.get(f"/action-items?{query}").get_data(as_text=True)
        return {name for name in ("Sudan open", "Eritrea done", "Sudan in progress") if name in page}

    assert shown("") == {"Sudan open", "Eritrea done", "Sudan in progress"}
    assert shown(f"roundtable={first.id}") == {"Sudan open", "Eritrea done"}
    assert shown(f"organization={organization.id}") == {"Sudan open", "Sudan in progress"}
    assert shown("status=done") == {"Eritrea done"}
    assert shown(f"roundtable={first.id}&organization={organization.id}&status=open") == {"Sudan open"}
    assert shown("roundtable=nonsense&status=unknown") == {"Sudan open", "Eritrea done", "Sudan in progress"}


def test_the_board_is_paginated(app, organizer, organization):
    roundtable = make_roundtable()
    db.session.add_all(
        ActionItem(
            roundtable=roundtable,
            description=f"Action number {n:02d}",
            owner_organization=organization,
            due_on=date(2030, 1, 1) + timedelta(days=n),
        )
        for n in range(30)
    )
    db.session.commit()
    client = _signed_in(app, organizer)
    first = client.get("/action-items").get_data(as_text=True)
    second = client.get("/action-items?page=2").get_data(as_text=True)
    assert "30 action items" in first
    assert "Action number 00" in first and "Action number 24" in first and "Action number 25" not in first
    assert "Action number 25" in second and "Action number 29" in second and "Action number 00" not in second


def test_my_commitments_shows_my_items_and_my_organizations_only(
    app, member, focal_point, other_focal_point, organizer
):
    roundtable = make_roundtable()
    _item(roundtable, "Mine as a person", owner_id=member.id)
    _item(roundtable, "My embassy's", owner_organization=member.organization)
    _item(roundtable, "Eritrea's", owner_organization=other_focal_point.organization)
    _item(roundtable, "Organizer's own", owner_id=organizer.id)
    page = _signed_in(app, member).get("/commitments").get_data(as_text=True)
    assert "Mine as a person" in page and "My embassy&#39;s" in page
    assert "Eritrea" not in page and "Organizer&#39;s own" not in page
    page = _signed_in(app, other_focal_point).get("/commitments").get_data(as_text=True)
    assert "Eritrea&#39;s" in page and "Mine as a person" not in page
    empty = make_user(organization=make_organization(name="Embassy of Chad"))
    assert "Neither you nor your organization owns an action item." in _signed_in(app, empty).get(
        "/commitments"
    ).get_data(as_text=True)


def _remind(runner, at: str) -> str:
    result = runner.invoke(args=["roundtables", "remind", "--at", at])
    assert result.exit_code == 0, result.output
    return result.output


def test_owners_are_reminded_of_items_due_soon_and_overdue_once_each(
    runner, organization, other_organization, member, focal_point, other_focal_point, smtp_server
):
    focal_point.preferred_language = "fr"
    db.session.commit()
    roundtable = make_roundtable()
    _item(roundtable, "Person's item", owner_id=member.id, due_on=date(2030, 7, 20))
    _item(roundtable, "Embassy's item", owner_organization=organization, due_on=date(2030, 7, 10))
    _item(
        roundtable, "Finished", owner_organization=other_organization, due_on=date(2030, 7, 10), status="done"
    )
    _item(roundtable, "Far away", owner_organization=other_organization, due_on=date(2030, 12, 1))

    assert "action items: 0 owners mailed" in _remind(runner, "2030-07-01T08:00")  # nothing within 7 days
    assert "action items: 1 owners mailed" in _remind(runner, "2030-07-04T08:00")  # embassy's: due soon
    assert "action items: 0 owners mailed" in _remind(runner, "2030-07-05T08:00")  # not twice
    # The person's item is now due soon, and the embassy's overdue: two people, one mail each.
    assert "action items: 2 owners mailed" in _remind(runner, "2030-07-13T08:00")
    assert "action items: 1 owners mailed" in _remind(runner, "2030-07-21T08:00")  # person's overdue
    assert "action items: 0 owners mailed" in _remind(runner, "2030-07-22T08:00")

    messages = smtp_server.wait_for(4)
    received = [(m["To"], body_text(m)) for m in messages]
    assert [to for to, _ in received].count(focal_point.email) == 2  # due soon, then overdue
    assert [to for to, _ in received].count(member.email) == 2
    assert other_focal_point.email not in [to for to, _ in received]
    french = [text for to, text in received if to == focal_point.email]
    assert all("Embassy's item" in text for text in french)
    assert "/commitments" in french[0]


def test_an_item_of_the_organizers_own_organization_reminds_its_organizers(runner, organizer, smtp_server):
    _item(
        make_roundtable(),
        "Hold the AVRR session",
        owner_organization=organizer.organization,
        due_on=date(2030, 7, 10),
    )
    assert "1 owners mailed" in _remind(runner, "2030-07-05T08:00")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == organizer.email
    assert "Hold the AVRR session" in body_text(message)


def test_items_of_draft_and_cancelled_roundtables_are_not_reminded(runner, member, smtp_server):
    for status in ("draft", "cancelled"):
        _item(
            make_roundtable(status=status),
            f"Item of a {status}",
            owner_id=member.id,
            due_on=date(2030, 7, 10),
        )
    assert "0 owners mailed" in _remind(runner, "2030-07-05T08:00")


def test_a_new_due_date_earns_a_new_reminder(runner, member, smtp_server):
    item = _item(make_roundtable(), "Moving target", owner_id=member.id, due_on=date(2030, 7, 10))
    assert "1 owners mailed" in _remind(runner, "2030-07-05T08:00")
    item.due_on = date(2030, 7, 12)
    db.session.commit()
    assert "1 owners mailed" in _remind(runner, "2030-07-06T08:00")
    assert "0 owners mailed" in _remind(runner, "2030-07-07T08:00")


def test_prepare_the_next_one_carries_pending_action_items_as_matters_arising(app, organizer, organization):
    series = Series(name="Roundtables with embassies")
    db.session.add(series)
    earlier = make_roundtable(title="Earlier", series=series, starts_at=datetime(2029, 1, 10, 8, tzinfo=UTC),
                              ends_at=datetime(2029, 1, 10, 11, tzinfo=UTC))  # fmt: skip
    current = make_roundtable(title="Current", series=series)
    current.agenda.append(AgendaItem(title="Welcome", position=1, duration_minutes=15))
    current.agenda.append(AgendaItem(title="Health services", position=2, duration_minutes=30))
    db.session.commit()
    _item(earlier, "Old but open", owner_organization=organization, due_on=date(2029, 3, 1))
    _item(current, "In progress here", owner_organization=organization, status="in_progress")
    _item(current, "Already done", owner_organization=organization, status="done")
    _item(current, "Dropped one", owner_organization=organization, status="dropped")
    client = _signed_in(app, organizer)
    response = client.post(f"/roundtables/{current.id}/prepare-next", data={})
    assert response.status_code == 302
    copy = db.session.scalar(
        select(Roundtable).where(Roundtable.id != current.id, Roundtable.id != earlier.id)
    )
    assert [item.title for item in copy.agenda] == ["Welcome", "Matters arising", "Health services"]
    carried = db.session.scalars(
        select(ActionItem.description).join(MatterArising).order_by(MatterArising.position)
    ).all()
    assert carried == ["Old but open", "In progress here"]
    page = client.get(f"/roundtables/{copy.id}").get_data(as_text=True)
    assert "Matters arising" in page and "Old but open" in page and "In progress here" in page
    assert "Already done" not in page and "Dropped one" not in page


def test_deleting_an_action_item_is_recorded(app, organizer, organization, held):
    item = _item(held, "To remove", owner_organization=organization)
    db.session.add(ActionItemNote(action_item=item, text="A note"))
    db.session.commit()
    _signed_in(app, organizer).post(f"/action-items/{item.id}/delete", data={})
    assert db.session.scalar(select(func.count(ActionItem.id))) == 0
    assert db.session.scalar(select(func.count(ActionItemNote.id))) == 0
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "action_items.delete"))
        == 1
    )


def _fill(roundtable, size: int) -> None:
    embassies = [make_organization(name=f"{roundtable.title} embassy {n}") for n in range(size)]
    owners = [make_user(organization=embassies[n % size]) for n in range(min(size, 20))]
    db.session.add_all(
        ActionItem(roundtable=roundtable, description=f"Action {n}", owner_organization=embassies[n],
                   owner_id=owners[n % len(owners)].id, due_on=date(2030, 1, 1) + timedelta(days=n),
                   sdg=1 + n % 17, service_area="health")
        for n in range(size)
    )  # fmt: skip
    db.session.add(Minutes(roundtable=roundtable, body="Agreed.", status="published"))
    db.session.commit()


def test_board_and_event_page_queries_do_not_grow_with_action_items(app, organizer, member, count_queries):
    small, large = make_roundtable(title="Small"), make_roundtable(title="Large")
    _fill(small, 5)
    _fill(large, 200)
    paths = (
        (organizer, "/roundtables/{}"),
        (member, "/roundtables/{}"),
        (organizer, "/action-items?roundtable={}"),
    )
    for user, path in paths:
        client = _signed_in(app, user)
        client.get("/roundtables")  # the navigation bar, kept per user, is rendered once
        counts = []
        for roundtable in (small, large):
            with count_queries() as statements:
                response = client.get(path.format(roundtable.id))
            assert response.status_code == 200
            assert "Action 4" in response.get_data(as_text=True)
            counts.append(len(statements))
        assert counts[0] == counts[1], (path, counts)


def test_the_demo_dataset_has_published_minutes_commitments_and_matters_arising(app, runner):
    for _ in range(2):  # running it again adds nothing
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(Minutes.id)).where(Minutes.status == "published")) == 1
    assert db.session.scalar(select(func.count(ActionItem.id))) == 6
    assert db.session.scalar(select(func.count(MatterArising.action_item_id))) == 4  # open or in progress
    focal_point = db.session.scalar(select(User).where(User.email == "focal.point@sd.embassy.example"))
    client = _signed_in_with(app, focal_point.email, "roundtable-demo-2026")
    page = client.get("/commitments").get_data(as_text=True)
    assert "Name a referral focal point in the mission" in page
    assert "Hold an information session" not in page  # IOM's, not Sudan's


def _signed_in_with(app, email: str, password: str):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302
    return client


def test_the_board_and_commitments_show_every_change_at_once(app, organizer, member, organization):
    roundtable = make_roundtable()
    item = _item(roundtable, "First commitment", owner_organization=organization)
    board, mine = _signed_in(app, organizer), _signed_in(app, member)
    assert "First commitment" in board.get("/action-items?status=open").get_data(as_text=True)
    assert "First commitment" in mine.get("/commitments").get_data(as_text=True)

    _item(roundtable, "Second commitment", owner_organization=organization)
    assert "Second commitment" in board.get("/action-items?status=open").get_data(as_text=True)
    assert "Second commitment" in mine.get("/commitments").get_data(as_text=True)

    mine.post(f"/action-items/{item.id}/notes", data={"text": "Finished.", "status": "done"})
    assert "First commitment" not in board.get("/action-items?status=open").get_data(as_text=True)
    assert "First commitment" in board.get("/action-items?status=done").get_data(as_text=True)

    organization.name = "Embassy of the Republic of the Sudan"
    db.session.commit()
    assert "Embassy of the Republic of the Sudan" in mine.get("/commitments").get_data(as_text=True)
    assert "Embassy of the Republic of the Sudan" in board.get("/action-items").get_data(as_text=True)
