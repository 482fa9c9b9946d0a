"""Who may do what: the matrix of the foundation's and roundtables' routes × roles, the guard that
every route of the application is in some area's matrix, and the policy functions alone."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.auth.rules import INVITATION, RESET, make_token
from coordination.directory.policy import assignable_roles
from coordination.extensions import db
from coordination.mail.models import OutboxMessage, OutboxStatus
from coordination.policy import UnknownAction, can
from coordination.roundtables.models import AgendaItem, Invitation, Registration, Roundtable
from tests.conftest import login
from tests.factories import make_organization, make_user
from tests.matrix import (
    EVERYONE_200,
    EVERYONE_400,
    LOGIN,
    ORGANIZER_200,
    ORGANIZER_ONLY,
    SIGNED_IN_200,
    Case,
    Redirect,
    all_cases,
    check,
    check_paths,
    database_state,
    params,
)

CASES = [
    # Public pages.
    Case("main.healthz", "GET", "/healthz", EVERYONE_200),
    Case("auth.login", "GET", "/login", (200, *[Redirect("/")] * 4), note="signed in: sent home"),
    Case("auth.login", "POST", "/login", (200, *[Redirect("/")] * 4), data={"email": "", "password": ""}),
    Case(
        "main.set_language",
        "POST",
        "/language",
        (Redirect("/organizations"),) * 5,
        data={"language": "fr", "next": "/organizations"},
    ),
    Case("auth.forgot_password", "GET", "/password/forgot", EVERYONE_200),
    Case("auth.forgot_password", "POST", "/password/forgot", EVERYONE_200, data={"email": ""}),
    Case("auth.reset_password", "GET", "/password/reset/not-a-token", EVERYONE_400),
    Case("auth.reset_password", "POST", "/password/reset/not-a-token", EVERYONE_400, data={"password": "x"}),
    Case("auth.reset_password", "GET", "/password/reset/{reset_token}", EVERYONE_200),
    Case(
        "auth.reset_password",
        "POST",
        "/password/reset/{reset_token}",
        EVERYONE_200,
        data={"password": "short", "confirm": "short"},
    ),
    Case("auth.accept_invitation", "GET", "/invitation/not-a-token", EVERYONE_400),
    Case("auth.accept_invitation", "POST", "/invitation/not-a-token", EVERYONE_400, data={"password": "x"}),
    Case("auth.accept_invitation", "GET", "/invitation/{invitation_token}", EVERYONE_200),
    Case(
        "auth.accept_invitation",
        "POST",
        "/invitation/{invitation_token}",
        EVERYONE_200,
        data={"password": "short", "confirm": "short"},
    ),
    Case(
        "auth.accept_invitation",
        "GET",
        "/invitation/{reset_token}",
        EVERYONE_400,
        note="a reset link is not an invitation",
    ),
    # Signed-in pages.
    Case("main.index", "GET", "/", SIGNED_IN_200),
    Case("auth.logout", "POST", "/logout", (LOGIN, *[Redirect("/login")] * 4)),
    Case("auth.profile", "GET", "/profile", SIGNED_IN_200),
    Case("auth.profile", "POST", "/profile", SIGNED_IN_200, data={"name": ""}),
    Case("auth.change_password", "POST", "/profile/password", SIGNED_IN_200, data={"current_password": ""}),
    # Directory: organizations.
    Case("directory.organizations", "GET", "/organizations", SIGNED_IN_200),
    Case("directory.create_organization", "GET", "/organizations/new", ORGANIZER_200),
    Case("directory.create_organization", "POST", "/organizations/new", ORGANIZER_200, data={"name": ""}),
    Case("directory.organization", "GET", "/organizations/{organization}", SIGNED_IN_200),
    Case("directory.organization", "GET", "/organizations/{other_organization}", SIGNED_IN_200),
    Case(
        "directory.organization",
        "GET",
        "/organizations/{inactive_organization}",
        (LOGIN, 404, 404, 404, 200),
        note="an inactive organization is hidden from all but organizers",
    ),
    Case("directory.edit_organization", "GET", "/organizations/{organization}/edit", ORGANIZER_200),
    Case(
        "directory.edit_organization",
        "POST",
        "/organizations/{organization}/edit",
        ORGANIZER_200,
        data={"name": ""},
    ),
    Case(
        "directory.deactivate_organization", "GET", "/organizations/{organization}/deactivate", ORGANIZER_200
    ),
    Case(
        "directory.deactivate_organization",
        "POST",
        "/organizations/{organization}/deactivate",
        (*ORGANIZER_ONLY, Redirect("/organizations/{organization}")),
        data={},
    ),
    Case(
        "directory.activate_organization",
        "POST",
        "/organizations/{organization}/activate",
        (*ORGANIZER_ONLY, Redirect("/organizations/{organization}")),
        data={},
    ),
    Case(
        "directory.activate_organization",
        "POST",
        "/organizations/{inactive_organization}/activate",
        (LOGIN, 404, 404, 404, Redirect("/organizations/{inactive_organization}")),
        data={},
    ),
    # Directory: people. A focal point manages the people of their own organization only.
    Case(
        "directory.add_person",
        "GET",
        "/organizations/{organization}/people/new",
        (LOGIN, 403, 200, 403, 200),
    ),
    Case(
        "directory.add_person",
        "POST",
        "/organizations/{organization}/people/new",
        (LOGIN, 403, 200, 403, 200),
        data={"name": ""},
    ),
    Case(
        "directory.add_person",
        "GET",
        "/organizations/{other_organization}/people/new",
        (LOGIN, 403, 403, 200, 200),
    ),
    Case(
        "directory.add_person",
        "POST",
        "/organizations/{other_organization}/people/new",
        (
            LOGIN,
            403,
            403,
            Redirect("/organizations/{other_organization}"),
            Redirect("/organizations/{other_organization}"),
        ),
        data={"name": "Nadia New", "email": "nadia@er.example", "role": "member", "preferred_language": "ar"},
    ),
    Case("directory.edit_person", "GET", "/people/{member}/edit", (LOGIN, 403, 200, 403, 200)),
    Case(
        "directory.edit_person",
        "POST",
        "/people/{member}/edit",
        (LOGIN, 403, 200, 403, 200),
        data={"name": ""},
    ),
    Case(
        "directory.edit_person",
        "GET",
        "/people/{organizer}/edit",
        ORGANIZER_200,
        note="nobody but an organizer edits an organizer",
    ),
    Case("directory.deactivate_person", "GET", "/people/{member}/deactivate", (LOGIN, 403, 200, 403, 200)),
    Case(
        "directory.deactivate_person",
        "POST",
        "/people/{member}/deactivate",
        (
            LOGIN,
            403,
            Redirect("/organizations/{organization}"),
            403,
            Redirect("/organizations/{organization}"),
        ),
        data={},
    ),
    Case(
        "directory.deactivate_person",
        "POST",
        "/people/{focal_point}/deactivate",
        (LOGIN, 403, 403, 403, Redirect("/organizations/{organization}")),
        data={},
        note="a focal point cannot deactivate themself",
    ),
    Case(
        "directory.deactivate_person",
        "GET",
        "/people/{organizer}/deactivate",
        (*ORGANIZER_ONLY, 403),
        note="an organizer cannot deactivate themself either",
    ),
    Case(
        "directory.activate_person",
        "POST",
        "/people/{member}/activate",
        (
            LOGIN,
            403,
            Redirect("/organizations/{organization}"),
            403,
            Redirect("/organizations/{organization}"),
        ),
        data={},
    ),
    Case(
        "directory.invite_person",
        "POST",
        "/people/{invitee}/invite",
        (
            LOGIN,
            403,
            Redirect("/organizations/{organization}"),
            403,
            Redirect("/organizations/{organization}"),
        ),
        data={},
    ),
    Case(
        "directory.invite_person",
        "POST",
        "/people/{member}/invite",
        (LOGIN, 403, 403, 403, 403),
        data={},
        note="someone who has a password is not invited again",
    ),
    # Directory: import and export (organizers).
    Case("directory.import_file", "GET", "/directory/import", ORGANIZER_200),
    Case("directory.import_file", "POST", "/directory/import", ORGANIZER_200, data={}),
    Case("directory.export", "GET", "/directory/export/organizations.csv", ORGANIZER_200),
    Case("directory.export", "GET", "/directory/export/people.xlsx", ORGANIZER_200),
    # Audit log and outbox (organizers).
    Case("audit.events", "GET", "/audit", ORGANIZER_200),
    Case("mail.outbox", "GET", "/outbox", ORGANIZER_200),
    Case("mail.message", "GET", "/outbox/{message}", ORGANIZER_200),
    Case("mail.retry", "POST", "/outbox/{message}/retry", (*ORGANIZER_ONLY, Redirect("/outbox")), data={}),
    # Roundtables: a draft only organizers see, a published one with an agenda item.
    Case("roundtables.index", "GET", "/roundtables", SIGNED_IN_200),
    Case("roundtables.create", "GET", "/roundtables/new", ORGANIZER_200),
    Case("roundtables.create", "POST", "/roundtables/new", ORGANIZER_200, data={"title": ""}),
    Case("roundtables.detail", "GET", "/roundtables/{draft}", (LOGIN, 404, 404, 404, 200)),
    Case("roundtables.detail", "GET", "/roundtables/{published}", SIGNED_IN_200),
    Case("roundtables.edit", "GET", "/roundtables/{draft}/edit", (LOGIN, 404, 404, 404, 200)),
    Case("roundtables.edit", "GET", "/roundtables/{published}/edit", ORGANIZER_200),
    Case("roundtables.edit", "POST", "/roundtables/{published}/edit", ORGANIZER_200, data={"title": ""}),
    Case(
        "roundtables.publish",
        "POST",
        "/roundtables/{draft}/publish",
        (LOGIN, 404, 404, 404, Redirect("/roundtables/{draft}")),
    ),
    Case(
        "roundtables.complete",
        "POST",
        "/roundtables/{published}/complete",
        (*ORGANIZER_ONLY, Redirect("/roundtables/{published}")),
    ),
    Case("roundtables.cancel", "GET", "/roundtables/{published}/cancel", ORGANIZER_200),
    Case("roundtables.cancel", "POST", "/roundtables/{published}/cancel", ORGANIZER_200, data={"reason": ""}),
    Case("roundtables.agenda", "GET", "/roundtables/{published}/agenda", ORGANIZER_200),
    Case("roundtables.agenda", "POST", "/roundtables/{published}/agenda", ORGANIZER_200, data={"title": ""}),
    Case("roundtables.agenda", "GET", "/roundtables/{draft}/agenda", (LOGIN, 404, 404, 404, 200)),
    Case("roundtables.edit_agenda_item", "GET", "/agenda-items/{agenda_item}/edit", ORGANIZER_200),
    Case(
        "roundtables.edit_agenda_item",
        "POST",
        "/agenda-items/{agenda_item}/edit",
        ORGANIZER_200,
        data={"title": ""},
    ),
    Case(
        "roundtables.move_agenda_item",
        "POST",
        "/agenda-items/{agenda_item}/move/down",
        (*ORGANIZER_ONLY, Redirect("/roundtables/{published}/agenda")),
    ),
    Case("roundtables.invitations", "GET", "/roundtables/{published}/invitations", ORGANIZER_200),
    Case(
        "roundtables.invitations",
        "POST",
        "/roundtables/{published}/invitations",
        (*ORGANIZER_ONLY, Redirect("/roundtables/{published}/invitations")),
        data={"kind": ""},
    ),
    Case(
        "roundtables.remind_invited",
        "POST",
        "/roundtables/{published}/invitations/remind",
        (*ORGANIZER_ONLY, Redirect("/roundtables/{published}/invitations")),
    ),
    Case(
        "roundtables.open_invitation",
        "GET",
        "/invitations/{roundtable_invitation_token}",
        (LOGIN, *[Redirect("/roundtables/{published}")] * 4),
        note="the token is the secret: whoever holds the mail may open it",
    ),
    Case(
        "roundtables.answer_invitation",
        "POST",
        "/invitations/{invitation}/decline",
        (LOGIN, 403, Redirect("/roundtables/{published}"), 403, Redirect("/roundtables/{published}")),
    ),
    Case(
        "roundtables.register",
        "POST",
        "/roundtables/{published}/register",
        (LOGIN, *[Redirect("/roundtables/{published}")] * 2, 403, Redirect("/roundtables/{published}")),
        data={"person_id": "{member}"},
        note="a member registers themself, a focal point their colleague; another embassy may not",
    ),
    Case(
        "roundtables.withdraw",
        "POST",
        "/registrations/{registration}/withdraw",
        (LOGIN, *[Redirect("/roundtables/{published}")] * 2, 403, Redirect("/roundtables/{published}")),
    ),
    Case("roundtables.registrations", "GET", "/roundtables/{published}/registrations", ORGANIZER_200),
    Case("roundtables.check_in", "GET", "/roundtables/{published}/check-in", ORGANIZER_200),
    Case(
        "roundtables.check_in_person",
        "POST",
        "/registrations/{registration}/check-in",
        (*ORGANIZER_ONLY, Redirect("/roundtables/{published}/check-in")),
    ),
    Case("roundtables.walk_in", "POST", "/roundtables/{published}/walk-in", ORGANIZER_200, data={"name": ""}),
    Case(
        "roundtables.add_check_in_helper",
        "POST",
        "/roundtables/{published}/check-in/helpers",
        ORGANIZER_200,
        data={"helper-email": ""},
    ),
    Case(
        "roundtables.remove_check_in_helper",
        "POST",
        "/roundtables/{published}/check-in/helpers/{member}/remove",
        (*ORGANIZER_ONLY, Redirect("/roundtables/{published}/check-in")),
    ),
    Case(
        "roundtables.register_new_person",
        "POST",
        "/roundtables/{published}/register-new",
        (LOGIN, 403, 200, 200, 403),
        data={"new-name": ""},
        note="focal points add colleagues to their own organization; the form answers with its errors",
    ),
    Case("roundtables.attendance", "GET", "/roundtables/{published}/attendance", ORGANIZER_200),
    Case("roundtables.calendar_feed", "GET", "/calendar/unknown-token.ics", (404,) * 5),
    Case(
        "roundtables.renew_calendar_feed", "POST", "/profile/calendar", (LOGIN, *[Redirect("/profile")] * 4)
    ),
    Case(
        "roundtables.prepare_next",
        "POST",
        "/roundtables/{published}/prepare-next",
        (*ORGANIZER_ONLY, Redirect("/edit")),
    ),
    Case("roundtables.calendar", "GET", "/roundtables/{published}/calendar.ics", SIGNED_IN_200),
    Case("roundtables.calendar", "GET", "/roundtables/{draft}/calendar.ics", (LOGIN, 404, 404, 404, 200)),
    Case(
        "roundtables.delete_agenda_item",
        "POST",
        "/agenda-items/{agenda_item}/delete",
        (*ORGANIZER_ONLY, Redirect("/roundtables/{published}/agenda")),
    ),
]


@pytest.fixture
def records(organization, other_organization, organizer, focal_point, member, other_focal_point):
    """Every record a route of the matrix points at, and the users who act on them."""
    invitee = make_user(password=None, email="invitee@sd.example", organization=organization)
    inactive_organization = make_organization(name="Embassy of Yemen", country="YE", active=False)
    message = OutboxMessage(
        recipient=member.email,
        subject="Invitation",
        template="invitation",
        language="en",
        body_text="text",
        body_html="<p>html</p>",
        status=OutboxStatus.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused",
    )
    db.session.add(message)
    start = datetime(2030, 7, 15, 7, tzinfo=UTC)
    common = {"starts_at": start, "ends_at": start + timedelta(hours=3), "venue": "IOM Egypt, Cairo"}
    draft = Roundtable(title="Draft roundtable", **common)
    published = Roundtable(title="Published roundtable", status="published", **common)
    published.agenda.append(AgendaItem(title="Welcome", position=1, duration_minutes=15))
    published.agenda.append(AgendaItem(title="Services", position=2, duration_minutes=45))
    invitation = Invitation(roundtable=published, organization=organization)
    registration = Registration(
        roundtable=published, user=member, organization=organization, status="attending"
    )
    db.session.add_all([draft, published, invitation, registration])
    db.session.commit()
    users = {
        "member": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organizer": organizer,
        "invitee": invitee,
    }
    ids = {name: user.id for name, user in users.items()}
    ids.update(
        organization=organization.id,
        other_organization=other_organization.id,
        inactive_organization=inactive_organization.id,
        message=message.id,
        reset_token=make_token(member, RESET),
        invitation_token=make_token(invitee, INVITATION),
        draft=draft.id,
        published=published.id,
        agenda_item=published.agenda[0].id,
        invitation=invitation.id,
        roundtable_invitation_token=invitation.token,
        registration=registration.id,
    )
    return {"users": users, "ids": ids}


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(app, client, records, case, role, expected):
    check(client, records, case, role, expected, database_state)


def test_every_route_is_in_the_matrix(app):
    """A new route (or a new method on one) fails here until some area's matrix says who may use it."""
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(case.endpoint, case.method) for case in all_cases()}
    assert routes - covered == set()
    assert covered - routes == set(), "the matrix names a route that does not exist"


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    check_paths(app, records, CASES)


# The policy functions on their own.


@pytest.mark.parametrize(
    ("actor", "action", "target", "allowed"),
    [
        ("organizer", "person.edit", "member", True),
        ("focal_point", "person.edit", "member", True),
        ("focal_point", "person.edit", "focal_point", True),
        ("focal_point", "person.edit", "organizer", False),
        ("focal_point", "person.edit", "other_focal_point", False),
        ("other_focal_point", "person.edit", "member", False),
        ("member", "person.edit", "member", False),
        ("member", "person.edit", "focal_point", False),
        ("focal_point", "person.deactivate", "member", True),
        ("focal_point", "person.deactivate", "focal_point", False),
        ("organizer", "person.deactivate", "organizer", False),
        ("organizer", "person.deactivate", "focal_point", True),
        ("organizer", "person.change_email", "member", True),
        ("focal_point", "person.change_email", "member", False),
        ("focal_point", "person.change_email", "invitee", True),
        ("focal_point", "person.change_email", "focal_point", True),
        ("other_focal_point", "person.change_email", "invitee", False),
        ("focal_point", "person.invite", "invitee", True),
        ("focal_point", "person.invite", "member", False),
        ("other_focal_point", "person.invite", "invitee", False),
        ("focal_point", "person.move", "member", False),
        ("organizer", "person.move", "member", True),
        ("focal_point", "organization.add_person", "organization", True),
        ("focal_point", "organization.add_person", "other_organization", False),
        ("member", "organization.add_person", "organization", False),
        ("organizer", "organization.add_person", "other_organization", True),
        ("focal_point", "organization.view_inactive_people", "organization", True),
        ("member", "organization.view_inactive_people", "organization", False),
        ("focal_point", "organization.edit", "organization", False),
        ("organizer", "organization.edit", "organization", True),
        ("focal_point", "organization.deactivate", "organization", False),
        ("organizer", "organization.deactivate", "organization", True),
        ("member", "organization.view_inactive", None, False),
        ("organizer", "organization.view_inactive", None, True),
        ("member", "directory.view", None, True),
        ("anonymous", "directory.view", None, False),
        ("anonymous", "person.edit", "member", False),
        ("focal_point", "organization.create", None, False),
        ("organizer", "organization.create", None, True),
        ("focal_point", "directory.import", None, False),
        ("organizer", "directory.import", None, True),
        ("focal_point", "directory.export", None, False),
        ("organizer", "directory.export", None, True),
        ("focal_point", "audit.view", None, False),
        ("organizer", "audit.view", None, True),
        ("member", "outbox.view", None, False),
        ("organizer", "outbox.view", None, True),
        ("deactivated_organizer", "audit.view", None, False),
        ("deactivated_focal_point", "person.edit", "member", False),
    ],
)
def test_can_decides_by_role_and_organization(request, actor, action, target, allowed):
    people = _people(request)
    records = [] if target is None else [people.get(target) or request.getfixturevalue(target)]
    assert can(people[actor], action, *records) is allowed


def _people(request) -> dict:
    organization = request.getfixturevalue("organization")
    return {
        "anonymous": AnonymousUserMixin(),
        "member": request.getfixturevalue("member"),
        "focal_point": request.getfixturevalue("focal_point"),
        "other_focal_point": request.getfixturevalue("other_focal_point"),
        "organizer": request.getfixturevalue("organizer"),
        "invitee": make_user(password=None, organization=organization),
        "deactivated_organizer": make_user(role=Role.ORGANIZER, active=False),
        "deactivated_focal_point": make_user(role=Role.FOCAL_POINT, organization=organization, active=False),
    }


def test_focal_point_cannot_edit_an_organizer_of_their_own_organization(focal_point, organization):
    organizer_in_embassy = make_user(role=Role.ORGANIZER, organization=organization)
    assert can(focal_point, "person.edit", organizer_in_embassy) is False
    assert can(focal_point, "person.deactivate", organizer_in_embassy) is False


def test_organizer_may_not_deactivate_their_own_organization(organizer):
    assert can(organizer, "organization.deactivate", organizer.organization) is False


@pytest.mark.parametrize(("status", "allowed"), [("failed", True), ("sent", False), ("pending", False)])
def test_only_failed_messages_may_be_retried(organizer, status, allowed):
    assert can(organizer, "outbox.retry", OutboxMessage(status=status)) is allowed


def test_an_unknown_action_is_a_programming_error(organizer):
    with pytest.raises(UnknownAction):
        can(organizer, "directory.delete_everything")


@pytest.mark.parametrize(
    ("actor", "target", "roles"),
    [
        ("organizer", "organization", [Role.MEMBER, Role.FOCAL_POINT, Role.ORGANIZER]),
        ("organizer", "other_organization", [Role.MEMBER, Role.FOCAL_POINT, Role.ORGANIZER]),
        ("focal_point", "organization", [Role.MEMBER, Role.FOCAL_POINT]),
        ("focal_point", "other_organization", []),
        ("member", "organization", []),
        ("other_focal_point", "organization", []),
    ],
)
def test_assignable_roles_depend_on_the_actor_and_organization(request, actor, target, roles):
    assert assignable_roles(request.getfixturevalue(actor), request.getfixturevalue(target)) == roles


def test_focal_point_cannot_add_an_organizer_through_the_form(client, focal_point, organization):
    login(client, focal_point)
    response = client.post(
        f"/organizations/{organization.id}/people/new",
        data={
            "name": "Eve Escalate",
            "email": "eve@sd.example",
            "role": "organizer",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "eve@sd.example")) is None


def test_focal_point_cannot_promote_a_member_to_organizer(client, focal_point, member):
    login(client, focal_point)
    response = client.post(
        f"/people/{member.id}/edit",
        data={
            "name": member.name,
            "email": member.email,
            "role": "organizer",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, member.id).role == Role.MEMBER


def test_focal_point_cannot_change_their_own_role(client, focal_point):
    login(client, focal_point)
    response = client.post(
        f"/people/{focal_point.id}/edit",
        data={
            "name": focal_point.name,
            "email": focal_point.email,
            "role": "member",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert "You cannot change your own role." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, focal_point.id).role == Role.FOCAL_POINT
