"""Minutes: revisions kept, circulation to participants, comments until the deadline, adoption,
publication, and the Chatham House rule."""

import re
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.roundtables.models import Minutes, MinutesComment, MinutesRevision, Registration
from coordination.timeutil import utcnow
from tests.conftest import body_text, login
from tests.factories import make_user
from tests.roundtables.conftest import make_roundtable


def _registered(roundtable, *people, status="attending"):
    for person in people:
        db.session.add(
            Registration(
                roundtable=roundtable, user=person, organization_id=person.organization_id, status=status
            )
        )
    db.session.commit()


def _signed_in(app, user):
    """A client of its own for each person, as each has their own browser."""
    client = app.test_client()
    login(client, user)
    return client


def _save(client, roundtable, body, chatham_house=False):
    data = {"body": body}
    if chatham_house:
        data["chatham_house"] = "y"
    return client.post(f"/roundtables/{roundtable.id}/minutes/edit", data=data, follow_redirects=True)


def _minutes(roundtable) -> Minutes:
    return db.session.scalar(select(Minutes).where(Minutes.roundtable_id == roundtable.id))


def _with_minutes(roundtable, status, *, body="Embassies asked for Arabic leaflets.", **fields) -> Minutes:
    minutes = Minutes(roundtable=roundtable, body=body, status=status, **fields)
    db.session.add(minutes)
    db.session.commit()
    return minutes


@pytest.fixture
def held():
    return make_roundtable(title="First roundtable", status="completed")


def test_every_save_is_kept_as_a_revision_and_organizers_see_what_changed(app, client, organizer, held):
    client = _signed_in(app, organizer)
    assert "revision 1" in _save(client, held, "## Services\nIOM presented AVRR.\nHealth services.").get_data(
        as_text=True
    )
    page = _save(client, held, "## Services\nIOM presented AVRR and health.\nHealth services.").get_data(
        as_text=True
    )
    assert "revision 2" in page
    assert "Nothing has changed" in _save(
        client, held, "## Services\nIOM presented AVRR and health.\nHealth services."
    ).get_data(as_text=True)

    revisions = db.session.scalars(select(MinutesRevision).order_by(MinutesRevision.number)).all()
    assert [(r.number, r.author_id) for r in revisions] == [(1, organizer.id), (2, organizer.id)]
    assert revisions[0].body.endswith("IOM presented AVRR.\nHealth services.")

    listing = client.get(f"/roundtables/{held.id}/minutes/revisions").get_data(as_text=True)
    assert "Revision 2" in listing and "Revision 1" in listing and organizer.name in listing
    diff = client.get(f"/roundtables/{held.id}/minutes/revisions/2").get_data(as_text=True)
    assert re.search(r"<del[^>]*>- IOM presented AVRR\.</del>", diff)
    assert re.search(r"<ins[^>]*>\+ IOM presented AVRR and health\.</ins>", diff)
    assert "What changed since revision 1" in diff


def test_an_empty_text_is_refused_and_nothing_is_saved(app, client, organizer, held):
    client = _signed_in(app, organizer)
    response = client.post(f"/roundtables/{held.id}/minutes/edit", data={"body": "   ", "chatham_house": "y"})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert _minutes(held) is None


def test_minutes_are_sanitized_markdown(app, client, organizer, member, held):
    _with_minutes(
        held, "published", body="**Agreed**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    )
    client = _signed_in(app, member)
    page = client.get(f"/roundtables/{held.id}/minutes").get_data(as_text=True)
    assert "<strong>Agreed</strong>" in page
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page


def test_circulation_mails_each_participant_in_their_language(
    app, client, runner, organizer, member, organization, held, smtp_server
):
    french = make_user(
        name="Françoise Délégué", email="fr@sd.example", organization=organization, preferred_language="fr"
    )
    waiting = make_user(name="Wanda Waiting", email="wait@sd.example", organization=organization)
    _registered(held, member, french)
    _registered(held, waiting, status="waitlisted")
    client = _signed_in(app, organizer)
    _save(client, held, "Draft text.")
    deadline = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    page = client.get(f"/roundtables/{held.id}/minutes/circulate").get_data(as_text=True)
    assert "Françoise Délégué" in page and "Wanda" not in page
    response = client.post(
        f"/roundtables/{held.id}/minutes/circulate",
        data={"comment_deadline": deadline},
        follow_redirects=True,
    )
    assert "circulated to 2 participants" in response.get_data(as_text=True)
    runner.invoke(args=["outbox", "send"])
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    assert set(messages) == {member.email, french.email}
    assert messages[member.email]["Subject"] == f"Draft minutes for your comments: {held.title}"
    in_french = messages[french.email]
    assert in_french["Content-Language"] == "fr"
    assert str(make_header(decode_header(in_french["Subject"]))) == (
        f"Projet de procès-verbal pour commentaires : {held.title}"
    )
    assert "Le projet de procès-verbal de « First roundtable » attend vos commentaires." in body_text(
        in_french
    )
    assert f"/roundtables/{held.id}/minutes" in body_text(messages[french.email])
    assert "Draft minutes" not in body_text(messages[french.email])
    assert _minutes(held).status == "circulated"


def test_a_past_deadline_is_refused_and_the_minutes_stay_a_draft(app, client, organizer, member, held):
    _registered(held, member)
    _with_minutes(held, "draft")
    client = _signed_in(app, organizer)
    response = client.post(
        f"/roundtables/{held.id}/minutes/circulate", data={"comment_deadline": "2020-01-01T10:00"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The comment deadline must be in the future." in page
    assert 'value="2020-01-01T10:00"' in page  # what was typed is kept
    assert _minutes(held).status == "draft"


def test_participants_comment_until_the_deadline_and_only_organizers_read_the_comments(
    app, client, organizer, member, focal_point, held
):
    _registered(held, member, focal_point)
    minutes = _with_minutes(held, "circulated", comment_deadline=utcnow() + timedelta(days=3))
    client = _signed_in(app, member)
    response = client.post(
        f"/roundtables/{held.id}/minutes/comments",
        data={"text": "Please add the hotline number."},
        follow_redirects=True,
    )
    assert "your comment has been sent" in response.get_data(as_text=True)
    assert "Please add the hotline number." in response.get_data(as_text=True)  # one's own comment

    client = _signed_in(app, focal_point)
    page = client.get(f"/roundtables/{held.id}/minutes").get_data(as_text=True)
    assert "Embassies asked for Arabic leaflets." in page
    assert "hotline" not in page

    client = _signed_in(app, organizer)
    page = client.get(f"/roundtables/{held.id}/minutes").get_data(as_text=True)
    assert "Please add the hotline number." in page and member.name in page

    minutes.comment_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = _signed_in(app, member)
    response = client.post(f"/roundtables/{held.id}/minutes/comments", data={"text": "One more thing."})
    assert response.status_code == 200
    assert "Comments closed on" in response.get_data(as_text=True)
    assert "One more thing." in response.get_data(as_text=True)  # kept in the form
    assert db.session.scalar(select(func.count(MinutesComment.id))) == 1


def test_unpublished_minutes_are_hidden_from_members_until_published(
    app, client, organizer, member, focal_point, held
):
    _registered(held, focal_point)
    _with_minutes(held, "draft")
    for status in ("draft", "circulated", "adopted"):
        _minutes(held).status = status
        db.session.commit()
        client = _signed_in(app, member)
        assert client.get(f"/roundtables/{held.id}/minutes").status_code == 404, status
        assert "Arabic leaflets" not in client.get(f"/roundtables/{held.id}").get_data(as_text=True)

    client = _signed_in(app, organizer)
    client.post(f"/roundtables/{held.id}/minutes/publish", data={})
    assert _minutes(held).status == "published"
    client = _signed_in(app, member)
    assert "Arabic leaflets" in client.get(f"/roundtables/{held.id}/minutes").get_data(as_text=True)
    assert "Arabic leaflets" in client.get(f"/roundtables/{held.id}").get_data(as_text=True)


def test_the_clearance_flow_through_the_pages(app, client, organizer, member, held):
    _registered(held, member)
    client = _signed_in(app, organizer)
    _save(client, held, "Agreed: regular meetings.")
    deadline = (utcnow() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/roundtables/{held.id}/minutes/circulate", data={"comment_deadline": deadline})
    assert _minutes(held).status == "circulated"
    client.post(f"/roundtables/{held.id}/minutes/adopt", data={})
    assert _minutes(held).status == "adopted"
    client = _signed_in(app, member)
    assert client.post(f"/roundtables/{held.id}/minutes/comments", data={"text": "Late"}).status_code == 403
    client = _signed_in(app, organizer)
    assert client.get(f"/roundtables/{held.id}/minutes/edit").status_code == 403  # adopted: final
    client.post(f"/roundtables/{held.id}/minutes/publish", data={})
    minutes = _minutes(held)
    assert minutes.status == "published"
    assert minutes.circulated_at <= minutes.adopted_at <= minutes.published_at


def test_chatham_house_minutes_say_so_and_show_no_attendance_by_organization(
    app, client, organizer, member, focal_point, other_focal_point, held
):
    _registered(held, focal_point, other_focal_point)
    _with_minutes(held, "published", chatham_house=True)
    client = _signed_in(app, member)
    event = client.get(f"/roundtables/{held.id}").get_data(as_text=True)
    assert "Chatham House rule." in event
    assert "Organizations attending" not in event
    assert "Embassy of Eritrea" not in event
    assert "Chatham House rule." in client.get(f"/roundtables/{held.id}/minutes").get_data(as_text=True)

    client = _signed_in(app, organizer)  # organizers keep the attendance
    assert "Organizations attending" in client.get(f"/roundtables/{held.id}").get_data(as_text=True)

    _minutes(held).chatham_house = False
    db.session.commit()
    client = _signed_in(app, member)
    event = client.get(f"/roundtables/{held.id}").get_data(as_text=True)
    assert "Chatham House rule." not in event
    assert "Embassy of Eritrea" in event


def test_saving_chatham_house_minutes_warns_when_an_attending_organization_is_named(
    app, client, organizer, focal_point, held
):
    _registered(held, focal_point)
    client = _signed_in(app, organizer)
    page = _save(client, held, "The Embassy of Sudan asked for leaflets.", chatham_house=True).get_data(
        as_text=True
    )
    assert "should not attribute statements to organizations" in page
    assert "Embassy of Sudan" in page
    page = _save(client, held, "One embassy asked for leaflets.", chatham_house=True).get_data(as_text=True)
    assert "should not attribute" not in page


def test_minutes_are_not_kept_for_a_draft_roundtable(app, client, organizer):
    roundtable = make_roundtable(
        status="draft",
        starts_at=datetime(2030, 1, 1, 8, tzinfo=UTC),
        ends_at=datetime(2030, 1, 1, 10, tzinfo=UTC),
    )
    client = _signed_in(app, organizer)
    response = client.post(f"/roundtables/{roundtable.id}/minutes/edit", data={"body": "Text"})
    assert response.status_code == 200
    assert "published or held roundtables only" in response.get_data(as_text=True)
    assert _minutes(roundtable) is None
