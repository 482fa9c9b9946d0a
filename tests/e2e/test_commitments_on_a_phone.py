"""In a real browser, on a phone: the demo focal point reports progress on their embassy's
commitment, then reads the published Chatham House minutes of the first roundtable."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, seed_demo
from coordination.extensions import db
from coordination.roundtables.models import ActionItem, ActionItemNote

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
FITS_THE_SCREEN = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def demo_dataset():
    seed_demo()
    db.session.commit()


def test_focal_point_reports_progress_and_reads_the_minutes_on_a_phone(page: Page, demo_dataset):
    page.set_viewport_size(PHONE)
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(FOCAL_POINT_EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto("/commitments")
    expect(page.get_by_role("heading", level=1)).to_have_text("My commitments")
    assert page.evaluate(FITS_THE_SCREEN)
    page.get_by_role("link", name=re.compile("Name a referral focal point")).click()
    expect(page).to_have_url(re.compile(r"/action-items/\d+$"))
    assert page.evaluate(FITS_THE_SCREEN)

    page.get_by_label("Progress note").fill("The referral form is signed; sent to IOM today.")
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Your progress note has been added.")).to_be_visible()
    expect(page.get_by_text("The referral form is signed; sent to IOM today.")).to_be_visible()
    item = db.session.scalar(select(ActionItem).where(ActionItem.description.startswith("Name a referral")))
    db.session.refresh(item)
    assert item.status == "done"
    assert (
        db.session.scalar(
            select(ActionItemNote.status).where(ActionItemNote.text.startswith("The referral form is signed"))
        )
        == "done"
    )

    page.get_by_role(
        "link", name="Roundtable with embassy representatives on IOM Egypt's services"
    ).first.click()
    expect(page.get_by_role("heading", name="Minutes", exact=True)).to_be_visible()
    expect(page.get_by_text("Chatham House rule.")).to_be_visible()
    expect(page.get_by_text("Areas of cooperation agreed")).to_be_visible()
    expect(page.get_by_text("Organizations attending")).to_have_count(0)
    assert page.evaluate(FITS_THE_SCREEN)
