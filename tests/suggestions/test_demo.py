"""The demo dataset brings suggestions, once."""

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, seed_demo
from coordination.extensions import db
from coordination.suggestions.models import Suggestion, SuggestionSupport


def test_the_demo_suggestions_are_added_once_and_listed(client):
    first = seed_demo()
    db.session.commit()
    second = seed_demo()
    db.session.commit()
    assert (first.suggestions_added, second.suggestions_added) == (6, 0)
    assert db.session.scalar(select(func.count(Suggestion.id))) == 6
    assert db.session.scalar(select(func.count(SuggestionSupport.id))) > 0

    focal_point = db.session.scalar(select(User).where(User.email == FOCAL_POINT_EMAIL))
    focal_point.preferred_language = "en"
    db.session.commit()
    client.post("/login", data={"email": FOCAL_POINT_EMAIL, "password": DEMO_PASSWORD})
    page = client.get("/suggestions").get_data(as_text=True)
    assert "6 suggestions" in page and "Legal counselling for newly arrived Sudanese families" in page
