"""Who may do what in the feedback area: every route × role. Forms hidden from a user answer 404;
members and focal points never reach results, exports or anyone's named answers."""

import pytest
from werkzeug.datastructures import MultiDict

from coordination.extensions import db
from coordination.feedback import answers
from tests.feedback.conftest import THREE_QUESTIONS, make_form
from tests.matrix import (
    LOGIN,
    ORGANIZER_200,
    ORGANIZER_ONLY,
    SIGNED_IN_200,
    Case,
    Redirect,
    check,
    check_paths,
    database_state,
    params,
)

AUDIENCE_403 = (LOGIN, 403, 403, 403, 200)
HIDDEN = (LOGIN, 404, 404, 404, 200)  # a draft: organizers only
RESTRICTED = (LOGIN, 404, 404, 403, 200)  # a form for the other organization only
TO_MANAGE = Redirect("/feedback/{form}")

CASES = [
    Case("feedback.index", "GET", "/feedback", SIGNED_IN_200),
    Case("feedback.create", "GET", "/feedback/new", ORGANIZER_200),
    Case("feedback.create", "POST", "/feedback/new", ORGANIZER_200, data={"title": ""}),
    Case("feedback.import_form", "GET", "/feedback/import", ORGANIZER_200),
    Case("feedback.import_form", "POST", "/feedback/import", ORGANIZER_200, data={}),
    Case(
        "feedback.manage",
        "GET",
        "/feedback/{form}",
        (LOGIN, *[Redirect("/feedback/{form}/answer")] * 3, 200),
        note="the audience is sent to the answer page",
    ),
    Case("feedback.manage", "GET", "/feedback/{draft}", HIDDEN),
    Case(
        "feedback.manage",
        "GET",
        "/feedback/{restricted}",
        (LOGIN, 404, 404, Redirect("/feedback/{restricted}/answer"), 200),
    ),
    Case("feedback.edit", "GET", "/feedback/{form}/edit", AUDIENCE_403),
    Case("feedback.edit", "GET", "/feedback/{draft}/edit", HIDDEN),
    Case("feedback.edit", "POST", "/feedback/{form}/edit", AUDIENCE_403, data={"title": ""}),
    Case(
        "feedback.publish",
        "POST",
        "/feedback/{draft}/publish",
        (LOGIN, 404, 404, 404, Redirect("/feedback/{draft}")),
    ),
    Case("feedback.invite", "POST", "/feedback/{form}/invite", (*ORGANIZER_ONLY, TO_MANAGE)),
    Case(
        "feedback.remind",
        "POST",
        "/feedback/{form}/remind",
        (*ORGANIZER_ONLY, Redirect("/feedback/{form}/results")),
    ),
    Case("feedback.copy", "GET", "/feedback/{form}/copy", AUDIENCE_403),
    Case("feedback.copy", "POST", "/feedback/{form}/copy", AUDIENCE_403, data={"roundtable_id": "x"}),
    Case("feedback.export_json", "GET", "/feedback/{form}/export.json", AUDIENCE_403),
    Case("feedback.preview", "GET", "/feedback/{form}/preview", AUDIENCE_403),
    Case("feedback.preview", "GET", "/feedback/{draft}/preview", HIDDEN),
    Case("feedback.add_question", "GET", "/feedback/{form}/questions/new", AUDIENCE_403),
    Case("feedback.add_question", "POST", "/feedback/{form}/questions/new", AUDIENCE_403, data={"label": ""}),
    Case("feedback.edit_question", "GET", "/feedback/questions/{question}/edit", AUDIENCE_403),
    Case("feedback.edit_question", "GET", "/feedback/questions/{draft_question}/edit", HIDDEN),
    Case(
        "feedback.edit_question",
        "POST",
        "/feedback/questions/{question}/edit",
        AUDIENCE_403,
        data={"label": ""},
    ),
    Case("feedback.delete_question", "GET", "/feedback/questions/{question}/delete", AUDIENCE_403),
    Case(
        "feedback.delete_question",
        "POST",
        "/feedback/questions/{question}/delete",
        AUDIENCE_403,
        data={},
        note="answered: refused, the page says to hide it",
    ),
    Case(
        "feedback.hide_question",
        "POST",
        "/feedback/questions/{question}/hide",
        (*ORGANIZER_ONLY, TO_MANAGE),
        data={"hidden": "1"},
    ),
    Case(
        "feedback.move_question",
        "POST",
        "/feedback/questions/{question}/move/down",
        (*ORGANIZER_ONLY, TO_MANAGE),
    ),
    Case(
        "feedback.answer",
        "GET",
        "/feedback/{form}/answer",
        (LOGIN, 200, 200, 200, 403),
        note="organizers preview instead; the member has answered and is told so",
    ),
    Case(
        "feedback.answer",
        "POST",
        "/feedback/{form}/answer",
        (LOGIN, 200, 200, 200, 403),
        data={"action": "submit"},
        note="a required answer is missing",
    ),
    Case("feedback.answer", "GET", "/feedback/{draft}/answer", (LOGIN, 404, 404, 404, 403)),
    Case("feedback.answer", "GET", "/feedback/{restricted}/answer", (LOGIN, 404, 404, 200, 403)),
    Case("feedback.results_page", "GET", "/feedback/{form}/results", AUDIENCE_403),
    Case("feedback.results_page", "GET", "/feedback/{restricted}/results", RESTRICTED),
    Case("feedback.text_answers", "GET", "/feedback/questions/{text_question}/answers", AUDIENCE_403),
    Case("feedback.export_csv", "GET", "/feedback/{form}/export.csv", AUDIENCE_403),
    Case("feedback.export_xlsx", "GET", "/feedback/{form}/export.xlsx", AUDIENCE_403),
    Case("feedback.export_csv", "GET", "/feedback/{restricted}/export.csv", RESTRICTED),
]


@pytest.fixture
def records(organization, other_organization, organizer, focal_point, member, other_focal_point):
    """A published named form the member has answered, a draft, and a form for the other organization."""
    form = make_form(organizer, THREE_QUESTIONS)
    draft = make_form(organizer, THREE_QUESTIONS, publish=False, title="Draft form")
    restricted = make_form(
        organizer, THREE_QUESTIONS, title="For Eritrea", audience="organizations",
        organization_ids=[other_organization.id],
    )  # fmt: skip
    rating, multiple, text = form.questions
    answers.submit_response(
        member,
        form,
        answers.raw_answers(
            form, MultiDict([(f"q{rating.id}", "5"), (f"q{multiple.id}", "health"), (f"q{text.id}", "Good")])
        ),
    )
    db.session.commit()
    users = {
        "member": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organizer": organizer,
    }
    ids = {
        "form": form.id,
        "draft": draft.id,
        "restricted": restricted.id,
        "question": rating.id,
        "text_question": text.id,
        "draft_question": draft.questions[0].id,
    }
    return {"users": users, "ids": ids}


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(app, client, records, case, role, expected):
    check(client, records, case, role, expected, database_state)


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    check_paths(app, records, CASES)
