"""Who sees the outbox and retries a failed mail: organizers."""

from coordination.auth.models import User
from coordination.mail.models import OutboxMessage, OutboxStatus
from coordination.policy import is_organizer, rule


@rule("outbox.view")
def may_view_outbox(user: User) -> bool:
    return is_organizer(user)


@rule("outbox.retry")
def may_retry(user: User, message: OutboxMessage) -> bool:
    return is_organizer(user) and message.status == OutboxStatus.FAILED
