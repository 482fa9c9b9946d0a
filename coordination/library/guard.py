"""The personal-data guard: migrant case data must never enter the shared space.

It looks in a document's text for what case files hold and service guides do not: passport-like
numbers, phone numbers and e-mail addresses in bulk, dates of birth next to names. A guide may
give one help-line number or contact address; a list of people is what holds a document back.
"""

import re

from flask_babel import lazy_gettext as _l

PASSPORT = re.compile(r"\b[A-Z]{1,2}[ -]?\d{6,9}\b")
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s().-]{7,16}\d\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
DATE = re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\b")
BIRTH = re.compile(
    r"(?i)\b(?:d\.?o\.?b\.?|date of birth|born|né|née|date de naissance|تاريخ الميلاد)\b|تاريخ الميلاد"
)
NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b|[\u0600-\u06ff]{2,}\s+[\u0600-\u06ff]{2,}")

PASSPORTS_ALLOWED = 2
PHONES_ALLOWED = 5
EMAILS_ALLOWED = 5
BIRTH_DATES_ALLOWED = 1

REASONS = {
    "passport": _l("it contains several passport-like numbers"),
    "phone": _l("it contains many phone numbers"),
    "email": _l("it contains many e-mail addresses"),
    "birth": _l("it contains dates of birth next to names"),
    "archive": _l(
        "its content goes beyond what the library reads (size, compression), so it was not checked"
    ),
}


def personal_data_findings(text: str) -> list[str]:
    """The kinds of personal data found in bulk in `text` (keys of REASONS); empty when none."""
    findings = []
    if len(set(PASSPORT.findall(text))) > PASSPORTS_ALLOWED:
        findings.append("passport")
    if len(set(PHONE.findall(text))) > PHONES_ALLOWED:
        findings.append("phone")
    if len(set(EMAIL.findall(text))) > EMAILS_ALLOWED:
        findings.append("email")
    if _dates_of_birth_next_to_names(text) > BIRTH_DATES_ALLOWED:
        findings.append("birth")
    return findings


def _dates_of_birth_next_to_names(text: str) -> int:
    """Lines holding a name and a date, where the text speaks of birth (or the line does)."""
    speaks_of_birth = bool(BIRTH.search(text))
    count = 0
    for line in text.splitlines():
        if DATE.search(line) and NAME.search(line) and (speaks_of_birth or BIRTH.search(line)):
            count += 1
    return count
