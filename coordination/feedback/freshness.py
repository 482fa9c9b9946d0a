"""Each form's results are kept as rendered fragments until its responses or questions change.

A form has its own token in `cache_versions` ("feedback-form-<id>"); every rule that changes what
the results show replaces it in the same transaction (see coordination/fragments.py), and the
token of all forms' results, "feedback", with it.
"""

from coordination.extensions import db
from coordination.fragments import bump_token

# Every form's results at once, for the pages that show whether a person answered any form.
AREA = "feedback"


def area_of(form) -> str:
    return f"feedback-form-{form.id}"


def mark_changed(form) -> None:
    """The form's results changed: fragments rendered before are never served again."""
    connection = db.session.connection()
    bump_token(connection, AREA)
    bump_token(connection, area_of(form))


def mark_answered(form) -> None:
    """Someone answered `form`, but its results did not change (an anonymous response waits to be
    released with others): only the pages saying who has answered are rendered again."""
    bump_token(db.session.connection(), AREA)
