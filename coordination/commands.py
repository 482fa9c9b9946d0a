"""Command-line tools: `flask seed-demo`, `flask create-organizer`, `flask outbox send`."""

import time
from datetime import UTC, datetime

import click
from flask import Flask, current_app

from coordination import demo
from coordination.audit.rules import record_event
from coordination.auth.models import Role
from coordination.auth.rules import INVITATION, find_user_by_email, make_token, normalize_email
from coordination.directory.rules import create_person
from coordination.extensions import db
from coordination.mail.outbox import send_due
from coordination.roundtables.follow_up.actions import remind_owners
from coordination.roundtables.reminders import send_reminders
from coordination.timeutil import utcnow
from coordination.urls import external_url


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_organizer)
    app.cli.add_command(outbox)
    app.cli.add_command(roundtables_group)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no organization and no user.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo dataset (38 embassies, partners, fictional people); safe to run again."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("seed-demo is for demonstration databases, not production.")
    if if_empty and not demo.is_empty():
        click.echo("The database already holds data: demo dataset not loaded.")
        return
    report = demo.seed_demo()
    db.session.commit()
    click.echo(
        f"Demo dataset: {report.organizations_added} organizations and {report.people_added} people added."
    )
    click.echo(f"  organizer:   {demo.ORGANIZER_EMAIL} / {demo.DEMO_PASSWORD}")
    click.echo(f"  focal point: {demo.FOCAL_POINT_EMAIL} / {demo.DEMO_PASSWORD}")


@click.command("create-organizer")
@click.argument("email")
@click.option("--name", default=None, help="Full name (default: the part of the address before @).")
def create_organizer(email: str, name: str | None) -> None:
    """Make EMAIL an organizer and print a one-time link to set the password."""
    email = normalize_email(email)
    if "@" not in email:
        raise click.BadParameter("not an email address", param_hint="EMAIL")
    user = find_user_by_email(email)
    if user is None:
        user = create_person(None, None, name=name or email.split("@")[0], email=email, role=Role.ORGANIZER)
    else:
        user.role = Role.ORGANIZER
        user.active = True
    db.session.flush()
    record_event(None, "auth.role.change", user, new=Role.ORGANIZER, via="create-organizer")
    db.session.commit()
    link = external_url("auth.accept_invitation", token=make_token(user, INVITATION))
    click.echo(f"{email} is an organizer. Set the password within 7 days, once, at:\n{link}")


@click.group("outbox")
def outbox() -> None:
    """The mail outbox."""


@outbox.command("send")
@click.option("--loop", is_flag=True, help="Keep running, looking for due mail every --every seconds.")
@click.option("--every", default=30, show_default=True, help="Seconds between two looks, with --loop.")
def outbox_send(loop: bool, every: int) -> None:
    """Send the mail that is due and retry failures; several senders may run at once."""
    while True:
        report = send_due()
        if report.sent or report.failed or not loop:
            click.echo(f"outbox: {len(report.sent)} sent, {len(report.failed)} failed")
        if not loop:
            return
        time.sleep(every)


@click.group("roundtables")
def roundtables_group() -> None:
    """Roundtables."""


@roundtables_group.command("remind")
@click.option(
    "--at", "at", default=None, help="Act as if it were this UTC time (ISO 8601), to check a schedule."
)
def roundtables_remind(at: str | None) -> None:
    """Mail registrants ROUNDTABLE_REMINDER_DAYS before each roundtable, and owners of action items
    due within ACTION_ITEM_REMINDER_DAYS or overdue; never the same reminder twice."""
    now = datetime.fromisoformat(at).replace(tzinfo=UTC) if at else utcnow()
    days = [int(day) for day in current_app.config["ROUNDTABLE_REMINDER_DAYS"].split(",") if day.strip()]
    # The mails link to pages: outside a request, url_for needs the public address.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        queued = send_reminders(now, days)
        owners = remind_owners(now, current_app.config["ACTION_ITEM_REMINDER_DAYS"])
    db.session.commit()
    send_due()
    click.echo(f"roundtables: {queued} reminders queued")
    click.echo(f"action items: {owners} owners mailed")
