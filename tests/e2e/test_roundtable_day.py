"""In a real browser, with the demo dataset: the organizer schedules, publishes and invites three
embassies; the demo focal point registers two colleagues; the organizer checks one in with a tap."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, ORGANIZER_EMAIL, seed_demo
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.roundtables.models import Invitation, Registration, Roundtable
from coordination.timeutil import utcnow

pytestmark = pytest.mark.e2e

TITLE = "Roundtable on return and reintegration"
EMBASSIES = ["Embassy of Sudan", "Embassy of Chad", "Embassy of Eritrea"]


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_a_roundtable_from_scheduling_to_check_in(page: Page, new_context):
    seed_demo()
    db.session.commit()
    sudan = db.session.scalar(select(Organization).where(Organization.name == "Embassy of Sudan"))
    colleagues = db.session.scalars(
        select(User.name)
        .where(User.organization_id == sudan.id, User.role == Role.MEMBER, User.active.is_(True))
        .order_by(User.name)
        .limit(2)
    ).all()
    assert len(colleagues) == 2
    day = (utcnow() + timedelta(days=40)).date().isoformat()

    # The organizer schedules, publishes and invites.
    _sign_in(page, ORGANIZER_EMAIL)
    page.goto("/roundtables")
    page.get_by_role("link", name="Schedule a roundtable").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Starts").fill(f"{day}T10:00")
    page.get_by_label("Ends").fill(f"{day}T13:00")
    page.get_by_label("Venue").fill("IOM Egypt, Cairo")
    page.get_by_label("Total capacity").fill("40")
    page.get_by_label("Seats per organization").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("The roundtable is published")

    page.get_by_role("link", name="Invitations").click()
    for embassy in EMBASSIES:
        page.get_by_label(embassy, exact=True).check()
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_role("status")).to_contain_text("3 organizations invited.")
    for embassy in EMBASSIES:
        expect(page.get_by_role("cell", name=embassy, exact=True)).to_be_visible()
    # The invitation mails wait in the outbox, under the navigation's Administration menu.
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("button", name="Administration").click()
    navigation.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    expect(page.get_by_role("link", name=f"Invitation: {TITLE}").first).to_be_visible()
    roundtable = db.session.scalar(select(Roundtable).where(Roundtable.title == TITLE))
    assert roundtable.status == "published"
    assert (
        db.session.scalar(
            select(db.func.count(Invitation.id)).where(Invitation.roundtable_id == roundtable.id)
        )
        == 3
    )

    # The demo focal point registers two colleagues.
    focal = new_context().new_page()
    _sign_in(focal, FOCAL_POINT_EMAIL)
    focal.goto("/roundtables")
    focal.get_by_role("link", name=TITLE).click()
    expect(focal.get_by_role("heading", name="Your delegation: Embassy of Sudan")).to_be_visible()
    for name in colleagues:
        focal.locator("#person_id").select_option(label=name)
        focal.locator("main").get_by_role("button", name="Register", exact=True).click()
        expect(focal.get_by_role("status")).to_contain_text(f"{name} is registered.")
    delegation = focal.get_by_role("region", name="Your delegation: Embassy of Sudan")
    for name in colleagues:
        expect(delegation.get_by_text(name)).to_be_visible()

    # The organizer checks one of them in, in place.
    page.goto(f"/roundtables/{roundtable.id}/check-in")
    expect(page.locator("#check-in-counts")).to_have_text("0 checked in of 2 with a seat")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Name or organization").fill(colleagues[0].split()[0])
    expect(page).to_have_url(re.compile(r"\?q="))  # the search has answered (htmx pushes its URL)
    row = page.locator("#check-in-rows li", has_text=colleagues[0])
    row.get_by_role("button", name="Check in").click()
    expect(row.get_by_role("button", name=re.compile("Here"))).to_be_visible()
    expect(page.locator("#check-in-counts")).to_have_text("1 checked in of 2 with a seat")
    assert page.evaluate("window.notReloaded") is True

    checked_in = db.session.scalars(
        select(User.name)
        .join(Registration, Registration.user_id == User.id)
        .where(Registration.roundtable_id == roundtable.id, Registration.checked_in_at.is_not(None))
    ).all()
    assert checked_in == [colleagues[0]]
