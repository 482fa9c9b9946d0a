"""In a real browser: the demo focal point walks the eligibility guide in Arabic and prints the sheet."""

import re
import tempfile
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, seed_demo
from coordination.extensions import db

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(tempfile.gettempdir())
# A stranded national who wants to go home, whose embassy can issue a laissez-passer:
# outside the country of origin, wishes to return, travel documents, vulnerable, medical need, refugee.
ANSWERS = ["yes", "yes", "yes", "no", "unknown", "no"]


def _arabic(message: str) -> str:
    with force_locale("ar"):
        return gettext(message)


@pytest.fixture
def demo_dataset():
    seed_demo()
    db.session.commit()


def test_focal_point_walks_the_guide_in_arabic_and_prints_the_sheet(page: Page, demo_dataset):
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(FOCAL_POINT_EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hamid Demo-Focal-Point")
    with page.expect_navigation():
        page.locator("#language-bar button[value=ar]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    navigation = page.get_by_role("navigation", name=_arabic("Main navigation"))
    navigation.get_by_role("link", name=_arabic("Services")).click()
    expect(page).to_have_url(re.compile(r"/services$"))
    page.get_by_role("link", name=_arabic("Open the eligibility guide")).click()
    expect(page).to_have_url(re.compile(r"/guide$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(_arabic("Eligibility guide"))

    for number, answer in enumerate(ANSWERS, start=1):
        expect(page.locator("legend")).to_contain_text(
            _arabic("Question %(number)s of %(total)s") % {"number": number, "total": len(ANSWERS)}
        )
        page.locator(f"label[for=answer-{answer}]").click()
        last = number == len(ANSWERS)
        with page.expect_navigation():
            page.get_by_role("button", name=_arabic("See the services" if last else "Next")).click()
        # The answers travel in the form, never in the address.
        assert page.url.endswith("/guide")

    expect(page.get_by_role("heading", level=1)).to_have_text(_arabic("Referral sheet"))
    applies = page.locator('[data-result="applies"]')
    expect(applies).to_have_count(1)
    expect(applies).to_contain_text("العودة الطوعية المدعومة وإعادة الإدماج")
    expect(page.locator('[data-service="migrant-health"]')).to_have_attribute("data-result", "ask")
    expect(page.locator('[data-service="localized-assistance"]')).to_have_attribute(
        "data-result", "not_applicable"
    )
    navigation_bar = page.locator("nav.navbar")
    expect(navigation_bar).to_be_visible()
    # Nothing wider than the window, navigation included.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / "e2e-guide-sheet-ar.png", full_page=True)

    page.emulate_media(media="print")
    expect(navigation_bar).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("button", name=_arabic("Print the sheet"))).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(applies).to_be_visible()
    assert page.locator("body").evaluate("element => getComputedStyle(element).direction") == "rtl"
    pdf = page.pdf(path=SCREENSHOTS / "e2e-guide-sheet-ar.pdf")
    assert pdf.startswith(b"%PDF")


def test_the_guide_fits_a_phone_in_arabic(new_context, demo_dataset):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    page.goto("/login?next=/guide")
    page.get_by_label("Email", exact=True).fill(FOCAL_POINT_EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/guide$"))
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.locator("#language-bar button[value=ar]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_arabic("Eligibility guide"))
    page.locator("label[for=answer-unknown]").click()
    with page.expect_navigation():
        page.get_by_role("button", name=_arabic("Skip to the results")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_arabic("Referral sheet"))
    expect(page.locator('[data-result="ask"]')).to_have_count(3)  # nothing answered but "don't know"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "e2e-guide-phone-ar.png", full_page=True)
