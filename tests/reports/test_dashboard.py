"""The engagement dashboard: its figures equal counts taken independently from the raw rows."""

import csv
import io
import random
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.feedback.models import FeedbackForm, FeedbackRespondent
from coordination.library.models import Collection, Document
from coordination.roundtables.models import ActionItem, Invitation, Registration, Roundtable, Series
from coordination.suggestions.models import Suggestion
from coordination.timeutil import utcnow
from tests.conftest import login
from tests.factories import make_organization, make_user

STATUSES = ["completed", "completed", "completed", "completed", "published", "draft"]


def _history(organizations: int = 40, seed: int = 6, prefix: str = "") -> list:
    """6 roundtables (4 held, 1 coming, 1 draft) of one series, with random invitations, answers,
    registrations, withdrawals, check-ins, feedback, action items, documents and suggestions over
    `organizations` embassies."""
    rng = random.Random(seed)
    series = Series(name=f"{prefix}Embassies roundtable")
    embassies = [
        make_organization(name=f"{prefix}Embassy {n:02d}", country=None) for n in range(organizations)
    ]
    people = {o.id: [make_user(organization=o) for _ in range(3)] for o in embassies}
    start = utcnow() - timedelta(days=400)
    for number, status in enumerate(STATUSES):
        moment = start + timedelta(days=70 * number)
        roundtable = Roundtable(
            title=f"Roundtable {number + 1}", series=series, status=status, starts_at=moment,
            ends_at=moment + timedelta(hours=3), sdgs=rng.sample([3, 8, 10, 16], 2),
        )  # fmt: skip
        db.session.add(roundtable)
        for organization in rng.sample(embassies, rng.randint(min(10, organizations), organizations)):
            answer = rng.choice(["invited", "accepted", "declined"])
            db.session.add(Invitation(roundtable=roundtable, organization=organization, status=answer))
            for person in rng.sample(people[organization.id], rng.randint(0, 3)):
                registration = Registration(
                    roundtable=roundtable, user=person, organization_id=organization.id,
                    status=rng.choice(["attending", "attending", "waitlisted", "withdrawn"]),
                )  # fmt: skip
                if status == "completed" and registration.status == "attending" and rng.random() < 0.7:
                    registration.checked_in_at = moment
                db.session.add(registration)
        if status == "completed":
            form = FeedbackForm(title=f"Feedback {number + 1}", roundtable=roundtable, audience="attendees",
                                published_at=moment)  # fmt: skip
            db.session.add(form)
            db.session.flush()
            for organization in rng.sample(embassies, min(5, organizations)):
                db.session.add(FeedbackRespondent(
                    form_id=form.id, user=people[organization.id][0], organization_id=organization.id,
                    responded_on=moment.date(),
                ))  # fmt: skip
        for _ in range(3):
            db.session.add(ActionItem(
                roundtable=roundtable, description="Referral pathway",
                owner_organization=rng.choice(embassies), sdg=rng.choice([10, 16]),
                status=rng.choice(["open", "in_progress", "done", "dropped"]),
            ))  # fmt: skip
    collection = Collection(name=f"{prefix}Service guides")
    for organization in rng.sample(embassies, min(8, organizations)):
        db.session.add(Document(collection=collection, title="Guide", organization=organization,
                                status=rng.choice(["published", "published", "review"])))  # fmt: skip
    for organization in rng.sample(embassies, min(12, organizations)):
        for _ in range(rng.randint(1, 3)):
            db.session.add(Suggestion(title="Proposal", description="Text", service_area="health",
                                      organization=organization))  # fmt: skip
    db.session.commit()
    return embassies


def _expected(organization_id: int) -> dict[str, int]:
    """The same figures, counted in Python from every row."""
    shown = {r.id for r in db.session.scalars(select(Roundtable)) if r.status != "draft"}
    invitations = [i for i in db.session.scalars(select(Invitation)) if i.roundtable_id in shown]
    registrations = [r for r in db.session.scalars(select(Registration)) if r.roundtable_id in shown]
    mine = [r for r in registrations if r.organization_id == organization_id]
    actions = [
        a for a in db.session.scalars(select(ActionItem)) if a.owner_organization_id == organization_id
    ]
    documents = [d for d in db.session.scalars(select(Document)) if d.organization_id == organization_id]
    respondents = [
        r for r in db.session.scalars(select(FeedbackRespondent)) if r.organization_id == organization_id
    ]
    return {
        "invited": sum(1 for i in invitations if i.organization_id == organization_id),
        "answered": sum(1 for i in invitations if i.organization_id == organization_id
                        and i.status != "invited"),
        "registered": len({r.roundtable_id for r in mine if r.status in ("attending", "waitlisted")}),
        "attended": len({r.roundtable_id for r in mine if r.checked_in_at is not None}),
        "feedback": len({r.form_id for r in respondents}),
        "suggestions": sum(1 for s in db.session.scalars(select(Suggestion))
                           if s.organization_id == organization_id),
        "documents": sum(1 for d in documents if d.status == "published" and d.deleted_at is None),
        "actions_owned": sum(1 for a in actions if a.status != "dropped"),
        "actions_done": sum(1 for a in actions if a.status == "done"),
    }  # fmt: skip


def test_organization_figures_equal_counts_from_the_raw_rows(client, organizer):
    embassies = _history()
    login(client, organizer)
    response = client.get("/dashboard/organizations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][3:] == [
        "Invited", "Answered", "Registered", "Attended", "Feedback given", "Suggestions made",
        "Documents shared", "Action items owned", "Action items done",
    ]  # fmt: skip
    by_name = {row[0]: [int(value) for value in row[3:]] for row in rows[1:]}
    for organization in embassies:
        expected = _expected(organization.id)
        assert by_name[organization.name] == list(expected.values()), organization.name
    assert sum(by_name[o.name][0] for o in embassies) > 0

    page = client.get("/dashboard?sort=attended&dir=desc").get_data(as_text=True)
    most = max(embassies, key=lambda o: (_expected(o.id)["attended"], o.name.casefold()))
    first_row = page[page.index("<tbody>", page.index('id="organizations-heading"')) :]
    assert most.name in first_row[: first_row.index("</tr>")]


def test_roundtable_figures_and_the_organizations_to_follow_up(client, organizer):
    embassies = _history()
    login(client, organizer)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard/roundtables.xlsx").data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [f"Roundtable {n}" for n in (5, 4, 3, 2, 1)]  # no draft
    for row in rows[1:]:
        roundtable = db.session.scalar(select(Roundtable).where(Roundtable.title == row[0]))
        registrations = db.session.scalars(
            select(Registration).where(Registration.roundtable_id == roundtable.id)
        ).all()
        invitations = db.session.scalars(
            select(Invitation).where(Invitation.roundtable_id == roundtable.id)
        ).all()
        registered = sum(1 for r in registrations if r.status in ("attending", "waitlisted"))
        attended = sum(1 for r in registrations if r.checked_in_at is not None)
        assert row[3:7] == (
            len(invitations),
            sum(1 for i in invitations if i.status != "invited"),
            registered,
            attended,
        )
        assert row[7] == (round(attended / registered, 3) if registered else None)
        form = db.session.scalar(select(FeedbackForm).where(FeedbackForm.roundtable_id == roundtable.id))
        responded = audience = 0
        if form is not None:
            responded = len(
                db.session.scalars(
                    select(FeedbackRespondent).where(FeedbackRespondent.form_id == form.id)
                ).all()
            )
            audience = len({r.user_id for r in registrations if r.status == "attending"})
        items = db.session.scalars(select(ActionItem).where(ActionItem.roundtable_id == roundtable.id)).all()
        agreed = [item for item in items if item.status != "dropped"]
        assert row[8:12] == (
            responded,
            audience,
            len(agreed),
            sum(1 for item in agreed if item.status == "done"),
        )

    last_two = ["Roundtable 4", "Roundtable 3"]
    ids = [r.id for r in db.session.scalars(select(Roundtable).where(Roundtable.title.in_(last_two)))]
    invited = {
        i.organization_id
        for i in db.session.scalars(select(Invitation).where(Invitation.roundtable_id.in_(ids)))
    }
    came = {
        r.organization_id
        for r in db.session.scalars(select(Registration).where(Registration.roundtable_id.in_(ids)))
        if r.checked_in_at is not None
    }
    page = client.get("/dashboard").get_data(as_text=True)
    section = page[page.index('id="follow-up-heading"') : page.index('id="organizations-heading"')]
    for organization in embassies:
        assert (f">{organization.name}</a>" in section) == (organization.id in invited - came), (
            organization.name
        )


def test_exports_neutralize_formulas(client, organizer):
    make_organization(name='=HYPERLINK("http://evil.example")')
    login(client, organizer)
    text = client.get("/dashboard/organizations.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard/organizations.xlsx").data))
    names = [row[0] for row in workbook.active.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil.example")' in names


def test_an_empty_dashboard_says_so(client, organizer):
    login(client, organizer)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "No roundtable has been held yet." in page and "No roundtable has been published yet." in page


def test_a_focal_point_sees_their_own_record_only(client, focal_point, organization, other_organization):
    _history(organizations=5)
    login(client, focal_point)
    assert client.get("/dashboard").status_code == 403
    assert client.get(f"/organizations/{other_organization.id}/record").status_code == 404
    page = client.get(f"/organizations/{organization.id}/record").get_data(as_text=True)
    assert "Record of Embassy of Sudan" in page and "Participation" in page
    assert f"/organizations/{organization.id}/record" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/dashboard", "/organizations/{}/record"])
def test_query_counts_do_not_grow_with_organizations_and_roundtables(client, organizer, count_queries, path):
    counts = []
    for size in (5, 200):
        _history(organizations=size, seed=size, prefix=f"{size} ")
        login(client, organizer)
        any_organization = db.session.scalar(select(Invitation.organization_id).limit(1))
        with count_queries() as statements:
            assert client.get(path.format(any_organization)).status_code == 200
        counts.append(len(statements))
        db.session.execute(Invitation.__table__.delete())
        db.session.execute(Registration.__table__.delete())
        db.session.execute(Roundtable.__table__.delete())
        db.session.commit()
    assert counts[0] == counts[1]
