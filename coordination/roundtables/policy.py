"""Who may do what with roundtables: scheduling, invitations, registrations, the day, minutes and
action items."""

from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.policy import belongs_to, is_focal_point_of, is_organizer, rule, signed_in
from coordination.roundtables.models import (
    ActionItem,
    Invitation,
    Minutes,
    Registration,
    Roundtable,
    RoundtableStatus,
    check_in_helpers,
)

OPEN = (RoundtableStatus.DRAFT, RoundtableStatus.PUBLISHED)


@rule("roundtable.view")
def may_view(user: User, roundtable: Roundtable) -> bool:
    return is_organizer(user) or (signed_in(user) and roundtable.status != RoundtableStatus.DRAFT)


@rule("roundtable.create")
@rule("roundtable.view_drafts")
def is_convener(user: User, _record: object = None) -> bool:
    """IOM convenes roundtables: organizers create them and see their drafts."""
    return is_organizer(user)


@rule("roundtable.view_registrations")
@rule("roundtable.add_any_walk_in")
def keeps_registrations(user: User, roundtable: Roundtable) -> bool:
    """The registrations as a whole, and walk-ins beyond invitations and seats: organizers only,
    never a check-in helper."""
    return is_organizer(user)


@rule("roundtable.edit")
@rule("roundtable.edit_agenda")
@rule("roundtable.cancel")
@rule("roundtable.invite")
def may_change(user: User, roundtable: Roundtable) -> bool:
    """Organizers change a roundtable until it is held or cancelled."""
    return is_organizer(user) and roundtable.status in OPEN


@rule("roundtable.publish")
def may_publish(user: User, roundtable: Roundtable) -> bool:
    return is_organizer(user) and roundtable.status == RoundtableStatus.DRAFT


@rule("roundtable.complete")
def may_complete(user: User, roundtable: Roundtable) -> bool:
    return is_organizer(user) and roundtable.status == RoundtableStatus.PUBLISHED


@rule("roundtable.check_in")
def may_check_in(user: User, roundtable: Roundtable) -> bool:
    """Organizers, and the people an organizer named as check-in helpers for this roundtable."""
    if roundtable.status not in (RoundtableStatus.PUBLISHED, RoundtableStatus.COMPLETED):
        return False
    return is_organizer(user) or (signed_in(user) and is_check_in_helper(user, roundtable))


def is_check_in_helper(user: User, roundtable: Roundtable) -> bool:
    """One query, asked only of a signed-in non-organizer at a published or held roundtable."""
    named = select(check_in_helpers.c.user_id).where(
        check_in_helpers.c.roundtable_id == roundtable.id, check_in_helpers.c.user_id == user.id
    )
    return bool(db.session.scalar(select(named.exists())))


@rule("roundtable.delegate_check_in")
def may_delegate_check_in(user: User, roundtable: Roundtable) -> bool:
    return is_organizer(user) and roundtable.status != RoundtableStatus.CANCELLED


@rule("invitation.answer")
def may_answer_invitation(user: User, invitation: Invitation) -> bool:
    return is_organizer(user) or is_focal_point_of(user, invitation.organization_id)


@rule("registration.create")
def may_register(user: User, roundtable: Roundtable, person: User) -> bool:
    """Organizers register anyone; a focal point their organization's people; a member themself."""
    if not person.active or person.organization_id is None:
        return False
    if is_organizer(user) or is_focal_point_of(user, person.organization_id):
        return True
    return signed_in(user) and user.id == person.id


@rule("registration.create_new")
def may_register_new_colleague(user: User, roundtable: Roundtable) -> bool:
    """A focal point adds a colleague who is not yet in the directory while registering them."""
    return is_focal_point_of(user, user.organization_id) and roundtable.status == RoundtableStatus.PUBLISHED


@rule("registration.withdraw")
def may_withdraw(user: User, registration: Registration) -> bool:
    if is_organizer(user) or (signed_in(user) and user.id == registration.user_id):
        return True
    return is_focal_point_of(user, registration.organization_id)


# Minutes: whether the acting user took part in the roundtable is read by the caller (`participant`).
@rule("minutes.view")
def may_view_minutes(user: User, minutes: Minutes | None, participant: bool) -> bool:
    """Organizers always; participants while the minutes are circulated or adopted; members once published."""
    if is_organizer(user):
        return True
    if minutes is None or not signed_in(user):
        return False
    if minutes.status == "published":
        return True
    return participant and minutes.status in ("circulated", "adopted")


@rule("minutes.comment")
def may_comment_minutes(user: User, minutes: Minutes | None, participant: bool) -> bool:
    """Participants comment on circulated minutes; the deadline is checked by the rule, with a message."""
    return signed_in(user) and participant and minutes is not None and minutes.status == "circulated"


@rule("minutes.view_history")
@rule("minutes.read_comments")
def keeps_minutes(user: User, minutes: Minutes | None) -> bool:
    """The revisions and every participant's comments are the organizers' working material."""
    return is_organizer(user)


@rule("minutes.edit")
def may_edit_minutes(user: User, minutes: Minutes | None) -> bool:
    return is_organizer(user) and (minutes is None or minutes.status in ("draft", "circulated"))


@rule("minutes.circulate")
def may_circulate_minutes(user: User, minutes: Minutes | None) -> bool:
    return is_organizer(user) and minutes is not None and minutes.status == "draft"


@rule("minutes.adopt")
def may_adopt_minutes(user: User, minutes: Minutes | None) -> bool:
    return is_organizer(user) and minutes is not None and minutes.status in ("draft", "circulated")


@rule("minutes.publish")
def may_publish_minutes(user: User, minutes: Minutes | None) -> bool:
    return is_organizer(user) and minutes is not None and minutes.status == "adopted"


def owns_action_item(user: User, item: ActionItem) -> bool:
    """The owner person, and the people of the owner organization."""
    if not signed_in(user):
        return False
    if item.owner_id is not None and item.owner_id == user.id:
        return True
    return belongs_to(user, item.owner_organization_id)


@rule("action_item.create")
def may_create_action_item(user: User, roundtable: Roundtable) -> bool:
    return is_organizer(user) and roundtable.status != RoundtableStatus.CANCELLED


@rule("action_item.view")
def may_view_action_item(user: User, item: ActionItem) -> bool:
    """Organizers and owners always; members once the roundtable's minutes are published."""
    if is_organizer(user) or owns_action_item(user, item):
        return True
    minutes = item.roundtable.minutes
    return (
        signed_in(user)
        and item.roundtable.status != RoundtableStatus.DRAFT
        and minutes is not None
        and minutes.status == "published"
    )


@rule("action_item.edit")
@rule("action_item.delete")
@rule("action_item.drop")
def keeps_action_items(user: User, item: ActionItem) -> bool:
    """Owners report progress; changing, deleting and dropping a commitment is the organizers' call."""
    return is_organizer(user)


@rule("action_item.add_note")
def may_add_note(user: User, item: ActionItem) -> bool:
    return is_organizer(user) or owns_action_item(user, item)


@rule("action_items.board")
def may_see_board(user: User) -> bool:
    return is_organizer(user)


@rule("action_items.mine")
def has_commitments(user: User) -> bool:
    return signed_in(user)
