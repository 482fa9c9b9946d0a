"""What every template can use: `can`, the language bar, Markdown, dates in the viewer's zone."""

import functools
from urllib.parse import urlencode

from flask import Flask, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from coordination import i18n
from coordination.directory.freshness import AREA as DIRECTORY_AREA
from coordination.fragments import csrf_token, fragments
from coordination.markup import render_markdown, web_link
from coordination.policy import can
from coordination.urls import external_url


def register(app: Flask) -> None:
    @app.context_processor
    def inject():
        user = current_user._get_current_object()  # once, not through the proxy on every check
        return {
            "can": lambda action, *records: can(user, action, *records),
            "languages": current_app.config["LANGUAGES"],
            "current_language": i18n.current_language(),
            "text_direction": i18n.text_direction(),
            # Flask-WTF's, except inside kept fragments (see coordination.fragments).
            "csrf_token": csrf_token,
        }

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["web_link"] = web_link
    app.jinja_env.filters["in_zone"] = i18n.format_in_zone
    app.jinja_env.filters["time_in_zone"] = i18n.format_time_in_zone
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["external_url"] = external_url


def page_url(number: int) -> str:
    """This page's address with the same filters, at page `number`."""
    args = request.args.to_dict()
    args["page"] = number
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def navigation() -> Markup:
    """The navigation bar: the same for a given user and language, so kept between pages."""
    signed_in = current_user.is_authenticated
    # The catalogue's links show to anonymous visitors only while CATALOGUE_PUBLIC is on.
    key = (
        "navigation",
        i18n.current_language(),
        current_user.id if signed_in else None,
        bool(current_app.config.get("CATALOGUE_PUBLIC")),
    )
    return fragments.get_or_render(
        DIRECTORY_AREA if signed_in else None,
        key,
        lambda: render_template("_navigation.html"),
    )


@functools.cache
def _static_url(script_root: str, filename: str) -> str:
    return url_for("static", filename=filename)


def static_url(filename: str) -> str:
    """url_for("static", ...) computed once per file."""
    return _static_url(request.script_root, filename)
