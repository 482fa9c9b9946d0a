"""Building forms: settings, questions with stable option codes, reorder, conditions, hiding instead
of deleting once answered, preview, copy to the next roundtable, export and import as JSON."""

import io
import json
from datetime import datetime

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from coordination.extensions import db
from coordination.feedback import answers, rules
from coordination.feedback.models import FeedbackForm, FeedbackOption, FeedbackQuestion
from tests.conftest import login
from tests.feedback.conftest import THREE_QUESTIONS, make_form
from tests.roundtables.conftest import make_roundtable


def test_organizer_builds_a_form_through_the_pages(client, organizer, other_organization):
    login(client, organizer)
    bad = client.post(
        "/feedback/new",
        data={
            "title": "Services roundtable: your view",
            "audience": "organizations",
            "organization_ids": [str(other_organization.id)],
            "one_per": "organization",
            "opens_at": "2030-05-10T09:00",
            "closes_at": "2030-05-01T09:00",
        },
    )
    html = bad.get_data(as_text=True)
    assert "The form must close after it opens." in html
    assert 'value="Services roundtable: your view"' in html  # what was typed is kept
    created = client.post(
        "/feedback/new",
        data={
            "title": "Services roundtable: your view",
            "audience": "organizations",
            "organization_ids": [str(other_organization.id)],
            "one_per": "organization",
            "opens_at": "2030-05-01T09:00",
            "closes_at": "2030-05-10T09:00",
        },
    )
    assert created.status_code == 302
    form = db.session.scalars(select(FeedbackForm)).one()
    assert form.opens_at.hour in (6, 7)  # 09:00 in Cairo, whose daylight saving time tzdata decides
    assert [o.id for o in form.organizations] == [other_organization.id]

    client.post(
        f"/feedback/{form.id}/questions/new",
        data={
            "kind": "single",
            "label": "Which service matters most?",
            "options": "Health\nAVRR\nHealth\n\nProtection",
        },
    )
    client.post(
        f"/feedback/{form.id}/questions/new", data={"kind": "yes_no", "label": "Would you come again?"}
    )
    missing = client.post(
        f"/feedback/{form.id}/questions/new", data={"kind": "multiple", "label": "Pick", "options": "One"}
    )
    assert "Give at least two options, one per line." in missing.get_data(as_text=True)
    question = db.session.scalars(select(FeedbackQuestion).order_by(FeedbackQuestion.position)).first()
    assert [(o.code, o.label) for o in question.options] == [
        ("health", "Health"),
        ("avrr", "AVRR"),
        ("protection", "Protection"),
    ]

    page = client.get(f"/feedback/{form.id}").get_data(as_text=True)
    assert "1. Which service matters most?" in page and ">avrr</code>" in page
    preview = client.get(f"/feedback/{form.id}/preview").get_data(as_text=True)
    assert "Preview: this is what respondents see." in preview and "Would you come again?" in preview
    assert client.post(f"/feedback/{form.id}/publish").status_code == 302
    assert db.session.get(FeedbackForm, form.id).published


def test_timezone_of_a_standalone_form_is_cairo(organizer):
    form = make_form(organizer, THREE_QUESTIONS, opens_at=datetime(2030, 1, 10, 9, 0))
    assert form.opens_at.hour == 7  # Cairo is UTC+2 in January


def test_questions_move_and_a_condition_keeps_pointing_backwards(client, organizer):
    form = make_form(
        organizer, [{"kind": "yes_no", "label": "Q1"}, {"kind": "rating", "label": "Q2"}], publish=False
    )
    first, second = form.questions
    login(client, organizer)
    client.post(f"/feedback/questions/{second.id}/edit", data={"label": "Q2", "condition": f"{first.id}:yes"})
    assert db.session.get(FeedbackQuestion, second.id).condition_question_id == first.id
    page = client.post(f"/feedback/questions/{second.id}/move/up", follow_redirects=True)
    assert "A question cannot move before the question its condition depends on." in page.get_data(
        as_text=True
    )
    assert [q.label for q in db.session.get(FeedbackForm, form.id).questions] == ["Q1", "Q2"]
    client.post(f"/feedback/questions/{second.id}/edit", data={"label": "Q2", "condition": ""})
    client.post(f"/feedback/questions/{second.id}/move/up")
    db.session.expire_all()
    assert [q.label for q in db.session.get(FeedbackForm, form.id).questions] == ["Q2", "Q1"]


def test_a_question_with_answers_is_hidden_not_deleted(client, organizer, member, named_form):
    rating, _multiple, text = named_form.questions
    answers.submit_response(member, named_form, {f"q{rating.id}": ["3"]})
    db.session.commit()
    login(client, organizer)
    page = client.post(f"/feedback/questions/{rating.id}/delete", follow_redirects=True)
    assert "This question has answers" in page.get_data(as_text=True)
    assert db.session.get(FeedbackQuestion, rating.id) is not None
    client.post(f"/feedback/questions/{rating.id}/hide", data={"hidden": "1"})
    assert db.session.get(FeedbackQuestion, rating.id).hidden
    results = client.get(f"/feedback/{named_form.id}/results").get_data(as_text=True)
    assert "How useful was the roundtable?" in results  # the hidden question's answers stay
    text_id = text.id
    assert client.get(f"/feedback/questions/{text_id}/delete").status_code == 200
    assert client.post(f"/feedback/questions/{text_id}/delete").status_code == 302
    assert db.session.get(FeedbackQuestion, text_id) is None


def test_no_question_of_an_anonymous_form_is_deleted_while_sealed_answers_wait(
    client, organizer, member, anonymous_form
):
    # The sealed answer may be to any question (nobody reads it before its release): deleting one
    # would lose it, and anonymity and one-per stay fixed as for a released response.
    rating, _multiple, text = anonymous_form.questions
    answers.submit_response(
        member, anonymous_form, {f"q{rating.id}": ["4"], f"q{text.id}": ["Released later"]}
    )
    db.session.commit()
    login(client, organizer)
    page = client.post(f"/feedback/questions/{text.id}/delete", follow_redirects=True)
    assert "This question has answers" in page.get_data(as_text=True)
    assert db.session.get(FeedbackQuestion, text.id) is not None
    page = client.post(
        f"/feedback/{anonymous_form.id}/edit",
        data={"title": anonymous_form.title, "audience": "everyone", "one_per": "person"},
        follow_redirects=True,
    )
    assert "anonymity and one response per person or organization are fixed" in page.get_data(as_text=True)
    assert db.session.get(FeedbackForm, anonymous_form.id).anonymous


def test_editing_a_label_keeps_the_code_and_the_answers(client, organizer, member, named_form):
    multiple = named_form.questions[1]
    answers.submit_response(
        member, named_form, {f"q{named_form.questions[0].id}": ["4"], f"q{multiple.id}": ["avrr"]}
    )
    db.session.commit()
    login(client, organizer)
    client.post(
        f"/feedback/questions/{multiple.id}/edit",
        data={
            "label": multiple.label,
            "option-avrr-en": "Return and reintegration",
            "option-avrr-fr": "Retour et réintégration",
            "option-health-en": "Health",
            "option-protection-en": "Protection",
            "options": "Labour mobility",
            "label_fr": "Quels services présenter ensuite ?",
            "label_ar": "  ",
        },
    )
    assert db.session.get(FeedbackQuestion, multiple.id).translations == {
        "fr": {"label": "Quels services présenter ensuite ?"}
    }
    edit_page = client.get(f"/feedback/questions/{multiple.id}/edit").get_data(as_text=True)
    assert 'value="Quels services présenter ensuite ?"' in edit_page
    options = db.session.scalars(
        select(FeedbackOption)
        .where(FeedbackOption.question_id == multiple.id)
        .order_by(FeedbackOption.position)
    ).all()
    assert [(o.code, o.label) for o in options] == [
        ("health", "Health"), ("avrr", "Return and reintegration"), ("protection", "Protection"),
        ("labour-mobility", "Labour mobility"),
    ]  # fmt: skip
    assert options[1].translations == {"fr": "Retour et réintégration"}
    results = client.get(f"/feedback/{named_form.id}/results").get_data(as_text=True)
    assert "Return and reintegration" in results
    csv_text = client.get(f"/feedback/{named_form.id}/export.csv").get_data(as_text=True)
    assert "avrr,Return and reintegration" in csv_text


def test_copy_for_the_next_roundtable_keeps_questions_codes_and_conditions(client, organizer):
    first = make_roundtable(title="First roundtable", status="completed")
    second = make_roundtable(title="Second roundtable")
    form = make_form(
        organizer,
        [*THREE_QUESTIONS, {"kind": "yes_no", "label": "Again?"}],
        roundtable_id=first.id,
        audience="attendees",
    )
    rating = form.questions[0]
    rules.update_question(
        organizer, form.questions[2], label="What should we change?", condition=f"{rating.id}:1"
    )
    db.session.commit()
    login(client, organizer)
    assert client.post(f"/feedback/{form.id}/copy", data={"roundtable_id": str(second.id)}).status_code == 302
    copy = db.session.scalars(select(FeedbackForm).where(FeedbackForm.id != form.id)).one()
    assert copy.roundtable_id == second.id and copy.audience == "attendees" and not copy.published
    assert [q.label for q in copy.questions] == [q.label for q in form.questions]
    assert [o.code for o in copy.questions[1].options] == ["health", "avrr", "protection"]
    assert copy.questions[2].condition_question_id == copy.questions[0].id
    assert copy.questions[2].condition_value == "1"


def test_preparing_the_next_roundtable_copies_its_feedback_forms_as_drafts(client, organizer, focal_point):
    first = make_roundtable(title="First roundtable", status="completed")
    form = make_form(organizer, THREE_QUESTIONS, roundtable_id=first.id, one_per="organization")
    other = make_form(organizer, [{"kind": "yes_no", "label": "Elsewhere?"}], title="Standalone form")
    answers.submit_response(focal_point, form, {f"q{form.questions[0].id}": ["4"]})
    db.session.commit()
    login(client, organizer)
    client.post(f"/roundtables/{first.id}/prepare-next")
    copied = db.session.scalars(select(FeedbackForm).where(FeedbackForm.id.not_in([form.id, other.id]))).all()
    assert len(copied) == 1
    copy = copied[0]
    assert copy.roundtable_id != first.id and copy.roundtable.series_id == first.series_id
    assert (copy.title, copy.one_per, copy.published) == (form.title, "organization", False)
    assert (copy.opens_at, copy.closes_at) == (None, None)
    assert [q.label for q in copy.questions] == [q.label for q in form.questions]
    assert not rules.has_responses(copy) and rules.has_responses(form)
    assert form.roundtable_id == first.id and form.published


def test_export_and_import_json_round_trip(client, organizer):
    form = make_form(organizer, [{"kind": "yes_no", "label": "Attended?"}, *THREE_QUESTIONS])
    attended, rating = form.questions[:2]
    rules.update_question(
        organizer, rating, label=rating.label, required=True, condition=f"{attended.id}:yes",
        translations={"ar": {"label": "ما مدى فائدة المائدة المستديرة؟"}},
    )  # fmt: skip
    db.session.commit()
    login(client, organizer)
    exported = client.get(f"/feedback/{form.id}/export.json")
    data = json.loads(exported.get_data(as_text=True))
    assert data["questions"][1]["condition"] == {"question": 0, "value": "yes"}
    imported = client.post(
        "/feedback/import",
        data={"file": (io.BytesIO(exported.data), "form.json")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    copy = db.session.scalars(select(FeedbackForm).order_by(FeedbackForm.id.desc())).first()
    assert copy.id != form.id
    assert copy.questions[1].condition_question_id == copy.questions[0].id
    assert copy.questions[1].condition_value == "yes"
    assert copy.questions[1].translations == {"ar": {"label": "ما مدى فائدة المائدة المستديرة؟"}}
    bad = client.post(
        "/feedback/import",
        data={"file": (io.BytesIO(b'{"version": 1, "questions": [{"kind": "poll"}]}'), "bad.json")},
        content_type="multipart/form-data",
    )
    assert "This file is not a feedback form exported from Roundtable." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FeedbackForm.id))) == 2


def test_anonymity_cannot_change_once_there_are_responses(client, organizer, member, anonymous_form):
    answers.submit_response(
        member,
        anonymous_form,
        answers.raw_answers(anonymous_form, MultiDict([(f"q{anonymous_form.questions[0].id}", "5")])),
    )
    db.session.commit()
    login(client, organizer)
    page = client.post(
        f"/feedback/{anonymous_form.id}/edit",
        data={"title": anonymous_form.title, "audience": "everyone", "one_per": "person"},
    )
    assert "anonymity and one response per person or organization are fixed" in page.get_data(as_text=True)
    assert db.session.get(FeedbackForm, anonymous_form.id).anonymous
