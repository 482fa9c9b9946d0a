"""Who reads the audit log: organizers."""

from coordination.auth.models import User
from coordination.policy import is_organizer, rule


@rule("audit.view")
def may_view_audit_log(user: User) -> bool:
    return is_organizer(user)
