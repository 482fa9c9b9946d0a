"""The outbox: mail is a row first, survives a refusing SMTP server, and is sent exactly once."""

import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest

from coordination.auth.rules import RESET, make_token
from coordination.extensions import db
from coordination.mail.models import OutboxMessage, OutboxStatus
from coordination.mail.outbox import queue_mail, send_due
from coordination.timeutil import utcnow
from tests.conftest import login
from tests.factories import make_user


def _queue(user, count: int = 1) -> list[int]:
    ids = []
    for _ in range(count):
        message = queue_mail(
            user.email,
            "reset_password",
            user.preferred_language,
            user=user,
            token=make_token(user, RESET),
            hours=1,
        )
        ids.append(message.id)
    db.session.commit()
    return ids


def _outbox(runner):
    return runner.invoke(args=["outbox", "send"])


def test_refused_message_keeps_its_error_and_is_sent_on_the_next_run(runner, member, smtp_server):
    [message_id] = _queue(member)
    smtp_server.refuse = True
    result = _outbox(runner)
    assert "0 sent, 1 failed" in result.output

    kept = db.session.get(OutboxMessage, message_id, populate_existing=True)
    assert kept.status == OutboxStatus.PENDING
    assert kept.attempts == 1
    assert "451" in kept.last_error
    assert kept.next_attempt_at > utcnow()

    smtp_server.refuse = False
    assert "0 sent" in _outbox(runner).output  # not due yet: backoff
    kept.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "1 sent, 0 failed" in _outbox(runner).output
    sent = db.session.get(OutboxMessage, message_id, populate_existing=True)
    assert (sent.status, sent.attempts, sent.last_error) == (OutboxStatus.SENT, 2, None)
    assert [m["To"] for m in smtp_server.wait_for(1)] == [member.email]


def test_unreachable_server_leaves_the_message_pending(app, runner, member):
    [message_id] = _queue(member)
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", 1  # nothing listens there
    try:
        _outbox(runner)
    finally:
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = None, 25
    kept = db.session.get(OutboxMessage, message_id, populate_existing=True)
    assert kept.status == OutboxStatus.PENDING
    assert "Connection refused" in kept.last_error or "Errno" in kept.last_error


def test_message_fails_for_good_after_the_last_attempt(app, runner, member, smtp_server):
    [message_id] = _queue(member)
    smtp_server.refuse = True
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    try:
        for _ in range(2):
            db.session.execute(
                db.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1))
            )
            db.session.commit()
            _outbox(runner)
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = 8
    assert db.session.get(OutboxMessage, message_id, populate_existing=True).status == OutboxStatus.FAILED


def test_organizer_retries_a_failed_message_from_the_outbox_page(client, organizer, member, smtp_server):
    [message_id] = _queue(member)
    db.session.execute(db.update(OutboxMessage).values(status=OutboxStatus.FAILED, last_error="550 no"))
    db.session.commit()
    login(client, organizer)
    page = client.get("/outbox?status=failed").get_data(as_text=True)
    assert "550 no" in page
    assert client.post(f"/outbox/{message_id}/retry").status_code == 302
    assert [m["To"] for m in smtp_server.wait_for(1)] == [member.email]
    assert db.session.get(OutboxMessage, message_id, populate_existing=True).status == OutboxStatus.SENT


def test_without_mail_server_messages_are_logged_and_listed(client, organizer, member, caplog):
    login(client, organizer)
    with caplog.at_level("INFO", logger="coordination.mail"):
        client.post("/password/forgot", data={"email": member.email}).close()  # mailed after the answer
    assert any(member.email in record.getMessage() for record in caplog.records)
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.status == OutboxStatus.LOGGED
    page = client.get("/outbox").get_data(as_text=True)
    assert member.email in page
    assert message.subject in page
    assert "Logged, not sent" in page


def test_uncommitted_message_is_not_sent(app, member, smtp_server):
    queue_mail(member.email, "reset_password", "en", user=member, token="t", hours=1)
    db.session.flush()  # in the database's transaction, but not committed
    with app.app_context():  # another context: another session and connection, like another process
        report = send_due()
    assert (report.sent, report.failed) == ([], [])
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    assert smtp_server.messages == []


@pytest.mark.parametrize("language, expected", [("fr", "Dear"), ("en", "Dear")])
def test_messages_are_rendered_as_text_and_html(member, language, expected):
    message = queue_mail(member.email, "reset_password", language, user=member, token="t", hours=1)
    assert member.name in message.body_text
    assert "<p>" in message.body_html and "<p>" not in message.body_text
    assert message.language == language


def test_two_senders_at_once_send_each_message_exactly_once(app, member, smtp_server):
    users = [make_user() for _ in range(3)]
    ids = [i for user in users for i in _queue(user, count=10)]
    script = textwrap.dedent(
        f"""
        from coordination import create_app
        from coordination.mail.outbox import send_due
        app = create_app("testing", SQLALCHEMY_DATABASE_URI={app.config["SQLALCHEMY_DATABASE_URI"]!r},
                         MAIL_SERVER="127.0.0.1", MAIL_PORT={app.config["MAIL_PORT"]})
        with app.app_context():
            report = send_due()
            print(len(report.sent))
        """
    )
    senders = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    counts = [int(sender.communicate(timeout=60)[0].strip().splitlines()[-1]) for sender in senders]
    assert sum(counts) == len(ids)
    received = smtp_server.wait_for(len(ids))
    assert len(received) == len(ids)
    statuses = db.session.scalars(db.select(OutboxMessage.status).where(OutboxMessage.id.in_(ids))).all()
    assert set(statuses) == {OutboxStatus.SENT}


def test_outbox_page_hides_the_secret_part_of_links(client, organizer, member):
    [message_id] = _queue(member)
    login(client, organizer)
    page = client.get(f"/outbox/{message_id}").get_data(as_text=True)
    token = db.session.get(OutboxMessage, message_id).body_text.split("/password/reset/")[1].split()[0]
    assert "/password/reset/…" in page
    assert token not in page


def test_only_failed_messages_can_be_retried(client, organizer, member):
    [message_id] = _queue(member)
    db.session.execute(db.update(OutboxMessage).values(status=OutboxStatus.SENT))
    db.session.commit()
    login(client, organizer)
    assert client.post(f"/outbox/{message_id}/retry").status_code == 403
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.SENT
