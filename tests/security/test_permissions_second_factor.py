"""Who may use the routes of two-step sign-in: every route × role."""

import pytest

from tests.matrix import LOGIN, SIGNED_IN_200, Case, Redirect, check, check_paths, database_state, params

HOME = Redirect("/")
TWO_STEP = Redirect("/profile/two-step")

CASES = [
    Case(
        "auth.second_step", "GET", "/login/code", (LOGIN, *[HOME] * 4), note="no password typed: start there"
    ),
    Case("auth.second_step", "POST", "/login/code", (LOGIN, *[HOME] * 4), data={"code": "123456"}),
    Case("auth.second_factor", "GET", "/profile/two-step", SIGNED_IN_200),
    Case("auth.enable_second_factor", "POST", "/profile/two-step/enable", SIGNED_IN_200, data={"code": ""}),
    Case(
        "auth.renew_recovery_codes",
        "POST",
        "/profile/two-step/recovery-codes",
        (LOGIN, *[TWO_STEP] * 4),
        data={"code": "123456"},
        note="not enrolled: sent to enrol",
    ),
    Case(
        "auth.disable_second_factor",
        "POST",
        "/profile/two-step/disable",
        (LOGIN, *[TWO_STEP] * 4),
        data={"password": "x", "code": "123456"},
        note="not enrolled: sent to enrol",
    ),
]


@pytest.fixture
def records(organizer, focal_point, member, other_focal_point):
    return {
        "users": {
            "organizer": organizer,
            "focal_point": focal_point,
            "member": member,
            "other_focal_point": other_focal_point,
        },
        "ids": {},
    }


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(client, records, case, role, expected):
    check(client, records, case, role, expected, database_state)


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    check_paths(app, records, CASES)
