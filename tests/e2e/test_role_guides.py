"""In a real browser, with the demo dataset: each role's pages that the guides in docs/guides/ walk
through show what the guides say, and their screenshots are taken here so that they stay current.

A screenshot is written only when it differs from the one in docs/guides/screenshots/ by more than
a few pixels (a date that moved with the clock is not a change), so a run on a clean checkout
leaves the tree clean.
"""

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.auth.rules import set_password
from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, ORGANIZER_EMAIL, seed_demo
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.roundtables.models import Roundtable
from coordination.roundtables.registrations import invite_organizations

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "guides" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Share of pixels that may differ before a screenshot counts as changed: a date or a count of
# days moves a few hundred pixels of a 1280×800 image, a changed page moves many more.
TOLERANCE = 0.005
FIRST = "Roundtable with embassy representatives on IOM Egypt's services"
SECOND = "Second roundtable: following up the areas of cooperation"


@pytest.fixture
def demo_dataset():
    seed_demo()
    db.session.commit()


def _sign_in(page: Page, email: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.emulate_media(reduced_motion="reduce")
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def _heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def _roundtable_id(title: str) -> int:
    return db.session.scalar(select(Roundtable.id).where(Roundtable.title == title))


def save_screenshot(page: Page, name: str) -> None:
    """Keep the viewport's picture as docs/guides/screenshots/<name>.png (128 colours, a third of
    the size) if it changed."""
    # Fonts loaded and charts drawn (reduced motion, and a moment for Chart.js's first frame);
    # not "networkidle", which a busy machine can keep from coming for half a minute.
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    page.mouse.move(0, 0)  # no hover effect on whatever the last click left under the pointer
    shot = Image.open(io.BytesIO(page.screenshot(animations="disabled", caret="hide"))).convert("RGB")
    path = SCREENSHOTS / f"{name}.png"
    if path.exists() and not _changed(Image.open(path).convert("RGB"), shot):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, "PNG", optimize=True
    )


def _changed(before: Image.Image, after: Image.Image) -> bool:
    if before.size != after.size:
        return True
    # Fewer colours move every shade a little: only a clear difference counts as a changed pixel.
    difference = (
        ImageChops.difference(before, after).convert("L").point(lambda value: 255 if value > 48 else 0)
    )
    changed_pixels = difference.histogram()[255]
    return changed_pixels > TOLERANCE * before.width * before.height


def test_the_organizers_guide(page: Page, demo_dataset):
    second = _roundtable_id(SECOND)
    _sign_in(page, ORGANIZER_EMAIL)

    page.goto("/roundtables")
    _heading(page, "Roundtables")
    expect(page.get_by_role("link", name="Schedule a roundtable")).to_be_visible()
    expect(page.get_by_role("link", name=SECOND)).to_be_visible()
    save_screenshot(page, "organizer-roundtables")

    page.goto("/roundtables/new")
    expect(page.get_by_label("Title")).to_be_visible()
    expect(page.get_by_label("Seats per organization")).to_be_visible()
    save_screenshot(page, "organizer-schedule")

    page.goto(f"/roundtables/{second}")
    _heading(page, SECOND)
    expect(page.get_by_text("Health services for migrants").first).to_be_visible()
    save_screenshot(page, "organizer-roundtable")

    page.goto(f"/roundtables/{second}/invitations")
    expect(page.get_by_label("Embassy of Sudan", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Send the invitations")).to_be_visible()
    save_screenshot(page, "organizer-invitations")

    page.goto("/feedback")
    _heading(page, "Feedback")
    save_screenshot(page, "organizer-feedback")

    page.goto("/suggestions")
    _heading(page, "Suggestions for areas of intervention")
    expect(page.get_by_role("status")).to_contain_text("suggestions")
    save_screenshot(page, "organizer-suggestions")

    page.goto("/dashboard")
    _heading(page, "Engagement dashboard")
    save_screenshot(page, "organizer-dashboard")


def test_the_focal_points_guide(page: Page, demo_dataset):
    second = db.session.get(Roundtable, _roundtable_id(SECOND))
    organizer = db.session.scalar(select(User).where(User.email == ORGANIZER_EMAIL))
    sudan = db.session.get(Organization, _organization_id("Embassy of Sudan"))
    invite_organizations(organizer, second, [sudan])
    db.session.commit()
    colleague = db.session.scalar(
        select(User.name)
        .where(User.organization_id == sudan.id, User.role == Role.MEMBER, User.active.is_(True))
        .order_by(User.name)
        .limit(1)
    )
    _sign_in(page, FOCAL_POINT_EMAIL)

    page.goto("/")
    _heading(page, "Welcome, Hamid Demo-Focal-Point")
    expect(page.get_by_role("link", name=SECOND).first).to_be_visible()
    save_screenshot(page, "focal-point-home")

    page.goto(f"/organizations/{sudan.id}")
    _heading(page, "Embassy of Sudan")
    expect(page.get_by_role("link", name="Add a person")).to_be_visible()
    save_screenshot(page, "focal-point-delegation")

    page.goto(f"/roundtables/{second.id}")
    _heading(page, SECOND)
    page.locator("#person_id").select_option(label=colleague)
    page.locator("main").get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"{colleague} is registered.")
    delegation = page.get_by_role("region", name="Your delegation: Embassy of Sudan")
    expect(delegation.get_by_text(colleague)).to_be_visible()
    delegation.scroll_into_view_if_needed()
    save_screenshot(page, "focal-point-registrations")

    page.goto("/feedback")
    _heading(page, "Feedback")
    save_screenshot(page, "focal-point-feedback")

    page.goto("/suggestions/new")
    _heading(page, "Propose an area of intervention")
    expect(page.get_by_text("Proposed in the name of Embassy of Sudan")).to_be_visible()
    save_screenshot(page, "focal-point-suggestion")

    page.goto("/library")
    _heading(page, "Shared library")
    expect(page.get_by_role("link", name="First roundtable: presentation of services").first).to_be_visible()
    save_screenshot(page, "focal-point-library")

    page.set_viewport_size(PHONE)
    page.goto("/commitments")
    _heading(page, "My commitments")
    expect(page.get_by_role("link", name=re.compile("Name a referral focal point"))).to_be_visible()
    save_screenshot(page, "focal-point-commitments-phone")


def test_the_members_guide(page: Page, demo_dataset):
    member = db.session.scalar(
        select(User)
        .join(Organization)
        .where(Organization.kind == "embassy", User.role == Role.MEMBER, User.preferred_language == "en")
        .order_by(Organization.name, User.name)
        .limit(1)
    )
    set_password(member, DEMO_PASSWORD)
    db.session.commit()
    _sign_in(page, member.email)

    page.goto("/")
    _heading(page, f"Welcome, {member.name}")
    expect(
        page.get_by_role("link", name="Partners' survey: working together on migrant protection")
    ).to_be_visible()
    save_screenshot(page, "member-home")

    page.goto("/roundtables")
    expect(page.get_by_role("link", name=FIRST)).to_be_visible()
    expect(page.get_by_role("link", name="Schedule a roundtable")).to_have_count(0)
    save_screenshot(page, "member-roundtables")

    page.goto("/feedback")
    _heading(page, "Feedback")
    save_screenshot(page, "member-feedback")

    page.goto("/library")
    _heading(page, "Shared library")
    expect(page.get_by_role("link", name="First roundtable: presentation of services").first).to_be_visible()
    save_screenshot(page, "member-library")

    page.goto("/services")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    save_screenshot(page, "member-services")

    page.set_viewport_size(PHONE)
    page.goto("/guide")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    save_screenshot(page, "member-eligibility-guide-phone")


def _organization_id(name: str) -> int:
    return db.session.scalar(select(Organization.id).where(Organization.name == name))
