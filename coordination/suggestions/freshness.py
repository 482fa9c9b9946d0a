"""Keeps the suggestions list's cached fragments fresh: a flush that adds, changes or removes a
suggestion, a support or a comment replaces the area's cache token in the same transaction.

Organization names on the list come from the directory: the list's key holds the directory's token
too (see views.suggestions), so a renamed organization shows at once.
"""

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.fragments import bump_token
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionSupport

AREA = "suggestions"
WATCHED = (Suggestion, SuggestionSupport, SuggestionComment)


def _changes_suggestions(session: Session) -> bool:
    for record in chain(session.new, session.deleted):
        if isinstance(record, WATCHED):
            return True
    return any(isinstance(record, WATCHED) and session.is_modified(record) for record in session.dirty)


def _before_flush(session: Session, _context, _instances) -> None:
    if _changes_suggestions(session):
        session.info["suggestions_changed"] = True


def _after_flush(session: Session, _context) -> None:
    if session.info.pop("suggestions_changed", False):
        bump_token(session.connection(), AREA)


def watch_suggestion_changes() -> None:
    """Install the flush hooks (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
