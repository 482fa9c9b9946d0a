"""ISO 3166 country codes with their names in the viewer's language (from Babel's CLDR data)."""

import unicodedata

from babel import Locale
from flask_babel import get_locale


def country_names() -> dict[str, str]:
    """Two-letter code → name in the current language, for every country CLDR knows."""
    locale = get_locale() or Locale("en")
    return {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
    }


def country_choices() -> list[tuple[str, str]]:
    names = country_names()
    return sorted(names.items(), key=lambda item: _sort_key(item[1]))


def _sort_key(name: str) -> str:
    # Accents folded so that "Bénin" sorts beside "Belgique", not after "Burundi".
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return country_names().get(code, code)
