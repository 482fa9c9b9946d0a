"""Build → answer → results, through the app."""

from sqlalchemy import select

from coordination.extensions import db
from coordination.feedback.models import FeedbackAnswer, FeedbackRespondent, FeedbackResponse
from tests.conftest import login


def test_focal_point_answers_and_organizer_reads_the_counts(client, organizer, focal_point, named_form):
    rating, multiple, text = named_form.questions
    login(client, focal_point)
    page = client.get(f"/feedback/{named_form.id}/answer")
    assert page.status_code == 200, page.get_data(as_text=True)
    assert "How useful was the roundtable?" in page.get_data(as_text=True)
    response = client.post(
        f"/feedback/{named_form.id}/answer",
        data={
            f"q{rating.id}": "4",
            f"q{multiple.id}": ["health", "avrr"],
            f"q{text.id}": "More time",
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(FeedbackRespondent.user_id)) == focal_point.id
    assert len(db.session.scalars(select(FeedbackAnswer)).all()) == 4
    client.post("/logout")
    login(client, organizer)
    results = client.get(f"/feedback/{named_form.id}/results")
    assert results.status_code == 200, results.get_data(as_text=True)
    assert db.session.scalar(select(FeedbackResponse.organization_kind)) == "embassy"
