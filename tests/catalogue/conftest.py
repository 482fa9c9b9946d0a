"""Fixtures of the catalogue: criteria and services made through the rules, as an organizer would."""

import pytest

from coordination.catalogue import rules
from coordination.catalogue.models import Outcome
from coordination.extensions import db

Q, D, A = Outcome.QUALIFIES, Outcome.DISQUALIFIES, Outcome.ASK


def make_criterion(organizer, question: str, position: int = 0, **translations):
    criterion = rules.save_criterion(
        organizer, None, texts={"question": {"en": question, **translations}}, position=position
    )
    db.session.commit()
    return criterion


def make_service(organizer, name: str, links=(), service_area: str = "localized_assistance", **texts):
    """A service named `name` in English; `links` are (criterion, on_yes, on_no, on_unknown)."""
    service = rules.save_service(
        organizer,
        None,
        texts={"name": {"en": name}, **texts},
        service_area=service_area,
        links=[rules.CriterionLink(criterion.id, *outcomes) for criterion, *outcomes in links],
    )
    db.session.commit()
    return service


@pytest.fixture
def public_catalogue(app):
    """CATALOGUE_PUBLIC switched on for one test."""
    app.config["CATALOGUE_PUBLIC"] = True
    yield app
    app.config["CATALOGUE_PUBLIC"] = False
