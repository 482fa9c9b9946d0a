"""The token of the feedback forms as other areas' kept pages show them (the event page lists a
roundtable's open forms and whether the viewer has answered them): the rules that change that
replace it in the same transaction (see coordination/fragments.py). The feedback pages themselves
keep nothing.
"""

from coordination.extensions import db
from coordination.fragments import bump_token

AREA = "feedback"


def mark_changed(form) -> None:
    """A form's settings changed, or someone answered it: pages kept before are never served again."""
    bump_token(db.session.connection(), AREA)
