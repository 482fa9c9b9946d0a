"""Every response carries the security headers: a Content-Security-Policy that runs no inline
script, no sniffing, no framing, a same-origin referrer, HSTS in production, and `no-store` on
everything but static files, so that personal data stays out of caches."""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coordination import REPO_DIR, create_app
from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, ORGANIZER_EMAIL, seed_demo
from coordination.extensions import db
from coordination.roundtables.calendar import renew_calendar_token
from tests.catalogue.conftest import A, D, Q, make_criterion, make_service
from tests.conftest import login

PAGES_PER_KIND = 2  # of each address pattern (/roundtables/N, /feedback/N/results…)
MAX_PAGES = 400


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy of `response`, as directive → sources."""
    directives = [part.split() for part in response.headers.get("Content-Security-Policy", "").split(";")]
    return {words[0]: words[1:] for words in directives if words}


def header_problems(response) -> list[str]:
    """What is missing or too loose in the headers of a page of ours."""
    problems = []
    csp = policy(response)
    expected = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }
    if csp.get("default-src") == ["'none'"]:
        # A library file, under its own stricter policy (its preview may be framed by our pages).
        expected.pop("X-Frame-Options")
        csp = {"script-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'self'"],
               "frame-ancestors": ["'none'"], "form-action": ["'self'"]}  # fmt: skip
    if csp.get("script-src") != ["'self'"]:
        problems.append(f"script-src {csp.get('script-src')}")
    for directive, sources in {
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }.items():
        if csp.get(directive) != sources:
            problems.append(f"{directive} {csp.get(directive)}")
    problems += [f"{name}: {response.headers.get(name)}" for name, value in expected.items()
                 if response.headers.get(name) != value]  # fmt: skip
    return problems


class _Page(HTMLParser):
    """Links, inline scripts and inline event handlers of an HTML page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.inline.append(f"<script {attrs}>")
        self.inline += [f"<{tag} {name}=…>" for name, _ in attrs if name.startswith("on")]
        self.inline += [
            f"<{tag} {name}={value}>"
            for name, value in attrs
            if name in ("href", "src", "action", "formaction")
            and (value or "").lower().startswith("javascript:")
        ]


def crawl(client) -> tuple[int, dict[str, list[str]]]:
    """Follow the links of the signed-in user's pages from the home page; what each page got wrong."""
    seen, queue, kinds, problems = set(), deque(["/"]), Counter(), {}
    visited = 0
    while queue and visited < MAX_PAGES:
        address = queue.popleft()
        response = client.get(address)
        visited += 1
        found = header_problems(response)
        if response.mimetype == "text/html":
            page = _Page()
            page.feed(response.get_data(as_text=True))
            found += page.inline
            for link in page.links:
                parts = urlsplit(link)
                if parts.netloc not in ("", "roundtable.test") or not parts.path.startswith("/"):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                kind = (
                    re.sub(r"\d+", "N", parts.path)
                    + "?"
                    + ",".join(sorted(re.findall(r"(\w+)=", parts.query)))
                )
                if target in seen or kinds[kind] >= PAGES_PER_KIND or parts.path.startswith("/static/"):
                    continue
                if "lang=" in parts.query or parts.path.startswith("/language"):
                    continue  # stay in one language
                seen.add(target)
                kinds[kind] += 1
                queue.append(target)
        if found:
            problems[address] = found
    return visited, problems


@pytest.fixture
def demo_dataset():
    seed_demo()
    db.session.commit()


@pytest.mark.parametrize("email", [ORGANIZER_EMAIL, FOCAL_POINT_EMAIL], ids=["organizer", "focal point"])
def test_every_page_has_the_security_headers_and_no_inline_script(client, demo_dataset, email):
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    visited, problems = crawl(client)
    assert visited > 40, "the crawl found too few pages to prove anything"
    assert problems == {}, "\n".join(f"{page}: {found}" for page, found in problems.items())


def test_pages_for_anonymous_visitors_and_errors_have_the_headers(client):
    for address in ("/login", "/password/forgot", "/no-such-page", "/roundtables"):
        response = client.get(address)
        assert header_problems(response) == [], address


def test_no_template_holds_an_inline_script_or_event_handler():
    offenders = []
    for path in sorted(Path(REPO_DIR, "templates").rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0) and 'type="application/json"' not in match.group(0):
                offenders.append(f"{path.name}: {match.group(0)}")
        offenders += [f"{path.name}: {name}" for name in re.findall(r"\s(on[a-z]+)\s*=", text)]
        offenders += [f"{path.name}: javascript:" for _ in re.findall(r"javascript:", text, re.IGNORECASE)]
    assert offenders == []


def test_static_files_may_be_cached_but_are_not_sniffed(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_private_calendar_feed_is_not_stored(client, member):
    token = renew_calendar_token(member)
    db.session.commit()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_guide_result_is_not_stored_even_for_anonymous_helpers(client, organizer, app):
    criterion = make_criterion(organizer, "Is the person outside their country of origin?")
    make_service(organizer, "Localized assistance", [(criterion, Q, D, A)])
    app.config["CATALOGUE_PUBLIC"] = True
    try:
        response = client.post(
            "/guide", data={f"answer-{criterion.id}": "yes", "step": "1", "action": "result"}
        )
    finally:
        app.config["CATALOGUE_PUBLIC"] = False
    assert response.status_code == 200
    assert "Localized assistance" in response.get_data(as_text=True)
    assert header_problems(response) == []


def test_the_profile_is_not_stored(client, member):
    login(client, member)
    response = client.get("/profile")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_in_production_only(client, app, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    monkeypatch.setenv("SECRET_KEY", "production test secret")
    production = create_app("production", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    response = production.test_client().get("/login", base_url="https://roundtable.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert header_problems(response) == []
