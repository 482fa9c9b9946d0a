"""Who may do what with suggestions for areas of intervention, their supports and comments."""

from coordination.auth.models import Role, User
from coordination.policy import is_organizer, rule, signed_in
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionStatus, SuggestionSupport


def proposes_for_organization(user: User) -> bool:
    return signed_in(user) and user.organization_id is not None


@rule("suggestion.view")
def may_view(user: User, _suggestion: Suggestion | None = None) -> bool:
    return signed_in(user)


@rule("suggestion.create")
def may_propose(user: User) -> bool:
    return proposes_for_organization(user)


@rule("suggestion.edit")
@rule("suggestion.delete")
def may_change(user: User, suggestion: Suggestion) -> bool:
    """The proposer, while the suggestion is new; once reviewed it stays as it was proposed."""
    return signed_in(user) and suggestion.proposer_id == user.id and suggestion.status == SuggestionStatus.NEW


@rule("suggestion.support")
def may_support(user: User, suggestion: Suggestion) -> bool:
    """Another organization's suggestion that is not declined; one's own already counts as backed.

    Organizers answer suggestions rather than back them.
    """
    return (
        proposes_for_organization(user)
        and user.role != Role.ORGANIZER
        and suggestion.organization_id != user.organization_id
        and suggestion.status != SuggestionStatus.DECLINED
    )


@rule("suggestion.withdraw_support")
def may_withdraw_support(user: User, support: SuggestionSupport | None) -> bool:
    """Whoever gave the support, or a focal point of the organization it speaks for."""
    if not signed_in(user) or support is None:
        return False
    return user.id == support.user_id or (
        user.role == Role.FOCAL_POINT and user.organization_id == support.organization_id
    )


@rule("suggestion.comment")
def may_comment(user: User, suggestion: Suggestion) -> bool:
    return signed_in(user)


@rule("suggestion.triage")
def may_triage(user: User, suggestion: Suggestion) -> bool:
    return is_organizer(user)


@rule("suggestion.view_hidden_comments")
def sees_hidden_comments(user: User) -> bool:
    return is_organizer(user)


@rule("suggestion_comment.hide")
def may_hide_comment(user: User, comment: SuggestionComment) -> bool:
    return is_organizer(user) and comment.hidden_at is None
