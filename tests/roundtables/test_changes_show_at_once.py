"""The event page and the check-in list show every change on the next request, and every session's
forms carry that session's own CSRF token."""

import re

from coordination.extensions import db
from coordination.roundtables.models import Invitation, Registration
from tests.conftest import login
from tests.factories import PASSWORD, make_user
from tests.feedback.conftest import make_form
from tests.roundtables.conftest import make_roundtable


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_change_shows_on_the_next_event_page(
    app, client, organizer, organization, other_organization, focal_point, member, other_focal_point
):
    roundtable = make_roundtable(capacity=10, seats_per_organization=3)
    db.session.add_all(
        [Invitation(roundtable=roundtable, organization=o) for o in (organization, other_organization)]
    )
    db.session.commit()
    event = f"/roundtables/{roundtable.id}"
    login(client, focal_point)
    page = _page(client, event)
    assert "The agenda is not set yet." in page and "Organizations attending" not in page
    assert f'<option value="{member.id}">' in page

    # Another embassy registers, from another browser.
    other = app.test_client()
    login(other, other_focal_point)
    other.post(f"{event}/register", data={"person_id": str(other_focal_point.id)})
    page = _page(client, event)
    assert "Organizations attending" in page and other_organization.name in page

    # The organizer adds to the agenda and renames the other embassy.
    desk = app.test_client()
    login(desk, organizer)
    desk.post(f"{event}/agenda", data={"title": "Matters of return", "duration_minutes": "30"})
    form = {"name": "Embassy of the State of Eritrea", "kind": "embassy", "country": "ER"}
    desk.post(f"/organizations/{other_organization.id}/edit", data=form)
    page = _page(client, event)
    assert "Matters of return" in page and "Embassy of the State of Eritrea" in page

    # The focal point's own delegation: a registration, a new colleague, a withdrawal.
    client.post(f"{event}/register", data={"person_id": str(member.id)})
    page = _page(client, event)
    assert re.search(rf"{member.name}\s*<span class=\"badge text-bg-success\">", page)
    colleague = make_user(organization=organization, name="Newly Arrived Colleague")
    assert f'<option value="{colleague.id}">' in _page(client, event)
    registration = db.session.scalar(db.select(Registration).where(Registration.user_id == member.id))
    desk.post(f"/registrations/{registration.id}/withdraw")
    assert f'<option value="{member.id}">' in _page(client, event)

    # Published details change.
    desk.post(f"{event}/cancel", data={"reason": "The venue is closed."})
    assert "This roundtable is cancelled." in _page(client, event)


def test_the_check_in_list_and_counts_follow_each_tap(app, client, organizer, member, focal_point):
    roundtable = make_roundtable()
    registrations = [
        Registration(roundtable=roundtable, user=p, organization_id=p.organization_id, status="attending")
        for p in (member, focal_point)
    ]
    db.session.add_all(registrations)
    db.session.commit()
    path = f"/roundtables/{roundtable.id}/check-in?q={member.name.split()[0]}"
    login(client, organizer)
    assert "0 checked in of 2 with a seat" in _page(client, path)

    helper = app.test_client()
    login(helper, organizer)
    helper.post(f"/registrations/{registrations[0].id}/check-in")
    page = _page(client, path)
    assert "1 checked in of 2 with a seat" in page and "bi-check-lg" in page
    searched = client.get(path, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "bi-check-lg" in searched

    member.name = "Renamed Member"
    db.session.commit()
    assert "Renamed Member" in _page(client, f"/roundtables/{roundtable.id}/check-in")


def _signed_in(csrf_app, user):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    return client


def test_event_pages_carry_each_session_its_own_csrf_token(csrf_app, focal_point, organization):
    roundtable = make_roundtable()
    db.session.add(Invitation(roundtable=roundtable, organization=organization))
    db.session.commit()
    accepted = []
    for number in (1, 2):  # two devices of the same person
        client = _signed_in(csrf_app, focal_point)
        page = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
        token = re.search(r'name="new-csrf_token" value="([^"]+)"', page).group(1)
        data = {
            "new-csrf_token": token,
            "new-name": f"Colleague {number}",
            "new-email": f"colleague{number}@sd.example",
            "new-preferred_language": "en",
        }
        accepted.append(client.post(f"/roundtables/{roundtable.id}/register-new", data=data).status_code)
    assert accepted == [302, 302]


def test_the_walk_in_form_carries_each_session_its_own_csrf_token(csrf_app, organizer, organization):
    roundtable = make_roundtable()
    answers = []
    for number in (1, 2):  # two organizers' devices
        client = _signed_in(csrf_app, organizer)
        page = client.get(f"/roundtables/{roundtable.id}/check-in").get_data(as_text=True)
        form = page[page.index('id="walk-in-heading"') :]
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        data = {
            "csrf_token": token,
            "name": f"Walk In {number}",
            "email": f"walk.in{number}@sd.example",
            "organization_id": str(organization.id),
        }
        answers.append(client.post(f"/roundtables/{roundtable.id}/walk-in", data=data).status_code)
    assert answers == [302, 302]


def test_the_organizers_buttons_on_the_event_page_carry_each_session_its_own_token(csrf_app, organizer):
    roundtable = make_roundtable(status="draft")
    event = f"/roundtables/{roundtable.id}"
    first, second = _signed_in(csrf_app, organizer), _signed_in(csrf_app, organizer)
    tokens = []
    for client in (first, second):  # two devices of the same organizer
        page = _page(client, event)
        form = page[page.index(f'action="{event}/publish"') :]
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', form).group(1))
    assert tokens[0] != tokens[1]
    assert second.post(f"{event}/publish", data={"csrf_token": tokens[1]}).status_code == 302
    db.session.refresh(roundtable)
    assert roundtable.status == "published"


def test_an_answered_feedback_form_says_so_on_the_event_page_at_once(client, organizer, focal_point):
    roundtable = make_roundtable(status="completed")
    form = make_form(
        organizer, ({"kind": "long_text", "label": "What should change?"},), roundtable_id=roundtable.id
    )
    login(client, focal_point)
    event = f"/roundtables/{roundtable.id}"
    assert "Your feedback is welcome" in _page(client, event)
    answer = {f"q{form.questions[0].id}": "More time for questions", "action": "submit"}
    assert client.post(f"/feedback/{form.id}/answer", data=answer).status_code == 302
    page = _page(client, event)
    assert "Your feedback is welcome" not in page
    assert "Thank you: “Feedback on the roundtable” is answered." in page
