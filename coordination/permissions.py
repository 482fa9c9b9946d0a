"""The one place that answers "may this user do this to that record", for views, templates and API."""

from collections.abc import Callable

from flask import current_app, has_app_context

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.errors import PermissionDenied


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.active)


def _organizer(user) -> bool:
    return _signed_in(user) and user.role == Role.ORGANIZER


def _focal_point_of(user, organization: Organization | None) -> bool:
    return (
        _signed_in(user)
        and user.role == Role.FOCAL_POINT
        and organization is not None
        and user.organization_id == organization.id
    )


def _manages_people_of(user, organization: Organization | None) -> bool:
    return _organizer(user) or _focal_point_of(user, organization)


def _manages_person(user, person: User) -> bool:
    """Organizers manage everyone; a focal point manages the non-organizers of their organization."""
    if _organizer(user):
        return True
    return _focal_point_of(user, person.organization) and person.role != Role.ORGANIZER


def _manages_other_person(user, person: User) -> bool:
    return _manages_person(user, person) and person.id != user.id


def _may_register(user, roundtable_and_person) -> bool:
    """Organizers register anyone; a focal point their organization's people; a member themself."""
    _roundtable, person = roundtable_and_person
    if not person.active or person.organization_id is None:
        return False
    if _organizer(user):
        return True
    if _focal_point_of(user, person.organization):
        return True
    return _signed_in(user) and user.id == person.id


def _may_withdraw(user, registration) -> bool:
    if _organizer(user) or (_signed_in(user) and user.id == registration.user_id):
        return True
    return _focal_point_of(user, registration.organization)


def _proposes_for_organization(user) -> bool:
    return _signed_in(user) and user.organization_id is not None


def _may_support(user, suggestion) -> bool:
    """Another organization's suggestion that is not declined; one's own already counts as backed.

    Organizers answer suggestions rather than back them.
    """
    return (
        _proposes_for_organization(user)
        and user.role != Role.ORGANIZER
        and suggestion.organization_id != user.organization_id
        and suggestion.status != "declined"
    )


def _may_withdraw_support(user, support) -> bool:
    """Whoever gave the support, or a focal point of the organization it speaks for."""
    if not _signed_in(user) or support is None:
        return False
    return user.id == support.user_id or (
        user.role == Role.FOCAL_POINT and user.organization_id == support.organization_id
    )


def _catalogue_reader(user) -> bool:
    """Members read the catalogue and use the guide; CATALOGUE_PUBLIC opens both to everyone."""
    return _signed_in(user) or (has_app_context() and bool(current_app.config.get("CATALOGUE_PUBLIC")))


RULES: dict[str, Callable[..., bool]] = {
    "directory.view": lambda user, obj: _signed_in(user),
    "directory.import": lambda user, obj: _organizer(user),
    "directory.export": lambda user, obj: _organizer(user),
    "organization.create": lambda user, obj: _organizer(user),
    "organization.edit": lambda user, obj: _organizer(user),
    # Not one's own organization: that would lock the acting organizer out with it.
    "organization.deactivate": lambda user, obj: _organizer(user) and obj.id != user.organization_id,
    "organization.view_inactive": lambda user, obj: _organizer(user),
    "organization.add_person": lambda user, obj: _manages_people_of(user, obj),
    "organization.view_inactive_people": lambda user, obj: _manages_people_of(user, obj),
    "person.edit": lambda user, obj: _manages_person(user, obj),
    "person.invite": lambda user, obj: _manages_person(user, obj) and obj.active and not obj.has_password,
    "person.deactivate": lambda user, obj: _manages_other_person(user, obj),
    "person.move": lambda user, obj: _organizer(user),
    "roundtable.view": lambda user, obj: _organizer(user) or (_signed_in(user) and obj.status != "draft"),
    "roundtable.view_drafts": lambda user, obj: _organizer(user),
    "roundtable.create": lambda user, obj: _organizer(user),
    "roundtable.edit": lambda user, obj: _organizer(user) and obj.status in ("draft", "published"),
    "roundtable.edit_agenda": lambda user, obj: _organizer(user) and obj.status in ("draft", "published"),
    "roundtable.publish": lambda user, obj: _organizer(user) and obj.status == "draft",
    "roundtable.complete": lambda user, obj: _organizer(user) and obj.status == "published",
    "roundtable.cancel": lambda user, obj: _organizer(user) and obj.status in ("draft", "published"),
    "roundtable.invite": lambda user, obj: _organizer(user) and obj.status in ("draft", "published"),
    "roundtable.view_registrations": lambda user, obj: _organizer(user),
    "roundtable.check_in": lambda user, obj: (
        obj.status in ("published", "completed")
        and (_organizer(user) or (_signed_in(user) and user.id in (obj.check_in_helpers or ())))
    ),
    "roundtable.delegate_check_in": lambda user, obj: _organizer(user) and obj.status != "cancelled",
    "invitation.answer": lambda user, obj: _organizer(user) or _focal_point_of(user, obj.organization),
    "registration.create": _may_register,
    "registration.withdraw": _may_withdraw,
    # A focal point adds a colleague who is not yet in the directory while registering them.
    "registration.create_new": lambda user, obj: (
        _focal_point_of(user, user.organization) and obj.status == "published"
    ),
    "audit.view": lambda user, obj: _organizer(user),
    "outbox.view": lambda user, obj: _organizer(user),
    "outbox.retry": lambda user, obj: _organizer(user) and obj.status == "failed",
    # Suggestions for areas of intervention (area: suggestions).
    "suggestion.view": lambda user, obj: _signed_in(user),
    "suggestion.create": lambda user, obj: _proposes_for_organization(user),
    "suggestion.edit": lambda user, obj: (
        _signed_in(user) and obj.proposer_id == user.id and obj.status == "new"
    ),
    "suggestion.delete": lambda user, obj: (
        _signed_in(user) and obj.proposer_id == user.id and obj.status == "new"
    ),
    "suggestion.support": _may_support,
    "suggestion.withdraw_support": _may_withdraw_support,
    "suggestion.comment": lambda user, obj: _signed_in(user),
    "suggestion.triage": lambda user, obj: _organizer(user),
    "suggestion.view_hidden_comments": lambda user, obj: _organizer(user),
    "suggestion_comment.hide": lambda user, obj: _organizer(user) and obj.hidden_at is None,
    # Service catalogue, eligibility guide and announcements (area: catalogue).
    "catalogue.view": lambda user, obj: _catalogue_reader(user),
    "catalogue.use_guide": lambda user, obj: _catalogue_reader(user),
    "catalogue.manage": lambda user, obj: _organizer(user),
    "service.view_revisions": lambda user, obj: _organizer(user),
    "service.review": lambda user, obj: _organizer(user),
    "service.view_withdrawn": lambda user, obj: _organizer(user),
    "service.withdraw": lambda user, obj: _organizer(user) and obj.archived_at is None,
    "service.restore": lambda user, obj: _organizer(user) and obj.archived_at is not None,
    "announcement.view": lambda user, obj: _signed_in(user),
    "announcement.create": lambda user, obj: _organizer(user),
    "announcement.edit": lambda user, obj: _organizer(user),
    "announcement.delete": lambda user, obj: _organizer(user),
}


def can(user, action: str, obj=None) -> bool:
    """True when `user` may do `action` to `obj`; an unknown action is a programming error."""
    return RULES[action](user, obj)


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied unless `user` may do `action` to `obj`."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def assignable_roles(user, organization: Organization | None) -> list[str]:
    """Roles `user` may give to a person of `organization`; organizers alone make organizers."""
    if _organizer(user):
        return [Role.MEMBER, Role.FOCAL_POINT, Role.ORGANIZER]
    if _focal_point_of(user, organization):
        return [Role.MEMBER, Role.FOCAL_POINT]
    return []
