"""In a real browser: the demo focal point proposes an area of intervention (correcting a missed
field on the way), supports another embassy's suggestion, and reads the chart, also in Arabic on a phone."""

import tempfile
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, seed_demo
from coordination.extensions import db

pytestmark = pytest.mark.e2e

CHART_DRAWN = """() => {
  const canvas = document.getElementById("suggestions-chart");
  const chart = canvas && window.Chart && Chart.getChart(canvas);
  if (!chart) return -1;
  return chart.data.datasets.flatMap(set => set.data).reduce((a, b) => a + b, 0);
}"""


@pytest.fixture
def demo_dataset():
    seed_demo()
    db.session.commit()


def test_a_focal_point_proposes_supports_and_reads_the_chart(page: Page, demo_dataset):
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(FOCAL_POINT_EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Suggestions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggestions for areas of intervention")
    expect(page.locator("main .list-group-item")).to_have_count(6)
    page.wait_for_function(f"({CHART_DRAWN})() === 6")

    page.get_by_role("link", name="Propose an area of intervention").click()
    page.get_by_label("Title").fill("Birth registration for children born in Egypt")
    page.get_by_label("Description").fill("Parents need help to register births at the embassy.")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Choose a service area.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Birth registration for children born in Egypt")
    page.get_by_label("Service area").select_option("protection")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Thank you: your suggestion is published for all members.")).to_be_visible()
    expect(page.get_by_text("Your organization proposed it, so it already stands behind it")).to_be_visible()

    page.get_by_role("link", name="Suggestions", exact=True).first.click()
    page.get_by_role("link", name="Health screening before assisted voluntary return").click()
    page.get_by_role("button", name="Support in the name of Embassy of Sudan").click()
    expect(page.get_by_text("Embassy of Sudan now supports this suggestion.")).to_be_visible()
    expect(page.get_by_role("heading", name="Supported by 4 organizations")).to_be_visible()

    page.goto("/suggestions")
    page.locator("#language-bar").get_by_role("button", name="العربية").click()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/suggestions")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    with force_locale("ar"):
        heading = gettext("Suggestions for areas of intervention")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.wait_for_function(f"({CHART_DRAWN})() === 7")
    expect(page.locator("main table caption")).to_be_visible()
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "suggestions-ar-phone.png"), full_page=True)
