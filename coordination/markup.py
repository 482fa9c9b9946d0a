"""User text: Markdown rendered by markdown-it-py and sanitized by nh3, the only way to show it."""

import functools

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


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
            html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer"
        )
    )
