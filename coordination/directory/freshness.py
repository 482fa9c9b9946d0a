"""Keeps the directory's cached fragments fresh: any flush that changes what the directory shows
replaces the directory's cache token in the same transaction.

A flush hook rather than a call in each rule, so that no way of changing an organization or a
person (a form, an import, a command, a later area) can forget it.
"""

from itertools import chain

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.fragments import bump_token

AREA = "directory"

# Changes to these alone leave every directory page as it was (a sign-in, a session stamp).
UNSHOWN_USER_FIELDS = {"last_login_at", "previous_login_at", "login_stamp", "updated_at", "calendar_token"}


def _changes_directory(session: Session) -> bool:
    for record in chain(session.new, session.deleted):
        if isinstance(record, (Organization, User)):
            return True
    for record in session.dirty:
        if isinstance(record, Organization) and session.is_modified(record):
            return True
        if isinstance(record, User):
            changed = {attr.key for attr in inspect(record).attrs if attr.history.has_changes()}
            if changed - UNSHOWN_USER_FIELDS:
                return True
    return False


def _before_flush(session: Session, _context, _instances) -> None:
    if _changes_directory(session):
        session.info["directory_changed"] = True


def _after_flush(session: Session, _context) -> None:
    if session.info.pop("directory_changed", False):
        bump_token(session.connection(), AREA)


def watch_directory_changes() -> None:
    """Install the flush hooks (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
