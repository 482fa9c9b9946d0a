"""In a real browser: the demo organizer opens the directory and switches it to Arabic, right to left."""

import re
import tempfile
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from coordination.demo import DEMO_PASSWORD, ORGANIZER_EMAIL, seed_demo
from coordination.extensions import db

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(tempfile.gettempdir())
ON_THE_RIGHT_HALF = """element => {
  const box = element.getBoundingClientRect();
  return box.left + box.width / 2 > document.documentElement.clientWidth / 2;
}"""
ICON_FONT_LOADED = """async () => {
  await document.fonts.ready;
  return [...document.fonts].some(f => f.family.includes("bootstrap-icons") && f.status === "loaded");
}"""


@pytest.fixture
def demo_dataset():
    seed_demo()
    db.session.commit()


def _arabic(message: str) -> str:
    """`message` as the Arabic catalogue has it (the English text while it is untranslated)."""
    with force_locale("ar"):
        return gettext(message)


def _sign_in_as_demo_organizer(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(ORGANIZER_EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Layla Demo-Organizer")


def _expect_right_to_left(page: Page) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    stylesheets = page.locator("link[rel=stylesheet]")
    expect(stylesheets.and_(page.locator("[href*='bootstrap.rtl.min.css']"))).to_have_count(1)
    expect(stylesheets.and_(page.locator("[href$='/bootstrap.min.css']"))).to_have_count(0)
    current = page.locator("#language-bar button[aria-current=true]")
    expect(current).to_have_text("العربية")
    expect(current).to_have_attribute("value", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text(_arabic("Directory"))
    expect(page.get_by_role("link", name="Embassy of Algeria")).to_be_visible()
    expect(page.locator("main table tbody tr")).to_have_count(25)
    # The stylesheet really applies: the heading sits on the right.
    assert page.locator("body").evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert page.get_by_role("heading", level=1).evaluate(ON_THE_RIGHT_HALF)


def _fonts_loaded(page: Page) -> bool:
    """True when the bootstrap-icons font has loaded (a missing font shows empty squares)."""
    return page.evaluate(ICON_FONT_LOADED)


def test_organizer_switches_the_directory_to_arabic(page: Page, demo_dataset):
    _sign_in_as_demo_organizer(page)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Directory", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/organizations$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    with page.expect_navigation():
        page.locator("#language-bar button[value=ar]").click()

    expect(page).to_have_url(re.compile(r"/organizations$"))
    _expect_right_to_left(page)
    assert _fonts_loaded(page)
    # The brand sits at the right edge of a right-to-left navigation bar.
    brand = page.locator(".navbar-brand").bounding_box()
    language_bar = page.locator("#language-bar").bounding_box()
    assert brand["x"] > language_bar["x"]
    page.screenshot(path=SCREENSHOTS / "e2e-rtl.png", full_page=True)


def test_directory_in_arabic_fits_a_phone(new_context, demo_dataset):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    _sign_in_as_demo_organizer(page)
    page.goto("/organizations")

    page.get_by_role("button", name="Menu").click()
    # Click only once the menu has finished opening, and wait for the page the form leads to.
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.locator("#language-bar button[value=ar]").click()

    _expect_right_to_left(page)
    assert _fonts_loaded(page)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "e2e-rtl-phone.png")

    page.get_by_role("button", name=_arabic("Menu")).click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding
    expect(page.locator("#language-bar")).to_be_visible()
    expect(page.get_by_role("button", name=_arabic("Sign out"))).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "e2e-rtl-phone-menu.png")
