"""What every template can use: `can`, the language bar, Markdown, dates in the viewer's zone."""

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from coordination import i18n
from coordination.markup import render_markdown
from coordination.permissions import can


def register(app: Flask) -> None:
    @app.context_processor
    def inject():
        return {
            "can": lambda action, obj=None: can(current_user, action, obj),
            "languages": current_app.config["LANGUAGES"],
            "current_language": i18n.current_language(),
            "text_direction": i18n.text_direction(),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["get_locale"] = get_locale


def page_url(number: int) -> str:
    """This page's address with the same filters, at page `number`."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)
