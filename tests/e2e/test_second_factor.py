"""In a real browser: a member turns on two-step sign-in from the profile, then signs in with a code."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from coordination.auth.second_factor import secret_of
from coordination.auth.second_factor_models import SecondFactor
from coordination.extensions import db
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _code(user, steps_from_now: int) -> str:
    db.session.expire_all()
    factor = db.session.scalars(db.select(SecondFactor).where(SecondFactor.user_id == user.id)).one()
    totp = pyotp.TOTP(secret_of(factor))
    return totp.generate_otp(totp.timecode(time.time()) + steps_from_now)


def _sign_in(page: Page, user) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_member_turns_on_two_step_sign_in_and_then_needs_a_code(page: Page, member):
    if time.time() % 30 > 25:  # the codes typed below belong to this 30 s period and the ones around it
        time.sleep(6)
    _sign_in(page, member)
    page.goto("/profile")
    page.get_by_role("link", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn on two-step sign-in")
    expect(page.locator("figure svg")).to_be_visible()
    shown_key = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    db.session.expire_all()
    assert shown_key == secret_of(db.session.scalars(db.select(SecondFactor)).one())

    page.get_by_label("Code from the app").fill("000000" if _code(member, -1) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_text("This code is not correct")).to_be_visible()

    page.get_by_label("Code from the app").fill(_code(member, -1))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_text("On: signing in asks for a code")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, member)
    expect(page).to_have_url(re.compile(r"/login/code$"))
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login"))  # not signed in yet
    page.goto("/login/code")
    page.get_by_label("Code").fill(_code(member, 0))
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
