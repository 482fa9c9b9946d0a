"""Recording the audit log."""

from flask import has_request_context, request

from coordination.audit.models import AuditEvent
from coordination.extensions import db


def record_event(actor, action: str, target=None, **details) -> AuditEvent:
    """Add an audit event for `actor` doing `action` to `target` (flushed with the rest, never committed)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None) if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=getattr(target, "__tablename__", None),
        target_id=getattr(target, "id", None),
        target_label=_label(target),
        details={key: _plain(value) for key, value in details.items()},
        # The address is infrastructure, not a rule's input: read it here rather than in every caller.
        ip_address=request.remote_addr if has_request_context() else None,
    )
    # No flush here: an import records thousands, and they go out in one batch with the rest.
    db.session.add(event)
    return event


def _label(target) -> str | None:
    if target is None:
        return None
    return (getattr(target, "email", None) or getattr(target, "name", None) or str(target))[:300]


def _plain(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)
