"""In a real browser: the organizer builds a three-question form for a completed roundtable, the
demo focal point answers it (correcting one mistake on the way), and the organizer reads the chart
and downloads the XLSX."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, ORGANIZER_EMAIL, seed_demo
from coordination.extensions import db
from coordination.roundtables.models import Roundtable

pytestmark = pytest.mark.e2e

TITLE = "How was the roundtable on IOM's services?"


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


def _add_question(page: Page, kind: str, label: str, required: bool = False, options: str = "") -> None:
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Type").select_option(label=kind)
    page.get_by_label("Question", exact=True).fill(label)
    if required:
        page.get_by_label("An answer is required").check()
    if options:
        page.get_by_label("Options").fill(options)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The question has been added.")


def test_organizer_builds_focal_point_answers_organizer_reads_and_downloads(
    page: Page, new_context, demo_dataset, tmp_path
):
    roundtable = db.session.scalar(select(Roundtable).where(Roundtable.status == "completed"))
    _sign_in(page, ORGANIZER_EMAIL)
    page.goto(f"/roundtables/{roundtable.id}")
    page.get_by_role("link", name="Create a feedback form for this roundtable").click()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Everyone (all members of every organization)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The form has been saved as a draft.")
    _add_question(page, "Rating (1 to 5)", "How useful was the presentation?", required=True)
    _add_question(
        page, "Single choice", "Which service matters most to your nationals?",
        options="Localized assistance\nAVRR\nHealth services",
    )  # fmt: skip
    _add_question(page, "Long text", "What should we change?")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("The form is published")
    manage_url = page.url

    focal = new_context().new_page()
    _sign_in(focal, FOCAL_POINT_EMAIL)
    focal.get_by_role("link", name="Feedback", exact=True).click()
    focal.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(focal.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(focal.get_by_text("Purpose and privacy")).to_be_visible()
    focal.get_by_label("Health services").check()
    focal.get_by_label("What should we change?").fill("Send the eligibility criteria in Arabic beforehand.")
    focal.get_by_role("button", name="Submit").click()  # the required rating is missing
    expect(focal.get_by_text("This question needs an answer.")).to_be_visible()
    expect(focal.get_by_label("What should we change?")).to_have_value(
        "Send the eligibility criteria in Arabic beforehand."
    )
    expect(focal.get_by_label("Health services")).to_be_checked()
    focal.get_by_role("group", name=re.compile("How useful was the presentation")).get_by_text(
        "4", exact=True
    ).click()
    focal.get_by_role("button", name="Submit").click()
    expect(focal.get_by_role("status").filter(has_text="Thank you: your response")).to_be_visible()

    page.goto(manage_url)
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_text("1 response", exact=True)).to_be_visible()
    table = page.get_by_role("table", name="Which service matters most to your nationals?")
    expect(table.get_by_role("row", name=re.compile("Health services"))).to_contain_text("100 %")
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas').length > 0")
    charts = page.evaluate(
        "() => [...document.querySelectorAll('canvas')].map(c => !!Chart.getChart(c) && c.width > 0)"
    )
    assert charts and all(charts)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download (XLSX)").click()
    path = tmp_path / "responses.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    assert header[3:6] == ("Person", "Email", "Organization")
    assert row[3:6] == ("Hamid Demo-Focal-Point", FOCAL_POINT_EMAIL, "Embassy of Sudan")
    assert row[6:] == (
        4,
        "health-services",
        "Health services",
        "Send the eligibility criteria in Arabic beforehand.",
    )


def test_a_conditional_question_appears_only_when_its_condition_is_met(page: Page, focal_point):
    from coordination.auth.models import Role
    from coordination.feedback import rules
    from tests.factories import PASSWORD, make_user

    organizer = make_user(role=Role.ORGANIZER, email="olga@iom.example")
    form = rules.create_form(organizer, title="Working group", audience="everyone")
    join = rules.add_question(organizer, form, kind="yes_no", label="Will you join the working group?")
    rules.add_question(
        organizer, form, kind="short_text", label="Who will represent you?", required=True,
        condition=f"{join.id}:yes",
    )  # fmt: skip
    rules.add_question(organizer, form, kind="long_text", label="Anything else?")
    rules.publish_form(organizer, form)
    db.session.commit()

    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(focal_point.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.goto(f"/feedback/{form.id}/answer")
    representative = page.get_by_label("Who will represent you?")
    expect(representative).to_be_hidden()
    expect(page.locator("#feedback-answer")).to_contain_text("2. Anything else?")
    page.get_by_label("Yes").check()
    expect(representative).to_be_visible()
    expect(page.locator("#feedback-answer")).to_contain_text("3. Anything else?")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("This question needs an answer.")).to_be_visible()
    page.get_by_label("No", exact=True).check()
    expect(representative).to_be_hidden()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").filter(has_text="Thank you: your response")).to_be_visible()
