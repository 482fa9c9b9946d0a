"""Who may do what with minutes and action items: every route of the follow-up × roles.

The member of the Sudanese embassy took part in the roundtable whose minutes are circulated;
action items are owned by the Sudanese and the Eritrean embassies.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from coordination.extensions import db
from coordination.roundtables.models import ActionItem, Minutes, MinutesRevision, Registration, Roundtable
from tests.matrix import (
    LOGIN,
    ORGANIZER_200,
    SIGNED_IN_200,
    Case,
    Redirect,
    check,
    check_paths,
    database_state,
    params,
)

HIDDEN = (LOGIN, 404, 404, 404, 200)  # organizers only; hidden from everyone else
REFUSED = (LOGIN, 403, 403, 403, 403)

CASES = [
    # Minutes.
    Case("roundtables.minutes", "GET", "/roundtables/{bare}/minutes", HIDDEN, note="none written"),
    Case("roundtables.minutes", "GET", "/roundtables/{draft}/minutes", HIDDEN, note="draft roundtable"),
    Case("roundtables.minutes", "GET", "/roundtables/{drafted}/minutes", HIDDEN, note="draft minutes"),
    Case(
        "roundtables.minutes",
        "GET",
        "/roundtables/{circulated}/minutes",
        (LOGIN, 200, 404, 404, 200),
        note="circulated: participants only",
    ),
    Case("roundtables.minutes", "GET", "/roundtables/{held}/minutes", SIGNED_IN_200, note="published"),
    Case("roundtables.edit_minutes", "GET", "/roundtables/{bare}/minutes/edit", HIDDEN),
    Case("roundtables.edit_minutes", "GET", "/roundtables/{drafted}/minutes/edit", HIDDEN),
    Case(
        "roundtables.edit_minutes", "POST", "/roundtables/{drafted}/minutes/edit", HIDDEN, data={"body": ""}
    ),
    Case(
        "roundtables.edit_minutes",
        "GET",
        "/roundtables/{held}/minutes/edit",
        REFUSED,
        note="published minutes are final",
    ),
    Case("roundtables.minutes_revisions", "GET", "/roundtables/{drafted}/minutes/revisions", HIDDEN),
    Case(
        "roundtables.minutes_revisions",
        "GET",
        "/roundtables/{held}/minutes/revisions",
        (LOGIN, 403, 403, 403, 200),
    ),
    Case("roundtables.minutes_revision", "GET", "/roundtables/{drafted}/minutes/revisions/1", HIDDEN),
    Case(
        "roundtables.minutes_revision",
        "GET",
        "/roundtables/{drafted}/minutes/revisions/9",
        (LOGIN, 404, 404, 404, 404),
        note="no such revision",
    ),
    Case("roundtables.circulate_minutes", "GET", "/roundtables/{drafted}/minutes/circulate", HIDDEN),
    Case(
        "roundtables.circulate_minutes",
        "POST",
        "/roundtables/{drafted}/minutes/circulate",
        HIDDEN,
        data={"comment_deadline": ""},
    ),
    Case(
        "roundtables.comment_minutes",
        "POST",
        "/roundtables/{circulated}/minutes/comments",
        (LOGIN, 200, 404, 404, 403),
        data={"text": ""},
        note="participants comment; organizers read",
    ),
    Case(
        "roundtables.comment_minutes",
        "POST",
        "/roundtables/{held}/minutes/comments",
        REFUSED,
        data={"text": "Late"},
        note="published: comments closed",
    ),
    Case(
        "roundtables.minutes_step",
        "POST",
        "/roundtables/{circulated}/minutes/adopt",
        (LOGIN, 403, 404, 404, Redirect("/roundtables/{circulated}/minutes")),
    ),
    Case(
        "roundtables.minutes_step",
        "POST",
        "/roundtables/{adopted}/minutes/publish",
        (LOGIN, 404, 404, 404, Redirect("/roundtables/{adopted}/minutes")),
    ),
    # Action items.
    Case("roundtables.create_action_item", "GET", "/roundtables/{held}/action-items/new", ORGANIZER_200),
    Case(
        "roundtables.create_action_item",
        "POST",
        "/roundtables/{held}/action-items/new",
        ORGANIZER_200,
        data={"description": ""},
    ),
    Case("roundtables.create_action_item", "GET", "/roundtables/{draft}/action-items/new", HIDDEN),
    Case(
        "roundtables.action_item",
        "GET",
        "/action-items/{pending_item}",
        (LOGIN, 200, 200, 404, 200),
        note="minutes not published: owners and organizers",
    ),
    Case("roundtables.action_item", "GET", "/action-items/{public_item}", SIGNED_IN_200),
    Case("roundtables.edit_action_item", "GET", "/action-items/{public_item}/edit", ORGANIZER_200),
    Case(
        "roundtables.edit_action_item",
        "GET",
        "/action-items/{pending_item}/edit",
        (LOGIN, 403, 403, 404, 200),
    ),
    Case(
        "roundtables.edit_action_item",
        "POST",
        "/action-items/{public_item}/edit",
        ORGANIZER_200,
        data={"description": ""},
    ),
    Case(
        "roundtables.add_action_item_note",
        "POST",
        "/action-items/{pending_item}/notes",
        (LOGIN, 200, 200, 404, 200),
        data={"text": ""},
        note="owners and organizers",
    ),
    Case(
        "roundtables.add_action_item_note",
        "POST",
        "/action-items/{public_item}/notes",
        (LOGIN, 403, 403, 200, 200),
        data={"text": ""},
    ),
    Case(
        "roundtables.delete_action_item",
        "POST",
        "/action-items/{public_item}/delete",
        (LOGIN, 403, 403, 403, Redirect("/roundtables/{held}")),
    ),
    Case("roundtables.action_items", "GET", "/action-items", ORGANIZER_200),
    Case("roundtables.commitments", "GET", "/commitments", SIGNED_IN_200),
]


@pytest.fixture
def records(organization, other_organization, organizer, focal_point, member, other_focal_point):
    """Roundtables at each step of the minutes' clearance, and one action item of each kind."""
    start = datetime(2030, 7, 15, 7, tzinfo=UTC)
    common = {"starts_at": start, "ends_at": start + timedelta(hours=3), "venue": "IOM Egypt, Cairo"}
    draft = Roundtable(title="Draft roundtable", **common)
    bare = Roundtable(title="Without minutes", status="published", **common)
    drafted = Roundtable(title="Minutes in draft", status="completed", **common)
    circulated = Roundtable(title="Minutes circulated", status="completed", **common)
    adopted = Roundtable(title="Minutes adopted", status="completed", **common)
    held = Roundtable(title="Minutes published", status="completed", **common)
    db.session.add_all([draft, bare, drafted, circulated, adopted, held])
    db.session.flush()
    for roundtable, status in (
        (drafted, "draft"),
        (circulated, "circulated"),
        (adopted, "adopted"),
        (held, "published"),
    ):
        minutes = Minutes(
            roundtable=roundtable, body="We met.", status=status, chatham_house=roundtable is held
        )
        if status == "circulated":
            minutes.comment_deadline = datetime(2099, 1, 1, tzinfo=UTC)
        db.session.add(minutes)
        db.session.flush()
        db.session.add(
            MinutesRevision(minutes_id=minutes.id, number=1, body="We met.", author_id=organizer.id)
        )
    db.session.add(
        Registration(roundtable=circulated, user=member, organization=organization, status="attending")
    )
    pending = ActionItem(
        roundtable=circulated,
        description="Share the referral form",
        owner_organization=organization,
        due_on=date(2030, 9, 1),
    )
    public = ActionItem(
        roundtable=held, description="Host the next meeting", owner_organization=other_organization
    )
    db.session.add_all([pending, public])
    db.session.commit()
    users = {
        "member": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organizer": organizer,
    }
    ids = {
        "draft": draft.id,
        "bare": bare.id,
        "drafted": drafted.id,
        "circulated": circulated.id,
        "adopted": adopted.id,
        "held": held.id,
        "pending_item": pending.id,
        "public_item": public.id,
    }
    return {"users": users, "ids": ids}


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(app, client, records, case, role, expected):
    check(client, records, case, role, expected, database_state)


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    check_paths(app, records, CASES)
