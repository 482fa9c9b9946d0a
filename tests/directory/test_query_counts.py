"""Directory pages issue a fixed number of SQL queries, however many rows the database holds."""

import itertools

import pytest

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from tests.conftest import login

_numbers = itertools.count(1)


def _bulk_organizations(count: int, people_each: int = 2) -> None:
    """Add `count` organizations with `people_each` people each, in one commit."""
    records = []
    for _ in range(count):
        number = next(_numbers)
        organization = Organization(
            name=f"Bulk embassy {number:05d}", kind="embassy", country="SD", city="Cairo"
        )
        records.append(organization)
        records.extend(
            User(
                name=f"Bulk person {number}-{index}",
                email=f"bulk{number}-{index}@example.org",
                role=Role.MEMBER,
                organization=organization,
            )
            for index in range(people_each)
        )
    db.session.add_all(records)
    db.session.commit()


def _bulk_people(organization: Organization, count: int) -> None:
    """Add `count` people to `organization`: some invited only, some inactive, in one commit."""
    people = []
    for index in range(count):
        number = next(_numbers)
        people.append(
            User(
                name=f"Colleague {number:05d}",
                email=f"colleague{number}@example.org",
                role=Role.FOCAL_POINT if index % 7 == 0 else Role.MEMBER,
                organization_id=organization.id,
                password_hash=None if index % 3 == 1 else "not-a-real-hash",
                active=index % 5 != 4,
            )
        )
    db.session.add_all(people)
    db.session.commit()


def _sign_in(app, client, user) -> None:
    login(client, user)


def _counted_get(app, client, count_queries, path: str) -> tuple[int, str, list[str]]:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True), statements


@pytest.mark.parametrize("viewer", ["organizer", "member"])
def test_organizations_list_issues_the_same_queries_for_5_and_200_organizations(
    request, app, count_queries, viewer
):
    counts = {}
    for total in (5, 200):
        user = request.getfixturevalue(viewer)
        client = app.test_client()
        _bulk_organizations(total - db.session.scalar(db.select(db.func.count(Organization.id))))
        _sign_in(app, client, user)
        counts[total], page, statements = _counted_get(app, client, count_queries, "/organizations")
        assert f"{total} organizations" in page
        assert "Bulk embassy" in page
    assert counts[5] == counts[200], statements


@pytest.mark.parametrize("viewer", ["organizer", "focal_point", "member"])
def test_organization_page_issues_the_same_queries_for_2_and_30_people(
    request, app, count_queries, organization, viewer
):
    user = request.getfixturevalue(viewer)
    existing = db.session.scalar(
        db.select(db.func.count(User.id)).where(User.organization_id == organization.id)
    )
    counts = {}
    for total in (2, 30):
        client = app.test_client()
        _bulk_people(organization, total - existing)
        existing = total
        _sign_in(app, client, user)
        counts[total], page, statements = _counted_get(
            app, client, count_queries, f"/organizations/{organization.id}"
        )
        assert "Colleague" in page
    assert counts[2] == counts[30], statements
