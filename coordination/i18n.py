"""Language choice: the user's preference, else the language bar's choice, else the browser."""

from flask import current_app, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

RTL_LANGUAGES = {"ar"}
LOGIN_REQUIRED_MESSAGE = _l("Please sign in to see this page.")


def select_locale() -> str:
    """Babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.preferred_language in languages:
        return current_user.preferred_language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(list(languages)) or "en"


def current_language() -> str:
    return str(get_locale() or "en")


def text_direction() -> str:
    return "rtl" if current_language() in RTL_LANGUAGES else "ltr"
