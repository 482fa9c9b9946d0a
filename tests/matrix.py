"""The permission matrix's vocabulary, shared by every area's `test_permissions.py`.

Each area lists its routes as `CASES` in its own `tests/<area>/test_permissions*.py` and runs them
with `check`; `tests/test_permissions.py` fails while any route of the application is in no list.
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEvent
from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.mail.models import OutboxMessage

ROLES = ("anonymous", "member", "focal_point", "other_focal_point", "organizer")


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location contains `to` (formatted with the records' ids)."""

    to: str


LOGIN = Redirect("/login")


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: str  # formatted with the ids and tokens of the area's `records` fixture
    expected: tuple  # one answer per role, in the order of ROLES
    data: dict | None = None
    note: str = ""

    def __post_init__(self):
        assert len(self.expected) == len(ROLES), self


EVERYONE_200 = (200, 200, 200, 200, 200)
SIGNED_IN_200 = (LOGIN, 200, 200, 200, 200)
ORGANIZER_200 = (LOGIN, 403, 403, 403, 200)
ORGANIZER_ONLY = (LOGIN, 403, 403, 403)
EVERYONE_400 = (400, 400, 400, 400, 400)


def database_state():
    """What a refused request must leave untouched."""
    db.session.rollback()
    return {
        "organizations": db.session.execute(
            select(Organization.id, Organization.name, Organization.active, Organization.updated_at).order_by(
                Organization.id
            )
        ).all(),
        "users": db.session.execute(
            select(
                User.id,
                User.email,
                User.name,
                User.role,
                User.active,
                User.password_hash,
                User.login_stamp,
                User.preferred_language,
                User.invited_at,
            ).order_by(User.id)
        ).all(),
        "outbox": db.session.execute(
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.next_attempt_at).order_by(
                OutboxMessage.id
            )
        ).all(),
        "audit_events": db.session.scalar(select(func.count(AuditEvent.id))),
    }


def params(cases: Iterable[Case]):
    """One pytest parameter per case and role."""
    for case in cases:
        for role, expected in zip(ROLES, case.expected, strict=True):
            label = f"{case.method} {case.path} {case.note}".strip()
            yield pytest.param(case, role, expected, id=f"{label} [{role}]")


def check(client, records: dict, case: Case, role: str, expected, state: Callable[[], object]):
    """Send the case's request as `role` and assert the answer; a refusal must leave `state()` alone.

    `records` holds "users" (role name → user) and "ids" (name → value used in paths and data)."""
    from tests.conftest import login

    if role != "anonymous":
        login(client, records["users"][role])
    ids = records["ids"]
    path = case.path.format(**ids)
    before = state()
    data = {
        key: value.format(**ids) if isinstance(value, str) else value
        for key, value in (case.data or {}).items()
    }
    response = client.open(path, method=case.method, data=data)

    if isinstance(expected, Redirect):
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert expected.to.format(**ids) in response.headers["Location"]
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if expected == 403:
        assert "Not allowed" in response.get_data(as_text=True)
    if expected in (LOGIN, 400, 403, 404):
        assert state() == before, "a refused request changed the database"


def check_paths(app, records: dict, cases: Iterable[Case]) -> None:
    """Every case's path reaches the endpoint the case names."""
    adapter = app.url_map.bind("roundtable.test")
    for case in cases:
        endpoint, _ = adapter.match(case.path.format(**records["ids"]), method=case.method)
        assert endpoint == case.endpoint, case


def all_cases() -> list[Case]:
    """The cases of every `test_permissions*.py` under tests/."""
    tests = Path(__file__).parent
    modules = [
        ".".join(("tests", *path.relative_to(tests).with_suffix("").parts))
        for path in sorted(tests.rglob("test_permissions*.py"))
    ]
    return [case for module in modules for case in importlib.import_module(module).CASES]
