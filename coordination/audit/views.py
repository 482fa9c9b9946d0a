"""The audit log, browsed by organizers."""

from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.audit import bp
from coordination.audit.models import AuditEvent
from coordination.extensions import db
from coordination.policy import require


@bp.get("/audit")
@login_required
def events():
    require(current_user, "audit.view")
    action = request.args.get("action", "").strip()[:100]  # SQLite refuses a LIKE pattern of 50,000
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("audit/events.html", page=page, action=action)
