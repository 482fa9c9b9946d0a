"""In a real browser: a focal point invites a colleague, who sets a password from the mailed link."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.mail.models import OutboxMessage, OutboxStatus
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

INVITEE_EMAIL = "amal.haddad@sd.example"
INVITEE_PASSWORD = "a long walk along the nile"


def _invitation_link(live_server: str) -> str:
    """The path of the set-password link in the invitation the outbox holds for the invitee."""
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == INVITEE_EMAIL)).one()
    assert message.template == "invitation"
    # The test settings have no MAIL_SERVER: the message went to the log and stays in the outbox.
    assert message.status == OutboxStatus.LOGGED
    match = re.search(r"(https?://\S+?)(/invitation/\S+)", message.body_text)
    assert match, "no invitation link in the message"
    assert match.group(1) == live_server
    return match.group(2)


def test_invited_person_sets_a_password_and_lands_signed_in(
    page: Page, new_context, live_server, organization, focal_point
):
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(focal_point.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.locator("main").get_by_role("link", name="Embassy of Sudan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Embassy of Sudan")

    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Full name").fill("Amal Haddad")
    page.get_by_label("Email", exact=True).fill(INVITEE_EMAIL)
    page.get_by_label("Position").fill("Consular Officer")
    page.get_by_label("Preferred language").select_option("en")
    expect(page.get_by_label("Send an invitation to set a password")).to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Amal Haddad has been added and invited by mail.")
    expect(page.get_by_text("invitation pending")).to_be_visible()

    link = _invitation_link(live_server)
    invitee = new_context().new_page()  # another person, on another device
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Welcome, Amal Haddad")
    invitee.get_by_label("New password", exact=True).fill(INVITEE_PASSWORD)
    invitee.get_by_label("Repeat the new password").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name="Save the password").click()

    expect(invitee).to_have_url(re.compile(r"/$"))
    expect(invitee.get_by_role("status")).to_contain_text("Welcome, Amal Haddad. Your account is ready.")
    expect(invitee.get_by_role("link", name="Amal Haddad")).to_be_visible()
    expect(invitee.get_by_role("button", name="Sign out")).to_be_visible()
    user = db.session.scalars(select(User).where(User.email == INVITEE_EMAIL)).one()
    assert user.has_password
    assert user.organization_id == organization.id

    invitee.goto(link)
    expect(invitee.get_by_text("This link has already been used.")).to_be_visible()
