"""Fixtures of the suggestions area: a suggestion made through the rules, as a member would."""

import pytest

from coordination.extensions import db
from coordination.suggestions import rules


def propose(actor, **overrides):
    """A suggestion proposed by `actor` through the rule, committed."""
    fields = {
        "title": "Legal counselling for newly arrived families",
        "description": "Weekly sessions in **Giza**.",
        "service_area": "protection",
        "sdg": 16,
    }
    fields.update(overrides)
    suggestion = rules.propose_suggestion(actor, **fields)
    db.session.commit()
    return suggestion


@pytest.fixture
def suggestion(member):
    return propose(member)
