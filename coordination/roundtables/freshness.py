"""Keeps the roundtables' kept fragments fresh (the event page's overview, delegation and
follow-up, the check-in list): any flush that adds, changes or deletes a roundtable, its series,
agenda, invitations, registrations, minutes or action items replaces the area's token in the same
transaction.

Those fragments also show names of people and organizations: their keys hold the directory's
token too. A bulk `update()`/`insert()` of these records bypasses the hook and must call
`bump_token(connection, AREA)` itself.
"""

from coordination.feedback.models import FeedbackForm
from coordination.fragments import watch
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


def watch_roundtable_changes() -> None:
    """Install the flush hook (once per process)."""
    watch(AREA, WATCHED)
