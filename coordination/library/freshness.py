"""Keeps the library's cached lists fresh: any flush that changes what a list shows (documents,
their versions, shares, tags, collections) replaces the library's cache token in the same
transaction, as coordination/directory/freshness.py does for the directory."""

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.fragments import bump_token
from coordination.library.models import (
    Collection,
    Document,
    DocumentOrganization,
    DocumentTag,
    DocumentVersion,
)

AREA = "library"
SHOWN = (Collection, Document, DocumentOrganization, DocumentTag, DocumentVersion)


def _before_flush(session: Session, _context, _instances) -> None:
    for record in chain(session.new, session.deleted, session.dirty):
        if isinstance(record, SHOWN) and (record not in session.dirty or session.is_modified(record)):
            session.info["library_changed"] = True
            return


def _after_flush(session: Session, _context) -> None:
    if session.info.pop("library_changed", False):
        bump_token(session.connection(), AREA)


def watch_library_changes() -> None:
    """Install the flush hooks (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
