"""The outbox page: what was sent, logged, or is waiting, and why it failed."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.audit.rules import record_event
from coordination.extensions import db
from coordination.forms import ConfirmForm
from coordination.mail import bp
from coordination.mail.models import OutboxMessage, OutboxStatus
from coordination.mail.outbox import redacted_text, retry_message
from coordination.policy import require

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("Waiting"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.LOGGED: _l("Logged, not sent"),
    OutboxStatus.FAILED: _l("Failed"),
}


@bp.context_processor
def labels():
    return {"status_labels": STATUS_LABELS}


@bp.get("/outbox")
@login_required
def outbox():
    require(current_user, "outbox.view")
    status = request.args.get("status", "")
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in set(OutboxStatus):
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template(
        "mail/outbox.html", page=page, status=status, statuses=list(OutboxStatus), confirm_form=ConfirmForm()
    )


@bp.get("/outbox/<int:message_id>")
@login_required
def message(message_id: int):
    require(current_user, "outbox.view")
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("mail/message.html", message=message, body=redacted_text(message))


@bp.post("/outbox/<int:message_id>/retry")
@login_required
def retry(message_id: int):
    require(current_user, "outbox.view")
    message = db.get_or_404(OutboxMessage, message_id)
    require(current_user, "outbox.retry", message)
    if ConfirmForm().validate_on_submit():
        retry_message(message)
        record_event(current_user, "mail.retry", message, recipient=message.recipient)
        db.session.commit()
        flash(_("The message will be sent again shortly."), "success")
    return redirect(url_for("mail.outbox"))
