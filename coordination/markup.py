"""User text: Markdown rendered by markdown-it-py and sanitized by nh3, the only way to show it."""

import functools
import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


# The only schemes a link a user typed may have: anything else (javascript:, data:, vbscript:…)
# could run script or show a forged page for whoever clicks.
WEB_SCHEMES = ("http", "https")
LINK_SCHEMES = {"http", "https", "mailto"}

# Browsers drop tabs, new lines and leading control characters inside a URL before reading its
# scheme ("java\tscript:"); a link holding any of them is refused rather than guessed at.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


# Short texts (a service's steps, a criterion's reason) come back on every page that shows them:
# their HTML is kept, up to a bound on memory.
KEPT_LENGTH = 2000
KEPT_TEXTS = 4096


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for Markdown `text`: links get rel=noopener, scripts and handlers are removed."""
    if not text:
        return Markup("")
    if len(text) <= KEPT_LENGTH:
        return _render_kept(text)
    return _render(text)


@functools.lru_cache(maxsize=KEPT_TEXTS)
def _render_kept(text: str) -> Markup:
    return _render(text)


def _render(text: str) -> Markup:
    html = _markdown.render(text)
    # nh3 has just removed everything unsafe, so this Markup wraps sanitized HTML only.
    return Markup(  # noqa: S704
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes=LINK_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )


def is_safe_link(url: str | None, schemes=WEB_SCHEMES) -> bool:
    """Whether `url` is a full address with one of `schemes`, so a harmless link to follow."""
    if not url or _INVISIBLE.search(url):
        return False
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return False
    return scheme == "mailto" or bool(parts.netloc)


def web_link(url: str | None) -> Markup:
    """`url` as a link if it is an http(s) address, else as plain text."""
    # Rows saved before the forms checked the scheme may still hold a javascript: link.
    if not url:
        return Markup("")
    if not is_safe_link(url):
        return escape(url)
    return Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url)
