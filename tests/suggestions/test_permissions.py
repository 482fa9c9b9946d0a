"""Who may do what in the suggestions area: every route × role, and the policy functions alone."""

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.extensions import db
from coordination.policy import can
from coordination.suggestions import rules
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionStatus, SuggestionSupport
from tests.factories import make_user
from tests.matrix import (
    ORGANIZER_200,
    SIGNED_IN_200,
    Case,
    Redirect,
    check,
    check_paths,
    database_state,
    params,
)
from tests.suggestions.conftest import propose

BACK_TO_OTHER = Redirect("/suggestions/{other_suggestion}")
LOGIN = Redirect("/login")

CASES = [
    Case("suggestions.index", "GET", "/suggestions", SIGNED_IN_200),
    Case("suggestions.create", "GET", "/suggestions/new", SIGNED_IN_200),
    Case("suggestions.create", "POST", "/suggestions/new", SIGNED_IN_200, data={"title": ""}),
    Case("suggestions.detail", "GET", "/suggestions/{suggestion}", SIGNED_IN_200),
    Case("suggestions.detail", "GET", "/suggestions/999999", (LOGIN, 404, 404, 404, 404), note="unknown"),
    Case(
        "suggestions.edit",
        "GET",
        "/suggestions/{suggestion}/edit",
        (LOGIN, 200, 403, 403, 403),
        note="the proposer alone, while it is new",
    ),
    Case(
        "suggestions.edit",
        "POST",
        "/suggestions/{suggestion}/edit",
        (LOGIN, 200, 403, 403, 403),
        data={"title": ""},
    ),
    Case(
        "suggestions.edit",
        "GET",
        "/suggestions/{reviewed_suggestion}/edit",
        (LOGIN, 403, 403, 403, 403),
        note="no longer new",
    ),
    Case("suggestions.delete", "GET", "/suggestions/{suggestion}/delete", (LOGIN, 200, 403, 403, 403)),
    Case(
        "suggestions.delete",
        "POST",
        "/suggestions/{suggestion}/delete",
        (LOGIN, Redirect("/suggestions"), 403, 403, 403),
    ),
    Case(
        "suggestions.support",
        "POST",
        "/suggestions/{other_suggestion}/support",
        (LOGIN, BACK_TO_OTHER, BACK_TO_OTHER, 403, 403),
        note="not one's own organization's, and organizers answer rather than support",
    ),
    Case(
        "suggestions.withdraw_support",
        "POST",
        "/suggestions/{other_suggestion}/support/withdraw",
        (LOGIN, 403, BACK_TO_OTHER, BACK_TO_OTHER, BACK_TO_OTHER),
        note="the focal point gave it: a member colleague may not take it back; others have none to withdraw",
    ),
    Case(
        "suggestions.comment", "POST", "/suggestions/{suggestion}/comments", SIGNED_IN_200, data={"body": ""}
    ),
    Case("suggestions.hide_comment", "GET", "/suggestion-comments/{comment}/hide", ORGANIZER_200),
    Case(
        "suggestions.hide_comment",
        "POST",
        "/suggestion-comments/{comment}/hide",
        ORGANIZER_200,
        data={"reason": ""},
    ),
    Case("suggestions.triage", "GET", "/suggestions/{suggestion}/triage", ORGANIZER_200),
    Case(
        "suggestions.triage",
        "POST",
        "/suggestions/{suggestion}/triage",
        ORGANIZER_200,
        data={"status": "planned", "reply": ""},
        note="a decision without a reply is refused with a message",
    ),
]


@pytest.fixture
def records(organization, other_organization, organizer, focal_point, member, other_focal_point):
    """A new suggestion of the member's, another embassy's suggestion supported by the member's
    organization (through its focal point) and commented on, and one under review."""
    suggestion = propose(member)
    other = propose(other_focal_point, title="Health screening before return", service_area="health", sdg=3)
    reviewed = propose(member, title="Interpreters at service points", service_area="localized_assistance")
    rules.support_suggestion(focal_point, other)
    comment = rules.add_comment(other_focal_point, other, "We would refer families too.")
    rules.triage_suggestion(organizer, reviewed, SuggestionStatus.UNDER_REVIEW, None)
    db.session.commit()
    users = {
        "member": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organizer": organizer,
    }
    ids = {
        "suggestion": suggestion.id,
        "other_suggestion": other.id,
        "reviewed_suggestion": reviewed.id,
        "comment": comment.id,
    }
    return {"users": users, "ids": ids}


def suggestions_state():
    """The database as a refused request must leave it, suggestions included."""
    state = database_state()
    state["suggestions"] = db.session.execute(
        select(Suggestion.id, Suggestion.title, Suggestion.status, Suggestion.reply).order_by(Suggestion.id)
    ).all()
    state["supports"] = db.session.execute(
        select(SuggestionSupport.suggestion_id, SuggestionSupport.organization_id).order_by(
            SuggestionSupport.id
        )
    ).all()
    state["comments"] = db.session.execute(
        select(SuggestionComment.id, SuggestionComment.hidden_at).order_by(SuggestionComment.id)
    ).all()
    return state


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(app, client, records, case, role, expected):
    check(client, records, case, role, expected, suggestions_state)


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    check_paths(app, records, CASES)


# The policy functions on their own.


@pytest.mark.parametrize(
    ("actor", "action", "target", "allowed"),
    [
        ("anonymous", "suggestion.view", None, False),
        ("member", "suggestion.view", None, True),
        ("member", "suggestion.create", None, True),
        ("without_organization", "suggestion.create", None, False),
        ("member", "suggestion.edit", "new", True),
        ("focal_point", "suggestion.edit", "new", False),
        ("organizer", "suggestion.edit", "new", False),
        ("member", "suggestion.edit", "under_review", False),
        ("member", "suggestion.delete", "new", True),
        ("member", "suggestion.delete", "under_review", False),
        ("other_focal_point", "suggestion.support", "new", True),
        ("focal_point", "suggestion.support", "new", False),
        ("organizer", "suggestion.support", "new", False),
        ("other_focal_point", "suggestion.support", "declined", False),
        ("other_focal_point", "suggestion.support", "planned", True),
        ("anonymous", "suggestion.comment", "new", False),
        ("member", "suggestion.comment", "new", True),
        ("member", "suggestion.triage", "new", False),
        ("focal_point", "suggestion.triage", "new", False),
        ("organizer", "suggestion.triage", "new", True),
        ("member", "suggestion.view_hidden_comments", None, False),
        ("organizer", "suggestion.view_hidden_comments", None, True),
    ],
)
def test_can_decides_suggestion_actions(request, organizer, member, actor, action, target, allowed):
    people = {
        "anonymous": AnonymousUserMixin(),
        "member": member,
        "focal_point": request.getfixturevalue("focal_point"),
        "other_focal_point": request.getfixturevalue("other_focal_point"),
        "organizer": organizer,
        "without_organization": make_user(role=Role.MEMBER),
    }
    obj = None
    if target is not None:
        obj = propose(member, title=f"A suggestion {target}")
        if target != "new":
            obj.status = target
            db.session.commit()
    assert can(people[actor], action, *([] if obj is None else [obj])) is allowed


def test_only_the_giver_or_a_focal_point_of_the_organization_withdraws_a_support(
    suggestion, focal_point, member, other_focal_point, organizer
):
    colleague = make_user(organization=other_focal_point.organization)
    support = rules.support_suggestion(colleague, suggestion)
    db.session.commit()
    assert can(colleague, "suggestion.withdraw_support", support) is True
    assert can(other_focal_point, "suggestion.withdraw_support", support) is True
    assert can(member, "suggestion.withdraw_support", support) is False
    assert can(focal_point, "suggestion.withdraw_support", support) is False
    assert can(organizer, "suggestion.withdraw_support", support) is False


def test_a_hidden_comment_cannot_be_hidden_again(suggestion, member, organizer):
    comment = rules.add_comment(member, suggestion, "Off topic")
    rules.hide_comment(organizer, comment, "Not about this suggestion")
    db.session.commit()
    assert can(organizer, "suggestion_comment.hide", comment) is False
