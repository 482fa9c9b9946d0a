"""What every template can use: `can`, the language bar, Markdown, dates in the viewer's zone."""

import functools
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from coordination import i18n
from coordination.fragments import csrf_token
from coordination.markup import render_markdown, web_link
from coordination.policy import can
from coordination.urls import external_url


def register(app: Flask) -> None:
    @app.context_processor
    def inject():
        user = current_user._get_current_object()  # once, not through the proxy on every check
        language = i18n.current_language()
        return {
            "can": functools.partial(can, user),
            "languages": current_app.config["LANGUAGES"],
            "current_language": language,
            "text_direction": "rtl" if language in i18n.RTL_LANGUAGES else "ltr",
            # Flask-WTF's, except inside kept fragments (see coordination.fragments).
            "csrf_token": csrf_token,
            # The catalogue is looked up once per render rather than once per string.
            **i18n.render_gettext(),
        }

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["web_link"] = web_link
    app.jinja_env.filters["in_zone"] = i18n.format_in_zone
    app.jinja_env.filters["time_in_zone"] = i18n.format_time_in_zone
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["link"] = link
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["external_url"] = external_url


def page_url(number: int) -> str:
    """This page's address with the same filters, at page `number` (the pager asks for several)."""
    base = g.get("page_url_base")
    if base is None:
        args = request.args.to_dict()
        args.pop("page", None)
        filters = f"{urlencode(args)}&" if args else ""
        base = g.page_url_base = f"{request.script_root}{request.path}?{filters}page="
    return f"{base}{number}"


@functools.cache
def _static_url(script_root: str, filename: str) -> str:
    return url_for("static", filename=filename)


def static_url(filename: str) -> str:
    """url_for("static", ...) computed once per file."""
    return _static_url(request.script_root, filename)


@functools.cache
def _link(script_root: str, endpoint: str) -> str:
    return url_for(endpoint)


def link(endpoint: str) -> str:
    """url_for(endpoint) of an endpoint without arguments (the navigation's), computed once."""
    return _link(request.script_root, endpoint)
