"""Answering: validation with typed answers kept, conditions, drafts, edits, dates, one response per
person or organization (also under concurrency), anonymity in the schema and in the stored rows."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from coordination.audit.models import AuditEvent
from coordination.auth.models import User
from coordination.extensions import db
from coordination.feedback import answers
from coordination.feedback.models import (
    FeedbackAnswer,
    FeedbackDraft,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackRespondent,
    FeedbackResponse,
)
from coordination.timeutil import utcnow
from tests.conftest import login
from tests.factories import make_user
from tests.feedback.conftest import THREE_QUESTIONS, closed_times, make_form


def _fields(form, rating="4", services=("health",), text="More time for questions"):
    rating_q, multiple_q, text_q = form.questions[:3]
    data = MultiDict([("action", "submit")])
    if rating is not None:
        data.add(f"q{rating_q.id}", rating)
    for code in services:
        data.add(f"q{multiple_q.id}", code)
    if text is not None:
        data.add(f"q{text_q.id}", text)
    return data


def test_a_missing_required_answer_is_marked_and_the_typed_answers_are_kept(client, focal_point, named_form):
    login(client, focal_point)
    page = client.post(f"/feedback/{named_form.id}/answer", data=_fields(named_form, rating=None))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    rating_q = named_form.questions[0]
    assert f'id="q{rating_q.id}-error"' in html
    assert "This question needs an answer." in html
    assert "More time for questions" in html  # the long text kept
    assert 'value="health" checked' in html  # the ticked option kept
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 0
    assert db.session.scalar(select(func.count(FeedbackRespondent.id))) == 0


def test_an_unknown_option_code_is_refused(client, focal_point, named_form):
    login(client, focal_point)
    page = client.post(f"/feedback/{named_form.id}/answer", data=_fields(named_form, services=("nonsense",)))
    assert "Choose one of the options given." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 0


@pytest.fixture
def conditional_form(organizer):
    return make_form(
        organizer,
        [
            {"kind": "yes_no", "label": "Did you attend in person?", "required": True},
            {"kind": "rating", "label": "How was the venue?", "required": True},
        ],
    )


def _make_conditional(organizer, form):
    from coordination.feedback import rules

    attended, venue = form.questions
    rules.update_question(organizer, venue, label=venue.label, required=True, condition=f"{attended.id}:yes")
    db.session.commit()
    return attended, venue


def test_a_conditional_question_is_checked_only_when_shown(
    client, organizer, focal_point, member, conditional_form
):
    attended, venue = _make_conditional(organizer, conditional_form)
    login(client, focal_point)
    shown = client.post(
        f"/feedback/{conditional_form.id}/answer", data={f"q{attended.id}": "yes", "action": "submit"}
    )
    assert f'id="q{venue.id}-error"' in shown.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 0

    answered = client.post(
        f"/feedback/{conditional_form.id}/answer",
        data={f"q{attended.id}": "no", f"q{venue.id}": "2", "action": "submit"},
    )
    assert answered.status_code == 302
    stored = db.session.execute(select(FeedbackAnswer.question_id, FeedbackAnswer.code)).all()
    assert stored == [(attended.id, "no")]  # the answer to the question not shown is dropped

    client.post("/logout")
    login(client, member)
    client.post(
        f"/feedback/{conditional_form.id}/answer",
        data={f"q{attended.id}": "yes", f"q{venue.id}": "5", "action": "submit"},
    )
    assert (
        db.session.scalar(select(func.count(FeedbackAnswer.id)).where(FeedbackAnswer.question_id == venue.id))
        == 1
    )


def test_a_named_draft_is_kept_on_the_server_and_shown_again(client, focal_point, named_form):
    login(client, focal_point)
    data = _fields(named_form, rating="2", text="Half-written thought")
    data["action"] = "draft"
    assert client.post(f"/feedback/{named_form.id}/answer", data=data).status_code == 302
    draft = db.session.scalars(select(FeedbackDraft)).one()
    assert draft.user_id == focal_point.id
    page = client.get(f"/feedback/{named_form.id}/answer").get_data(as_text=True)
    assert "Half-written thought" in page
    assert "Your draft of" in page
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 0
    client.post(f"/feedback/{named_form.id}/answer", data=_fields(named_form))
    assert db.session.scalar(select(func.count(FeedbackDraft.id))) == 0  # spent by the submission


def test_an_anonymous_draft_stays_in_the_session_and_nothing_links_it_on_the_server(
    client, focal_point, anonymous_form
):
    login(client, focal_point)
    data = _fields(anonymous_form, text="Only in my session")
    data["action"] = "draft"
    assert client.post(f"/feedback/{anonymous_form.id}/answer", data=data).status_code == 302
    assert db.session.scalar(select(func.count(FeedbackDraft.id))) == 0
    assert "Only in my session" in client.get(f"/feedback/{anonymous_form.id}/answer").get_data(as_text=True)
    with client.session_transaction() as session:
        assert session[f"feedback-draft-{anonymous_form.id}"][f"q{anonymous_form.questions[2].id}"] == [
            "Only in my session"
        ]


def test_a_respondent_may_change_a_named_response_until_the_form_closes(client, organizer, focal_point):
    form = make_form(organizer, THREE_QUESTIONS, allow_edit=True)
    login(client, focal_point)
    client.post(f"/feedback/{form.id}/answer", data=_fields(form, rating="2"))
    page = client.get(f"/feedback/{form.id}/answer").get_data(as_text=True)
    assert "You may change your response until it closes." in page
    assert client.post(f"/feedback/{form.id}/answer", data=_fields(form, rating="5")).status_code == 302
    assert db.session.scalar(select(FeedbackAnswer.number).where(FeedbackAnswer.number.is_not(None))) == 5
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1

    form = db.session.get(FeedbackForm, form.id)
    form.closes_at = utcnow() - timedelta(minutes=1)
    form.opens_at = utcnow() - timedelta(days=1)
    db.session.commit()
    page = client.post(f"/feedback/{form.id}/answer", data=_fields(form, rating="1"))
    assert "This form closed on" in page.get_data(as_text=True)
    assert db.session.scalar(select(FeedbackAnswer.number).where(FeedbackAnswer.number.is_not(None))) == 5


def test_without_editing_allowed_a_second_answer_is_refused_with_a_clear_message(
    client, focal_point, named_form
):
    login(client, focal_point)
    client.post(f"/feedback/{named_form.id}/answer", data=_fields(named_form))
    page = client.post(f"/feedback/{named_form.id}/answer", data=_fields(named_form, rating="1"))
    assert "You answered this form on" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1


def test_closed_and_not_yet_open_forms_say_so_with_their_dates(client, organizer, focal_point):
    later = (utcnow() + timedelta(days=3)).replace(tzinfo=None, microsecond=0)
    scheduled = make_form(organizer, THREE_QUESTIONS, opens_at=later, closes_at=later + timedelta(days=7))
    closed = make_form(organizer, THREE_QUESTIONS, **closed_times())
    login(client, focal_point)
    page = client.get(f"/feedback/{scheduled.id}/answer").get_data(as_text=True)
    assert "This form is not open yet. It opens on" in page
    assert "It closes on" in page
    assert "This form closed on" in client.get(f"/feedback/{closed.id}/answer").get_data(as_text=True)
    client.post(f"/feedback/{closed.id}/answer", data=_fields(closed))
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 0


def test_one_response_per_organization_refuses_a_colleague(client, organizer, focal_point, member):
    form = make_form(organizer, THREE_QUESTIONS, one_per="organization")
    login(client, focal_point)
    client.post(f"/feedback/{form.id}/answer", data=_fields(form))
    client.post("/logout")
    login(client, member)
    page = client.post(f"/feedback/{form.id}/answer", data=_fields(form, rating="1"))
    assert "Your organization has already answered this form" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1


def test_the_database_refuses_a_second_respondent_row(organizer, focal_point, named_form):
    db.session.add(
        FeedbackRespondent(form_id=named_form.id, user_id=focal_point.id, responded_on=utcnow().date())
    )
    db.session.commit()
    db.session.add(
        FeedbackRespondent(form_id=named_form.id, user_id=focal_point.id, responded_on=utcnow().date())
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def _submit_in_own_session(app, form_id, user_id, barrier) -> str:
    with app.app_context():
        form = db.session.get(FeedbackForm, form_id)
        user = db.session.get(User, user_id)
        raw = answers.raw_answers(form, _fields(form))
        barrier.wait()
        try:
            answers.submit_response(user, form, raw)
            db.session.commit()
            return "saved"
        except IntegrityError:
            db.session.rollback()
            return "refused"


@pytest.mark.parametrize("one_per", ["person", "organization"])
def test_two_submissions_at_once_leave_one_response(app, organizer, focal_point, member, one_per):
    form = make_form(organizer, THREE_QUESTIONS, one_per=one_per)
    second = focal_point if one_per == "person" else member
    form_id, user_ids = form.id, (focal_point.id, second.id)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(user_id):
        outcomes.append(_submit_in_own_session(app, form_id, user_id, barrier))

    threads = [threading.Thread(target=attempt, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "saved"]
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1
    assert db.session.scalar(select(func.count(FeedbackRespondent.id))) == 1


def test_two_browsers_posting_at_once_get_one_response_and_a_clear_message(app, organizer, focal_point):
    form = make_form(organizer, THREE_QUESTIONS)
    path, data = f"/feedback/{form.id}/answer", _fields(form)
    clients = [app.test_client(), app.test_client()]
    for each in clients:
        login(each, focal_point)
    barrier = threading.Barrier(2)
    pages = []

    def post(each):
        barrier.wait()
        pages.append(each.post(path, data=data, follow_redirects=True))

    threads = [threading.Thread(target=post, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    texts = sorted(page.get_data(as_text=True) for page in pages)
    assert sum("Thank you: your response has been received." in text for text in texts) == 1
    refused = next(text for text in texts if "Thank you: your response has been received." not in text)
    assert ("You have already answered this form" in refused) or ("You answered this form on" in refused)
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1


def test_an_anonymous_response_carries_nothing_that_identifies_its_author(
    client, app, focal_point, anonymous_form
):
    inspector = sa.inspect(db.engine)
    assert {c["name"] for c in inspector.get_columns("feedback_responses")} == {
        "id", "form_id", "organization_kind", "submitted_on",
    }  # fmt: skip
    assert {c["name"] for c in inspector.get_columns("feedback_answers")} == {
        "id", "response_id", "question_id", "code", "number", "text",
    }  # fmt: skip
    for table in ("feedback_responses", "feedback_answers"):
        referred = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert referred <= {"feedback_forms", "feedback_responses", "feedback_questions"}, table
    date_type = {c["name"]: c["type"] for c in inspector.get_columns("feedback_responses")}["submitted_on"]
    assert isinstance(date_type, sa.Date) and not isinstance(date_type, sa.DateTime)

    about_feedback = select(func.count(AuditEvent.id)).where(AuditEvent.action.like("feedback%"))
    audit_before = db.session.scalar(about_feedback)
    # Three people: an anonymous response reaches the results only with two others (see
    # tests/security/test_anonymous_feedback.py), so one alone is not in these tables yet.
    people = [
        focal_point,
        make_user(organization=focal_point.organization),
        make_user(organization=focal_point.organization),
    ]
    for person in people:
        login(client, person)
        client.post(f"/feedback/{anonymous_form.id}/answer", data=_fields(anonymous_form))
        client.post("/logout")
    respondent = db.session.scalars(
        select(FeedbackRespondent).where(FeedbackRespondent.user_id == focal_point.id)
    ).one()
    assert respondent.response_id is None  # nothing points from the person to the answers
    rows = db.session.execute(sa.text("SELECT * FROM feedback_responses")).mappings().all()
    assert len(rows) == 3
    for row in rows:
        assert set(row) == {"id", "form_id", "organization_kind", "submitted_on"}
        assert str(focal_point.id) != row["id"] and len(row["id"]) == 32
        assert row["organization_kind"] == "embassy"
        assert row["submitted_on"] is None  # a day would pair it with its respondent row
    answer_rows = db.session.execute(sa.text("SELECT * FROM feedback_answers")).mappings().all()
    assert {answer["response_id"] for answer in answer_rows} == {row["id"] for row in rows}
    # Nor does the audit log record who answered when (signing in is recorded, answering is not).
    assert db.session.scalar(about_feedback) == audit_before


def test_a_form_of_chosen_organizations_is_hidden_from_the_others(
    client, organizer, focal_point, other_focal_point, other_organization
):
    form = make_form(
        organizer, THREE_QUESTIONS, audience="organizations", organization_ids=[other_organization.id]
    )
    login(client, focal_point)
    assert client.get(f"/feedback/{form.id}/answer").status_code == 404
    assert form.title not in client.get("/feedback").get_data(as_text=True)
    client.post("/logout")
    login(client, other_focal_point)
    assert form.title in client.get("/feedback").get_data(as_text=True)


def test_the_respondent_sees_options_in_their_language(client, organizer, organization):
    from coordination.feedback import rules

    form = make_form(organizer, THREE_QUESTIONS)
    multiple = form.questions[1]
    rules.update_question(
        organizer, multiple, label=multiple.label,
        option_labels={"health": {"en": "Health", "fr": "Santé", "ar": "الصحة"}},
        translations={"fr": {"label": "Quels services présenter ensuite ?"}, "ar": {"label": ""}},
    )  # fmt: skip
    rules.update_form(
        organizer, form, title=form.title, audience="everyone", one_per="person",
        translations={"fr": {"title": "Votre avis sur la table ronde"}},
    )  # fmt: skip
    db.session.commit()
    assert db.session.get(FeedbackQuestion, multiple.id).translations == {
        "fr": {"label": "Quels services présenter ensuite ?"}
    }
    person = make_user(organization=organization, preferred_language="fr")
    login(client, person)
    page = client.get(f"/feedback/{form.id}/answer").get_data(as_text=True)
    assert "Santé" in page
    assert "Quels services présenter ensuite ?" in page
    assert "Votre avis sur la table ronde" in page
    assert "How useful was the roundtable?" in page  # not translated: shown as typed
    assert "Finalité et confidentialité" in page


def test_editing_a_response_keeps_the_answer_to_a_question_hidden_since(client, organizer, focal_point):
    from coordination.feedback import rules

    form = make_form(organizer, THREE_QUESTIONS, allow_edit=True)
    login(client, focal_point)
    client.post(f"/feedback/{form.id}/answer", data=_fields(form, rating="2", text="First thoughts"))
    rules.set_question_hidden(organizer, form.questions[2], True)
    db.session.commit()
    client.post(f"/feedback/{form.id}/answer", data=_fields(form, rating="5", text=None))
    assert (
        db.session.scalar(select(FeedbackAnswer.text).where(FeedbackAnswer.text.is_not(None)))
        == "First thoughts"
    )
    assert db.session.scalar(select(FeedbackAnswer.number).where(FeedbackAnswer.number.is_not(None))) == 5


def test_the_list_of_forms_shows_each_person_the_forms_they_may_answer(
    client, organizer, organization, focal_point, member, other_focal_point, other_organization
):
    from coordination.roundtables.models import Registration
    from tests.roundtables.conftest import make_roundtable

    roundtable = make_roundtable(status="completed")
    db.session.add(
        Registration(roundtable=roundtable, user=member, organization=organization, status="attending")
    )
    db.session.commit()
    make_form(organizer, THREE_QUESTIONS, title="For everyone")
    make_form(
        organizer, THREE_QUESTIONS, title="For attendees", audience="attendees", roundtable_id=roundtable.id
    )
    make_form(
        organizer, THREE_QUESTIONS, title="For Eritrea", audience="organizations",
        organization_ids=[other_organization.id],
    )  # fmt: skip
    make_form(organizer, THREE_QUESTIONS, title="Not published", publish=False)
    expected = {
        member: ["For everyone", "For attendees"],
        focal_point: ["For everyone"],
        other_focal_point: ["For everyone", "For Eritrea"],
    }
    for person, titles in expected.items():
        login(client, person)
        page = client.get("/feedback").get_data(as_text=True)
        shown = [t for t in ("For everyone", "For attendees", "For Eritrea", "Not published") if t in page]
        assert sorted(shown) == sorted(titles), person.name
        forms = db.session.scalars(select(FeedbackForm)).all()
        for form in forms:
            allowed = client.get(f"/feedback/{form.id}/answer").status_code == 200
            assert allowed == (form.title in titles), (person.name, form.title)
        client.post("/logout")
