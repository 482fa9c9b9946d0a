"""In a real browser, under the Content-Security-Policy: the main pages report no violation and no
script error for the organizer and for a focal point, and what runs on them still works (charts,
confirmations, printing, the check-in search, the list filter); an injected inline script does not run."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, ORGANIZER_EMAIL, seed_demo
from coordination.demo.feedback import EMBASSY_FORM
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.models import FeedbackForm
from coordination.library.models import Collection, Document
from coordination.roundtables.models import AgendaItem, Roundtable

pytestmark = pytest.mark.e2e

# Runs before the page's own scripts, outside the policy (Playwright injects it): records the
# violations the browser reports, and counts print requests instead of opening the dialog.
WATCH = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
window.printed = 0;
window.print = () => { window.printed += 1; };
"""


class Watcher:
    """What went wrong in a page's scripts: violations, console messages about the policy, errors."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: error {error}"))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str) -> None:
        self.page.goto(path)
        self.page.wait_for_load_state("load")
        self.collect()

    def collect(self) -> None:
        self.problems += [f"{self.page.url}: {v}" for v in self.page.evaluate("window.violations || []")]


@pytest.fixture
def demo_dataset():
    seed_demo()
    db.session.commit()


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _charts_drawn(page: Page, selector: str) -> list[bool]:
    page.wait_for_function("() => window.Chart !== undefined")
    return page.evaluate(
        "(selector) => [...document.querySelectorAll(selector)].map(c => !!Chart.getChart(c) && c.width > 0)",
        selector,
    )


def test_organizer_pages_run_under_the_policy(page: Page, demo_dataset):
    watcher = Watcher(page)
    completed = db.session.scalar(select(Roundtable).where(Roundtable.status == "completed"))
    upcoming = db.session.scalar(select(Roundtable).where(Roundtable.status == "published"))
    sudan = db.session.scalar(select(Organization).where(Organization.country == "SD"))
    form_id = db.session.scalar(select(FeedbackForm.id).where(FeedbackForm.title == EMBASSY_FORM))
    document_id = db.session.scalar(select(Document.id).order_by(Document.id))
    _sign_in(page, ORGANIZER_EMAIL)
    watcher.collect()

    for path in (
        "/", "/organizations", f"/organizations/{sudan.id}", "/roundtables", f"/roundtables/{completed.id}",
        f"/roundtables/{completed.id}/minutes", f"/roundtables/{upcoming.id}/registrations", "/library",
        f"/library/documents/{document_id}", "/services", "/guide", "/announcements", "/commitments",
        "/profile", "/audit", "/outbox",
    ):  # fmt: skip
        watcher.visit(path)

    watcher.visit(f"/feedback/{form_id}/results")
    charts = _charts_drawn(page, "canvas[data-chart-table]")
    assert charts and all(charts)
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1

    watcher.visit("/dashboard")
    charts = _charts_drawn(page, "canvas.dashboard-chart")
    assert charts and all(charts)
    watcher.visit("/suggestions")
    assert _charts_drawn(page, "#suggestions-chart") == [True]

    # A confirmation: cancelled, nothing happens; accepted, the item goes.
    watcher.visit(f"/roundtables/{upcoming.id}/agenda")
    items = page.locator("main ol.list-group > li")
    count = items.count()
    assert count > 0
    questions = []

    def answer(accept: bool):
        def handle(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    items.first.get_by_role("button", name="Remove").click()
    expect(items).to_have_count(count)
    page.once("dialog", answer(True))
    items.first.get_by_role("button", name="Remove").click()
    expect(items).to_have_count(count - 1)
    assert questions == ["Remove this item from the agenda?"] * 2
    watcher.collect()
    remaining = db.session.scalar(
        select(db.func.count(AgendaItem.id)).where(AgendaItem.roundtable_id == upcoming.id)
    )
    assert remaining == count - 1

    # The check-in search answers through htmx, in place.
    watcher.visit(f"/roundtables/{upcoming.id}/check-in")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Name or organization").fill("Sudan")
    expect(page).to_have_url(re.compile(r"\?q=Sudan"))
    assert page.evaluate("window.notReloaded") is True
    # htmx evaluates no code, and keeps no copy of the page (people's names) in sessionStorage.
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    page.go_back()  # without a copy, htmx reloads the whole page
    expect(page).not_to_have_url(re.compile(r"\?q="))
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    expect(page.get_by_label("Name or organization")).to_have_value("")
    watcher.collect()

    assert watcher.problems == []


def test_focal_point_pages_run_under_the_policy(page: Page, demo_dataset):
    watcher = Watcher(page)
    upcoming = db.session.scalar(select(Roundtable).where(Roundtable.status == "published"))
    form_id = db.session.scalar(select(FeedbackForm.id).where(FeedbackForm.title == EMBASSY_FORM))
    collection_id = db.session.scalar(select(Collection.id).order_by(Collection.id))
    _sign_in(page, FOCAL_POINT_EMAIL)
    watcher.collect()

    for path in (
        "/", "/organizations", f"/roundtables/{upcoming.id}", "/feedback", f"/feedback/{form_id}/answer",
        "/library", "/services", "/guide", "/suggestions", "/commitments", "/profile",
    ):  # fmt: skip
        watcher.visit(path)

    # The upload form's organization filter hides the organizations that do not match.
    watcher.visit(f"/library/collections/{collection_id}/upload")
    choices = page.locator(".organization-choice")
    assert choices.count() > 3
    page.get_by_role("searchbox", name="Filter the list").fill("Sudan")
    expect(choices.filter(has_text="Embassy of Sudan")).to_be_visible()
    expect(choices.filter(has_text="Embassy of Chad")).to_be_hidden()
    watcher.collect()

    assert watcher.problems == []


def test_an_injected_inline_script_does_not_run_and_is_reported(page: Page, demo_dataset):
    watcher = Watcher(page)
    _sign_in(page, FOCAL_POINT_EMAIL)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.appendChild(script);
          const image = document.createElement("img");
          image.setAttribute("onerror", "window.injected = true");
          image.src = "/no-such-image.png";
          document.body.appendChild(image);
        }"""
    )
    page.wait_for_function("() => window.violations.length >= 2")
    assert page.evaluate("window.injected") is None
    watcher.collect()
    assert any("script-src" in problem for problem in watcher.problems)
