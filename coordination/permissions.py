"""The one place that answers "may this user do this to that record", for views, templates and API."""

from collections.abc import Callable
from datetime import timedelta

from flask import current_app, has_app_context

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.errors import PermissionDenied
from coordination.feedback import audience as feedback_audience


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


def _may_answer_feedback(user, form) -> bool:
    """A published form's audience answers it; organizers only preview."""
    return _signed_in(user) and form.published and feedback_audience.includes(form, user)


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


# Minutes and action items (area: minutes). The minutes' rules take (minutes or None, participant):
# whether the acting user was registered for the roundtable is read by the caller.
def _may_view_minutes(user, minutes_and_participant) -> bool:
    """Organizers always; participants while the minutes are circulated or adopted; members once published."""
    minutes, participant = minutes_and_participant
    if _organizer(user):
        return True
    if minutes is None or not _signed_in(user):
        return False
    if minutes.status == "published":
        return True
    return participant and minutes.status in ("circulated", "adopted")


def _may_comment_minutes(user, minutes_and_participant) -> bool:
    """Participants comment on circulated minutes; the deadline is checked by the rule, with a message."""
    minutes, participant = minutes_and_participant
    return _signed_in(user) and participant and minutes is not None and minutes.status == "circulated"


def _owns_action_item(user, item) -> bool:
    """The owner person, and the people of the owner organization."""
    if not _signed_in(user):
        return False
    if item.owner_id is not None and item.owner_id == user.id:
        return True
    return item.owner_organization_id is not None and item.owner_organization_id == user.organization_id


def _may_view_action_item(user, item) -> bool:
    """Organizers and owners always; members once the roundtable's minutes are published."""
    if _organizer(user) or _owns_action_item(user, item):
        return True
    minutes = item.roundtable.minutes
    return (
        _signed_in(user)
        and item.roundtable.status != "draft"
        and minutes is not None
        and minutes.status == "published"
    )


# Library: who sees a document. Mirrored in SQL by coordination.library.queries.visible_to for lists
# and search; tests/library/test_permissions.py holds the two to the same answers.
TRASH_DAYS = 30
COMMENT_EDIT_MINUTES = 15


def _uploaded(user, document) -> bool:
    return _signed_in(user) and document.uploaded_by_id == user.id


def _sees_document(user, document) -> bool:
    """Organizers see everything not purged; others what is published and shared with them."""
    if _organizer(user):
        return True
    if not _signed_in(user) or document.deleted_at is not None:
        return False
    if _uploaded(user, document):
        return True
    if document.status != "published":
        return False
    if document.visibility == "members":
        return True
    if user.organization_id is not None and user.organization_id == document.organization_id:
        return True
    if document.visibility == "organizations":
        return any(share.organization_id == user.organization_id for share in document.shared_with)
    return False


def _sees_live_document(user, document) -> bool:
    return document.deleted_at is None and _sees_document(user, document)


def _may_contribute(user, collection) -> bool:
    return _organizer(user) or (_signed_in(user) and collection.members_may_contribute)


def _within_minutes(moment, minutes: int) -> bool:
    from coordination.timeutil import utcnow

    return moment is not None and utcnow() - moment <= timedelta(minutes=minutes)


def _may_restore(user, document) -> bool:
    if not _organizer(user) or document.deleted_at is None:
        return False
    return _within_minutes(document.deleted_at, TRASH_DAYS * 24 * 60)


def _may_change_comment(user, comment) -> bool:
    return (
        _signed_in(user)
        and comment.author_id == user.id
        and _within_minutes(comment.created_at, COMMENT_EDIT_MINUTES)
    )


def _sees_downloads(user, document) -> bool:
    return _organizer(user) or (
        _signed_in(user)
        and document.organization_id is not None
        and user.organization_id == document.organization_id
        and _sees_live_document(user, document)
    )


def _seen_by_every_member(document) -> bool:
    """A published document shared with all members, outside the trash: what every member may see."""
    return (
        document is not None
        and document.deleted_at is None
        and document.status == "published"
        and document.visibility == "members"
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
    # Password resets go to the address on record: whoever may change someone's address may take
    # over their account. Focal points therefore change only addresses not yet used to sign in.
    "person.change_email": lambda user, obj: _organizer(user)
    or obj.id == user.id
    or (_manages_person(user, obj) and not obj.has_password),
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
    # Beyond invitations and seats at the door: organizers only, never a check-in helper.
    "roundtable.add_any_walk_in": lambda user, obj: _organizer(user),
    "roundtable.delegate_check_in": lambda user, obj: _organizer(user) and obj.status != "cancelled",
    "invitation.answer": lambda user, obj: _organizer(user) or _focal_point_of(user, obj.organization),
    "registration.create": _may_register,
    "registration.withdraw": _may_withdraw,
    # A focal point adds a colleague who is not yet in the directory while registering them.
    "registration.create_new": lambda user, obj: (
        _focal_point_of(user, user.organization) and obj.status == "published"
    ),
    # Reports: the engagement dashboard is IOM's; an organization's record is its own.
    "dashboard.view": lambda user, obj: _organizer(user),
    "organization.view_record": lambda user, obj: _manages_people_of(user, obj),
    # The same for one's own organization, without loading it (the navigation bar asks).
    "organization.view_own_record": lambda user, obj: (
        _signed_in(user) and user.role == Role.FOCAL_POINT and user.organization_id is not None
    ),
    # Library (coordination/library/).
    "library.view": lambda user, obj: _signed_in(user),
    "library.follow": lambda user, obj: _signed_in(user),
    "library.trash": lambda user, obj: _organizer(user),
    "collection.create": lambda user, obj: _organizer(user),
    "collection.edit": lambda user, obj: _organizer(user),
    "collection.contribute": _may_contribute,
    "document.view": _sees_live_document,
    "document.edit": lambda user, obj: _sees_live_document(user, obj)
    and (_organizer(user) or _uploaded(user, obj)),
    "document.add_version": lambda user, obj: _sees_live_document(user, obj)
    and (_organizer(user) or _uploaded(user, obj)),
    "document.delete": lambda user, obj: _organizer(user) and obj.deleted_at is None,
    "document.restore": _may_restore,
    "document.clear": lambda user, obj: _organizer(user)
    and obj.deleted_at is None
    and obj.status == "review",
    "document.view_downloads": _sees_downloads,
    "document.comment": lambda user, obj: _sees_live_document(user, obj) and obj.status == "published",
    "comment.edit": _may_change_comment,
    "comment.delete": lambda user, obj: _organizer(user) or _may_change_comment(user, obj),
    # Feedback forms: organizers build them and read the results (named answers included); the
    # audience sees a published form and answers it, and never sees anyone's answers.
    "feedback.create": lambda user, obj: _organizer(user),
    "feedback_form.view": lambda user, obj: _organizer(user) or _may_answer_feedback(user, obj),
    "feedback_form.manage": lambda user, obj: _organizer(user),
    "feedback_form.answer": _may_answer_feedback,
    "feedback_form.view_results": lambda user, obj: _organizer(user),
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
    # Minutes and action items (area: minutes).
    "minutes.view": _may_view_minutes,
    "minutes.comment": _may_comment_minutes,
    "minutes.edit": lambda user, obj: _organizer(user)
    and (obj is None or obj.status in ("draft", "circulated")),
    "minutes.view_history": lambda user, obj: _organizer(user),
    "minutes.circulate": lambda user, obj: _organizer(user) and obj is not None and obj.status == "draft",
    "minutes.adopt": lambda user, obj: _organizer(user)
    and obj is not None
    and obj.status in ("draft", "circulated"),
    "minutes.publish": lambda user, obj: _organizer(user) and obj is not None and obj.status == "adopted",
    "action_item.create": lambda user, obj: _organizer(user) and obj.status != "cancelled",
    "action_item.view": _may_view_action_item,
    "action_item.edit": lambda user, obj: _organizer(user),
    "action_item.delete": lambda user, obj: _organizer(user),
    "action_item.add_note": lambda user, obj: _organizer(user) or _owns_action_item(user, obj),
    # Owners report progress; dropping a commitment is the organizers' call.
    "action_item.drop": lambda user, obj: _organizer(user),
    "action_items.board": lambda user, obj: _organizer(user),
    "action_items.mine": lambda user, obj: _signed_in(user),
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
    # Announcements reach every member, by mail too: they point only to a document all members see.
    "announcement.link_document": lambda user, obj: _organizer(user) and _seen_by_every_member(obj),
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
