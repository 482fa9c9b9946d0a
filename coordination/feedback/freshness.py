"""Each form's results are kept as rendered fragments until its responses or questions change.

A form has its own token in `cache_versions` ("feedback-form-<id>"); every rule that changes what
the results show replaces it in the same transaction (see coordination/fragments.py).
"""

from coordination.extensions import db
from coordination.fragments import bump_token


def area_of(form) -> str:
    return f"feedback-form-{form.id}"


def mark_changed(form) -> None:
    """The form's results changed: fragments rendered before are never served again."""
    bump_token(db.session.connection(), area_of(form))
