"""Who may do what: the roles every area reasons with, and one small registry of the areas' rules.

Each area's `policy.py` holds typed functions ("may this user do this to that record") and
registers each under an action name with `@rule("area.verb")`, so that views, templates
(`can("roundtable.edit", roundtable)`) and the API ask the same function. Asking for an action
nobody registered raises UnknownAction; `tests/test_policy.py` checks that every action named in
the code and the templates is registered, so a mistyped name fails the suite, not a user's click.
"""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from coordination.auth.models import Role
from coordination.errors import PermissionDenied


class Actor(Protocol):
    """The acting user as the policies see it: a signed-in User or Flask-Login's anonymous user."""

    is_authenticated: bool


class UnknownAction(LookupError):
    """An action no area's policy registered: a programming error, never a user's."""


Rule = Callable[..., bool]
F = TypeVar("F", bound=Rule)
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[F], F]:
    """Register the decorated function as the answer for `action` (once per action)."""

    def register(function: F) -> F:
        if action in _RULES and _RULES[action] is not function:
            raise ValueError(f"two policies answer {action!r}")
        _RULES[action] = function
        return function

    return register


def actions() -> frozenset[str]:
    """Every registered action (for the tests that hold the code and templates to the registry)."""
    return frozenset(_RULES)


def can(user: Any, action: str, *records: Any) -> bool:
    """True when `user` may do `action` to `records`; raises UnknownAction for an unregistered name."""
    try:
        answer = _RULES[action]
    except KeyError:
        raise UnknownAction(action) from None
    return answer(user, *records)


def require(user: Any, action: str, *records: Any) -> None:
    """Raise PermissionDenied unless `user` may do `action` to `records`."""
    if not can(user, action, *records):
        raise PermissionDenied(action)


# The roles, answered once for every area.
def signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.active)


def is_organizer(user: Any) -> bool:
    return signed_in(user) and user.role == Role.ORGANIZER


def is_focal_point_of(user: Any, organization_id: int | None) -> bool:
    return (
        signed_in(user)
        and user.role == Role.FOCAL_POINT
        and organization_id is not None
        and user.organization_id == organization_id
    )


def belongs_to(user: Any, organization_id: int | None) -> bool:
    """A signed-in person of that organization, whatever their role."""
    return signed_in(user) and organization_id is not None and user.organization_id == organization_id


def manages_people_of(user: Any, organization_id: int | None) -> bool:
    """Organizers manage every organization's people; a focal point their own organization's."""
    return is_organizer(user) or is_focal_point_of(user, organization_id)


def manages_person(user: Any, person: Any) -> bool:
    """Organizers manage everyone; a focal point manages the non-organizers of their organization."""
    if is_organizer(user):
        return True
    return is_focal_point_of(user, person.organization_id) and person.role != Role.ORGANIZER
