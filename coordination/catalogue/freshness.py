"""Keeps the catalogue's cached fragments fresh: a flush that adds, changes or removes a service,
a criterion, a link between them or a revision replaces the area's cache token in the same
transaction (see coordination/fragments.py).
"""

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.catalogue.models import Criterion, Service, ServiceCriterion, ServiceRevision
from coordination.fragments import bump_token

AREA = "catalogue"
WATCHED = (Service, ServiceCriterion, Criterion, ServiceRevision)


def _changes_catalogue(session: Session) -> bool:
    for record in chain(session.new, session.deleted):
        if isinstance(record, WATCHED):
            return True
    return any(isinstance(record, WATCHED) and session.is_modified(record) for record in session.dirty)


def _before_flush(session: Session, _context, _instances) -> None:
    if _changes_catalogue(session):
        session.info["catalogue_changed"] = True


def _after_flush(session: Session, _context) -> None:
    if session.info.pop("catalogue_changed", False):
        bump_token(session.connection(), AREA)


def watch_catalogue_changes() -> None:
    """Install the flush hooks (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
