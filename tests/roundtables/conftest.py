"""Fixtures of the roundtables tests: a published roundtable in the future."""

from datetime import timedelta

import pytest

from coordination.extensions import db
from coordination.roundtables.models import Roundtable
from coordination.timeutil import utcnow


def make_roundtable(**overrides) -> Roundtable:
    start = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    fields = {
        "title": "Roundtable with embassies",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "venue": "IOM Egypt, Cairo",
        "status": "published",
    }
    fields.update(overrides)
    roundtable = Roundtable(**fields)
    db.session.add(roundtable)
    db.session.commit()
    return roundtable


@pytest.fixture
def roundtable():
    return make_roundtable(capacity=3, seats_per_organization=2)
