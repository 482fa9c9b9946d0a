"""In a real browser: a focal point drags a PDF onto a collection's upload form, watches the progress
bar finish and restricts the document to two embassies; a member of a third embassy does not find
it, a member of one of the two finds and downloads it."""

import base64
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.extensions import db
from coordination.library.models import DocumentVersion
from tests.factories import PASSWORD, make_organization, make_user
from tests.library import files
from tests.library.conftest import make_collection

pytestmark = pytest.mark.e2e

# Reports each value the progress bar takes, across page loads, to the test.
WATCH_PROGRESS = """
new MutationObserver(() => {
  const bar = document.getElementById("upload-progress");
  if (bar && !bar.hidden) window.reportProgress(bar.getAttribute("aria-valuenow"));
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["aria-valuenow", "hidden"]});
"""

DROP_FILE = """
([b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
  return transfer;
}
"""


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _search(page: Page, word: str):
    page.goto(f"/library?q={word}")
    return page.locator("#documents")


def test_focal_point_drags_a_pdf_restricted_to_two_embassies(
    page: Page, new_context, runner, organization, other_organization, focal_point, other_focal_point
):
    chad = make_organization(name="Embassy of Chad", country="TD")
    ethiopia = make_organization(name="Embassy of Ethiopia", country="ET")
    outsider = make_user(email="member@et.example", role=Role.MEMBER, organization=ethiopia)
    collection = make_collection(name="Service guides")
    pdf = files.pdf("Referral pathways for unaccompanied children", "Keyword mangotree")

    progress: list[int] = []
    page.expose_function("reportProgress", lambda value: progress.append(int(value)))
    page.add_init_script(WATCH_PROGRESS)
    _sign_in(page, focal_point.email)
    page.goto(f"/library/collections/{collection.id}/upload")
    transfer = page.evaluate_handle(DROP_FILE, [base64.b64encode(pdf).decode(), "referrals.pdf"])
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    expect(page.locator("#chosen-files")).to_contain_text("referrals.pdf")
    page.get_by_label("Title").fill("Referral pathways")
    page.get_by_label("Who may see it").select_option("organizations")
    page.get_by_label("Embassy of Eritrea").check()
    page.get_by_label("Embassy of Chad").check()
    page.get_by_role("button", name="Share").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Referral pathways")
    assert progress and progress[-1] == 100 and max(progress) == 100
    expect(page.get_by_text("Embassy of Chad, Embassy of Eritrea")).to_be_visible()

    # A member of a third embassy finds nothing; one of the two finds it once the text is read.
    third = new_context().new_page()
    _sign_in(third, outsider.email)
    expect(_search(third, "mangotree")).to_have_count(0)
    expect(third.get_by_text("No document matches your search.")).to_be_visible()

    inside = new_context().new_page()
    _sign_in(inside, other_focal_point.email)
    # The text is read after the upload has answered (tests/library checks that on its own); on a
    # slow machine `flask library extract`, the catch-up production runs too, reads it here.
    for _attempt in range(40):
        db.session.rollback()
        if db.session.scalar(select(DocumentVersion.extraction)) != "pending":
            break
        inside.wait_for_timeout(250)
    else:
        assert runner.invoke(args=["library", "extract"]).exit_code == 0
    _search(inside, "mangotree")
    expect(inside.locator("#documents")).to_contain_text("Referral pathways")
    inside.get_by_role("link", name="Referral pathways").click()
    with inside.expect_download() as download_info:
        inside.get_by_role("link", name="Download").first.click(modifiers=["Alt"])
    download = download_info.value
    assert download.suggested_filename == "referrals.pdf"
    assert Path(download.path()).read_bytes() == pdf
    assert chad.id  # the second embassy chosen
