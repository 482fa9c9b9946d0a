"""User text: Markdown rendered by markdown-it-py and sanitized by nh3, the only way to show it."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for Markdown `text`: links get rel=noopener, scripts and handlers are removed."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    # nh3 has just removed everything unsafe, so this Markup wraps sanitized HTML only.
    return Markup(  # noqa: S704
        nh3.clean(
            html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer"
        )
    )
