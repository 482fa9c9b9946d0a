"""Keeps the roundtables' kept fragments fresh (the event page's overview, delegation and
follow-up, the check-in list): any flush that adds, changes or deletes a roundtable, its series,
agenda, invitations, registrations, minutes or action items replaces the area's token in the same
transaction.

Those fragments also show names of people and organizations: their keys hold the directory's
token too. A bulk `update()`/`insert()` of these records bypasses the hook and must call
`bump_token(connection, AREA)` itself.
"""

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.feedback.models import FeedbackForm
from coordination.fragments import bump_token
from coordination.roundtables.models import (
    ActionItem,
    ActionItemNote,
    AgendaItem,
    Invitation,
    MatterArising,
    Minutes,
    MinutesComment,
    Registration,
    Roundtable,
    Series,
)

AREA = "roundtables"
WATCHED = (
    Series, Roundtable, AgendaItem, Invitation, Registration,
    Minutes, MinutesComment, ActionItem, ActionItemNote, MatterArising,
    FeedbackForm,  # the event page links a roundtable's open forms
)  # fmt: skip


def _changes_roundtables(session: Session) -> bool:
    if any(isinstance(record, WATCHED) for record in chain(session.new, session.deleted)):
        return True
    return any(isinstance(record, WATCHED) and session.is_modified(record) for record in session.dirty)


def _before_flush(session: Session, _context, _instances) -> None:
    if _changes_roundtables(session):
        session.info["roundtables_changed"] = True


def _after_flush(session: Session, _context) -> None:
    if session.info.pop("roundtables_changed", False):
        bump_token(session.connection(), AREA)


def watch_roundtable_changes() -> None:
    """Install the flush hooks (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
