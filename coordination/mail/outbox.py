"""Queue mail as outbox rows and deliver what is due, with retries and backoff.

Messages are composed with Flask-Mail's `Message`, but sent through smtplib directly because
Flask-Mail opens its SMTP connection without a timeout, and a hung server must not hang a worker.
"""

import logging
import re
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from flask import after_this_request, current_app, g, has_request_context, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import or_, update

from coordination.extensions import db
from coordination.mail.models import OutboxMessage, OutboxStatus
from coordination.timeutil import utcnow

log = logging.getLogger("coordination.mail")

CLAIM_FOR = timedelta(minutes=5)


def queue_mail(
    recipient: str, template: str, language: str, attachments: list[dict] | None = None, **context
) -> OutboxMessage:
    """Render `mail/<template>` in `language` and add it to the outbox; flushes, never sends."""
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body_text = render_template(f"mail/{template}.txt", **context)
        body_html = render_template(f"mail/{template}.html", **context)
    message = OutboxMessage(
        recipient=recipient,
        subject=" ".join(subject.split()),
        template=template,
        language=language,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
    )
    db.session.add(message)
    db.session.flush()
    _remember_for_request(message.id)
    return message


def _remember_for_request(message_id: int) -> None:
    """Note the message so the request can try to deliver it once its transaction has committed."""
    if has_request_context():
        g.setdefault("outbox_queued", []).append(message_id)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def send_due(ids: list[int] | None = None, limit: int = 100) -> SendReport:
    """Deliver pending messages that are due (or just `ids`); commits after each message.

    Safe to run from several processes at once: a message is claimed by a conditional UPDATE
    before it is sent, so only one process ever sends it.
    """
    now = utcnow()
    query = db.select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    candidates = db.session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all()
    db.session.commit()
    report = SendReport()
    for message_id in candidates:
        message = _claim(message_id)
        if message is None:
            continue
        try:
            delivered_status = _deliver(message)
        except (smtplib.SMTPException, OSError) as exc:
            _record_failure(message, exc)
            report.failed.append(message.id)
        else:
            message.status = delivered_status
            message.attempts += 1
            message.sent_at = utcnow()
            message.last_error = None
            report.sent.append(message.id)
        message.claimed_until = None
        db.session.commit()
    return report


def _claim(message_id: int) -> OutboxMessage | None:
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _record_failure(message: OutboxMessage, exc: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.FAILED
    else:
        message.next_attempt_at = utcnow() + backoff(message.attempts)
    log.warning("mail %s to %s failed: %s", message.id, message.recipient, message.last_error)


def _deliver(message: OutboxMessage) -> str:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        log.info(
            "mail %s (no MAIL_SERVER, not sent)\nTo: %s\nSubject: %s\n\n%s",
            message.id,
            message.recipient,
            message.subject,
            message.body_text,
        )
        return OutboxStatus.LOGGED
    mime = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html,
        sender=config["MAIL_DEFAULT_SENDER"],
        extra_headers={"Content-Language": message.language},
    )
    for attachment in message.attachments or []:
        mime.attach(attachment["filename"], attachment["content_type"], attachment["data"].encode())
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.sendmail(mime.sender, [message.recipient], mime.as_bytes())
    return OutboxStatus.SENT


def send_queued_after_request(response):
    """After a request: try once to deliver what it queued and committed; the worker retries."""
    ids = g.pop("outbox_queued", None)
    if not ids or not current_app.config["OUTBOX_SEND_AFTER_REQUEST"]:
        return response
    # Work the view left uncommitted is discarded at teardown anyway; drop it now so that
    # the sender's commits cannot write it.
    db.session.rollback()
    try:
        # A request that queues many (invitations to 38 embassies) leaves the rest to the worker.
        send_due(ids=ids[: current_app.config["OUTBOX_SEND_AFTER_REQUEST_LIMIT"]])
    except Exception:  # the worker will retry; the user's action has already succeeded
        db.session.rollback()
        log.exception("delivering mail after the request failed")
    return response


def queue_after_response(compose) -> None:
    """Call `compose()` (which queues mail) once the answer has gone out, then commit and deliver.

    For answers whose time must not tell what was mailed: a reset link goes out only when the
    address has an account. What fails is logged; delivery failures are left to the worker.
    """
    app = current_app._get_current_object()

    def run():
        # Its own application context (so its own database session), and a request on BASE_URL
        # as mail rendered in a request would have.
        with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
            try:
                compose()
                db.session.commit()
                ids = g.pop("outbox_queued", None)
                if ids and app.config["OUTBOX_SEND_AFTER_REQUEST"]:
                    send_due(ids=ids)
            except Exception:
                db.session.rollback()
                log.exception("queueing mail after the response failed")
            finally:
                db.session.remove()

    @after_this_request
    def schedule(response):
        response.call_on_close(run)
        return response


def retry_message(message: OutboxMessage) -> None:
    """Put a failed message back in the queue for an immediate attempt."""
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = utcnow()
    message.claimed_until = None
    _remember_for_request(message.id)


_SECRET_LINK = re.compile(r"(/(?:invitation|password/reset)/)[A-Za-z0-9_.\-]+")


def redacted_text(message: OutboxMessage) -> str:
    """The text body with invitation and reset tokens hidden, for showing to organizers."""
    return _SECRET_LINK.sub(r"\1…", message.body_text)
