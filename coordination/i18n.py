"""Language choice: the user's preference, else the language bar's choice, else the browser."""

import functools
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel.support import Translations
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from wtforms.i18n import messages_path

RTL_LANGUAGES = {"ar"}
LOGIN_REQUIRED_MESSAGE = _l("Please sign in to see this page.")


def select_locale() -> str:
    """Babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command or a worker: mail is rendered with force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.preferred_language in languages:
        return current_user.preferred_language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(list(languages)) or "en"


_catalogues: dict[object, object] = {}


def _locale():
    """Flask-Babel's locale of the moment, read where it keeps it for the request (force_locale
    sets the same place) rather than through its three context look-ups; else asked for."""
    try:
        locale = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet in this request, or no app context
        locale = None
    return locale or get_locale()


def _catalogue():
    """The current language's catalogue, from a per-process cache keyed by the locale.

    Flask-Babel looks the catalogue up through several context proxies on every call, which
    made translation the largest cost of rendering a page; the locale (which force_locale
    changes for mail) is still read on each call.
    """
    locale = _locale()
    catalogue = _catalogues.get(locale)
    if catalogue is None:
        catalogue = _catalogues[locale] = get_translations()
    return catalogue


def _translate(text: str, /, **variables) -> str:
    translated = _catalogue().ugettext(text)
    return translated % variables if variables else translated


def lazy_gettext(text: str, /, **variables) -> LazyString:
    """Flask-Babel's lazy_gettext over the per-process catalogues: translated in the language
    current when shown (force_locale included), without Flask-Babel's look-ups on each use. For
    labels shown on every row (an organization's kind, a person's role)."""
    return LazyString(_translate, text, **variables)


_wtforms_catalogues: dict[str, Translations] = {}


class WTFormsTranslations:
    """WTForms' own messages ("Not a valid choice.") in the current language, each language's
    catalogue read once per process: Flask-WTF reads the file again on every request."""

    def _catalogue(self) -> Translations:
        language = current_language()
        catalogue = _wtforms_catalogues.get(language)
        if catalogue is None:
            catalogue = Translations.load(messages_path(), [language], domain="wtforms")
            _wtforms_catalogues[language] = catalogue
        return catalogue

    def gettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


wtforms_translations = WTFormsTranslations()


class _CurrentCatalogue:
    """The catalogue of the language current at each call (templates imported without context)."""

    def ugettext(self, text):
        return _catalogue().ugettext(text)

    def ungettext(self, singular, plural, n):
        return _catalogue().ungettext(singular, plural, n)

    def upgettext(self, context, text):
        return _catalogue().upgettext(context, text)

    def unpgettext(self, context, singular, plural, n):
        return _catalogue().unpgettext(context, singular, plural, n)


def template_gettext(catalogue) -> dict:
    """Jinja's `_`, `gettext` and `ngettext` over `catalogue`, with newstyle gettext's behaviour
    (escaped, always %-formatted) but without its two extra calls and name look-up per string."""

    @pass_context
    def gettext(context, text, /, **variables):
        translated = catalogue.ugettext(text)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)  # noqa: S704 - a translator's text, as Jinja's own gettext
        return translated % variables

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        translated = catalogue.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)  # noqa: S704
        return translated % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def render_gettext() -> dict:
    """`template_gettext` over the current language's catalogue, looked up once: a template
    context processor gives it to each render (a mail rendered under force_locale included)."""
    return template_gettext(_catalogue())


def install_template_gettext(app) -> None:
    """Give Jinja's _(), gettext and ngettext the cached catalogues (same newstyle behaviour)."""
    current = _CurrentCatalogue()
    app.jinja_env.install_gettext_callables(
        gettext=current.ugettext,
        ngettext=current.ungettext,
        newstyle=True,
        pgettext=current.upgettext,
        npgettext=current.unpgettext,
    )
    # Macros imported without context see the globals only: they look the language up per string.
    app.jinja_env.globals.update(template_gettext(current))


_codes: dict[object, str] = {}


def current_language() -> str:
    """The current language's code ("en", "fr", "ar"); asked on every row of some lists."""
    locale = _locale()
    code = _codes.get(locale)
    if code is None:
        code = _codes[locale] = str(locale or "en")
    return code


def text_direction() -> str:
    return "rtl" if current_language() in RTL_LANGUAGES else "ltr"


def format_in_zone(moment, timezone: str, format: str = "medium") -> str:
    """`moment` (aware) as wall-clock time in `timezone`, written the viewer's way."""
    if moment is None:
        return ""
    return _format_datetime(moment, timezone, format, current_language())


def format_time_in_zone(moment, timezone: str) -> str:
    if moment is None:
        return ""
    return _format_time(moment, timezone, current_language())


# Babel takes a fraction of a millisecond per date, and pages show the same dates again and again.
@functools.lru_cache(maxsize=8192)
def _format_datetime(moment, timezone: str, format: str, language: str) -> str:
    return babel_dates.format_datetime(moment, format=format, tzinfo=ZoneInfo(timezone), locale=language)


@functools.lru_cache(maxsize=8192)
def _format_time(moment, timezone: str, language: str) -> str:
    return babel_dates.format_time(moment, format="short", tzinfo=ZoneInfo(timezone), locale=language)
