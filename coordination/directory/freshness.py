"""Keeps the directory's cached fragments fresh: any flush that changes what the directory shows
replaces the directory's cache token in the same transaction.

A flush hook rather than a call in each rule, so that no way of changing an organization or a
person (a form, an import, a command, a later area) can forget it.
"""

from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.fragments import watch

AREA = "directory"

# Changes to these alone leave every directory page as it was (a sign-in, a session stamp).
UNSHOWN_USER_FIELDS = {
    "last_login_at",
    "previous_login_at",
    "login_stamp",
    "session_generation",
    "updated_at",
    "calendar_token",
}


def watch_directory_changes() -> None:
    """Install the flush hook (once per process)."""
    watch(AREA, (Organization, User), unshown={User: UNSHOWN_USER_FIELDS})
