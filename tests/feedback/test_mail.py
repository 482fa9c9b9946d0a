"""Mail: the audience is invited through the outbox in each person's language, a roundtable's form
goes out when the roundtable is marked completed, and the reminder reaches only those who have not
answered (delivered to a real SMTP server)."""

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from coordination.extensions import db
from coordination.feedback import answers
from coordination.feedback.models import FeedbackForm
from coordination.mail.models import OutboxMessage
from coordination.roundtables.models import Registration
from tests.conftest import body_text, first_link, login
from tests.factories import make_user
from tests.feedback.conftest import THREE_QUESTIONS, make_form
from tests.roundtables.conftest import make_roundtable


def _answer(form, person):
    rating = form.questions[0]
    answers.submit_response(person, form, answers.raw_answers(form, MultiDict([(f"q{rating.id}", "4")])))
    db.session.commit()


def test_the_reminder_reaches_only_those_who_have_not_answered(
    client, organizer, organization, focal_point, member, other_focal_point, smtp_server
):
    form = make_form(organizer, THREE_QUESTIONS, title="Your view of the services roundtable")
    french = make_user(
        organization=organization, name="Claire Dupont", email="claire@sd.example", preferred_language="fr"
    )
    _answer(form, focal_point)
    _answer(form, other_focal_point)
    login(client, organizer)
    response = client.post(f"/feedback/{form.id}/remind", follow_redirects=True)
    assert "2 people who have not answered have been reminded." in response.get_data(as_text=True)
    received = smtp_server.wait_for(2)
    assert sorted(message["To"] for message in received) == sorted([member.email, french.email])
    by_address = {message["To"]: message for message in received}
    assert (
        by_address[member.email]["Subject"]
        == "Reminder: your feedback on Your view of the services roundtable"
    )
    assert by_address[french.email]["Content-Language"] == "fr"
    assert "Rappel" in by_address[french.email]["Subject"]
    assert first_link(by_address[member.email], "/feedback/") == f"/feedback/{form.id}/answer"
    assert focal_point.email not in [message["To"] for message in smtp_server.messages]


def test_a_roundtable_form_is_mailed_to_its_attendees_when_the_roundtable_is_completed(
    client, organizer, organization, focal_point, member, other_focal_point, smtp_server
):
    roundtable = make_roundtable(title="Services roundtable")
    db.session.add_all(
        [
            Registration(roundtable=roundtable, user=member, organization=organization, status="attending"),
            Registration(
                roundtable=roundtable, user=focal_point, organization=organization, status="withdrawn"
            ),
        ]
    )
    db.session.commit()
    form = make_form(organizer, THREE_QUESTIONS, roundtable_id=roundtable.id, audience="attendees")
    login(client, organizer)
    client.post(f"/roundtables/{roundtable.id}/complete")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == member.email
    assert f"/feedback/{form.id}/answer" in body_text(message)
    assert db.session.get(FeedbackForm, form.id).invited_at is not None
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 1


def test_the_event_page_links_its_open_form_for_those_in_its_audience(
    client, organizer, organization, member, focal_point
):
    roundtable = make_roundtable(title="Services roundtable", status="completed")
    db.session.add(
        Registration(roundtable=roundtable, user=member, organization=organization, status="attending")
    )
    db.session.commit()
    form = make_form(
        organizer, THREE_QUESTIONS, roundtable_id=roundtable.id, audience="attendees", title="Tell us"
    )
    login(client, member)
    assert f"/feedback/{form.id}/answer" in client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, focal_point)
    assert f"/feedback/{form.id}/answer" not in client.get(f"/roundtables/{roundtable.id}").get_data(
        as_text=True
    )


def test_mailing_the_audience_twice_skips_those_who_answered(
    client, organizer, focal_point, member, smtp_server
):
    form = make_form(organizer, THREE_QUESTIONS)
    _answer(form, focal_point)
    login(client, organizer)
    page = client.post(f"/feedback/{form.id}/invite", follow_redirects=True)
    assert "1 person has been invited." in page.get_data(as_text=True)
    [message] = smtp_server.wait_for(1)
    assert message["To"] == member.email
