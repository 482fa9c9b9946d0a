"""ISO 3166 country codes with their names in the viewer's language (from Babel's CLDR data).

The names, the sorted choices and the rendered <option> list are built once per language:
rebuilding them from CLDR on every row and every request was most of the directory's cost.
"""

import unicodedata
from functools import cache, lru_cache

from babel import Locale
from markupsafe import Markup
from wtforms import SelectField, ValidationError
from wtforms.widgets import html_params

from coordination.i18n import current_language

# WTForms' own message, translated by WTForms' catalogues (a variable, so our extraction skips it).
WTFORMS_INVALID_CHOICE = "Not a valid choice."
NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}


@cache
def _names(language: str) -> dict[str, str]:
    return {
        code: name
        for code, name in Locale.parse(language).territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_names(language).items(), key=lambda item: _sort_key(item[1])))


def _sort_key(name: str) -> str:
    # Accents folded so that "Bénin" sorts beside "Belgique", not after "Burundi".
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def country_names() -> dict[str, str]:
    """Two-letter code → name in the current language, for every country CLDR knows."""
    return _names(current_language())


def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs in the current language, sorted by name."""
    return _choices(current_language())


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _names(current_language()).get(code, code)


@lru_cache(maxsize=1024)
def _options(language: str, selected: str, blank_label: str) -> Markup:
    options = [
        Markup('<option value=""%s>%s</option>') % (Markup(" selected") if not selected else "", blank_label)
    ]
    for code, name in _choices(language):
        mark = Markup(" selected") if code == selected else ""
        options.append(Markup('<option value="%s"%s>%s</option>') % (code, mark, name))
    return Markup("").join(options)


class CountryField(SelectField):
    """A country <select>: validated by a dictionary lookup and rendered from the per-language cache."""

    def __init__(self, label=None, validators=None, blank_label="—", **kwargs):
        super().__init__(label, validators, validate_choice=False, **kwargs)
        self.blank_label = blank_label

    def iter_choices(self):
        yield ("", str(self.blank_label), not self.data, {})
        for code, name in country_choices():
            yield (code, name, code == self.data, {})

    def pre_validate(self, form) -> None:
        if self.data and self.data not in country_names():
            raise ValidationError(self.gettext(WTFORMS_INVALID_CHOICE))

    def __call__(self, **kwargs) -> Markup:
        kwargs.setdefault("id", self.id)
        return (
            # html_params escapes every value it writes.
            Markup("<select %s>") % Markup(html_params(name=self.name, **kwargs))  # noqa: S704
            + _options(current_language(), self.data or "", str(self.blank_label))
            + Markup("</select>")
        )
