"""Who may see the reports: the dashboard is the organizers'; an organization's record is its own."""

import pytest

from tests.matrix import ORGANIZER_200, Case, check, check_paths, database_state, params

CASES = [
    Case("reports.dashboard", "GET", "/dashboard", ORGANIZER_200),
    Case("reports.export", "GET", "/dashboard/organizations.csv", ORGANIZER_200),
    Case("reports.export", "GET", "/dashboard/roundtables.xlsx", ORGANIZER_200, note="xlsx"),
    Case(
        "reports.organization_record",
        "GET",
        "/organizations/{organization}/record",
        (ORGANIZER_200[0], 404, 200, 404, 200),
        note="its focal point and organizers; a member or another embassy is not told it exists",
    ),
    Case(
        "reports.organization_record",
        "GET",
        "/organizations/{other_organization}/record",
        (ORGANIZER_200[0], 404, 404, 200, 200),
        note="the other embassy's",
    ),
    Case(
        "reports.organization_record",
        "GET",
        "/organizations/999999/record",
        (ORGANIZER_200[0], 404, 404, 404, 404),
    ),
]


@pytest.fixture
def records(organization, other_organization, organizer, focal_point, member, other_focal_point):
    users = {
        "member": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organizer": organizer,
    }
    return {
        "users": users,
        "ids": {"organization": organization.id, "other_organization": other_organization.id},
    }


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(app, client, records, case, role, expected):
    check(client, records, case, role, expected, database_state)


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    check_paths(app, records, CASES)
