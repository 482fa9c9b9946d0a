"""Texts kept in three languages as a JSON map {"en": ..., "fr": ..., "ar": ...}.

Shared by every area whose records carry their own translations (services, criteria,
announcements). A map per text rather than a translation table: a record's texts are read and
saved together, and a revision snapshots them as they are. English is the reference language; a
reader whose language is missing gets the English text with a visible mark.
"""

from dataclasses import dataclass

LANGUAGES = ("en", "fr", "ar")
REFERENCE = "en"


@dataclass(frozen=True)
class Localized:
    """A text in the reader's language, or in `language` when it had to fall back."""

    text: str
    language: str
    fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def localize(texts: dict | None, language: str) -> Localized:
    """`texts` in `language`, else in English (marked as a fallback), else in any language there is."""
    texts = texts or {}
    if texts.get(language):
        return Localized(texts[language], language, False)
    for other in (REFERENCE, *LANGUAGES):
        if texts.get(other):
            return Localized(texts[other], other, True)
    return Localized("", language, False)


def clean_map(texts: dict | None) -> dict:
    """The map without blank entries, each text stripped."""
    result = {}
    for language in LANGUAGES:
        value = (texts or {}).get(language)
        if isinstance(value, str) and value.strip():
            result[language] = value.strip()
    return result


def missing_languages(texts: dict | None) -> list[str]:
    """The languages a text that exists in some language still lacks (nothing when it is empty)."""
    texts = texts or {}
    if not any(texts.get(language) for language in LANGUAGES):
        return []
    return [language for language in LANGUAGES if not texts.get(language)]
