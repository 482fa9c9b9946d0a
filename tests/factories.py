"""Plain factory functions: each makes one record with sensible defaults, commits, and returns it."""

import itertools

from coordination.auth.models import Role, User
from coordination.auth.rules import set_password
from coordination.directory.models import Organization
from coordination.extensions import db

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_organization(**overrides) -> Organization:
    number = next(_counter)
    fields = {"name": f"Embassy number {number}", "kind": "embassy", "country": "SD", "city": "Cairo"}
    fields.update(overrides)
    organization = Organization(**fields)
    db.session.add(organization)
    db.session.commit()
    return organization


def make_user(password: str | None = PASSWORD, **overrides) -> User:
    number = next(_counter)
    fields = {
        "name": f"Person {number}",
        "email": f"person{number}@example.org",
        "role": Role.MEMBER,
        "preferred_language": "en",
    }
    fields.update(overrides)
    user = User(**fields)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.commit()
    return user
