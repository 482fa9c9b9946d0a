"""The personal-data guard: migrant case data must never enter the shared space.

A core module: the library runs it on every file and typed text, the suggestions on what members
type, and any area where organizations read each other's words may call `refuse_personal_data`.

It looks in a document's text for what case files hold and service guides do not: passport, case
and identity numbers, phone numbers and e-mail addresses in bulk, people listed with their dates
of birth or identity numbers. A guide may give one help-line number or contact address, an agenda
dates and speakers; a list of people is what holds a document back.

The text is read as records: a line of text or a row of a table (its cells joined on one line) is
one record, so a list is recognised however its file lays it out. It is read as it comes, page by
page (`Scan.feed`), so no page of a long file escapes it.
"""

import re
import unicodedata
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.errors import ValidationFailed

# More than this many distinct numbers of a kind, or records, make a list of people.
PASSPORTS_ALLOWED = 2
IDS_ALLOWED = 2
PHONES_ALLOWED = 5
EMAILS_ALLOWED = 5
BIRTH_DATES_ALLOWED = 1
RECORDS_ALLOWED = 1
# Names next to old dates, with no word of birth anywhere: a list only from this many on.
UNLABELLED_BIRTHS_ALLOWED = 2
# Lines of a table column holding nothing but past dates, in a text that speaks of birth.
DATE_COLUMN_ALLOWED = 3
# A person's date of birth is this many years old at least when nothing says it is one.
ADULT_YEARS = 15
# A record is short: a row of a table, not a sentence of a report.
RECORD_WORDS = 10

REASONS = {
    "passport": _l("it contains several passport-like numbers"),
    "ids": _l("it contains several identity or case numbers"),
    "records": _l("it lists people with their identity numbers"),
    "phone": _l("it contains many phone numbers"),
    "email": _l("it contains many e-mail addresses"),
    "birth": _l("it contains dates of birth next to names"),
    "unreadable": _l(
        "its text could not be read (a picture or a scan without legible text, or a protected or "
        "damaged file): an organizer reads it before it is shared"
    ),
    "archive": _l(
        "its content goes beyond what the library reads (size, compression), so it was not checked"
    ),
}

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize(text: str) -> str:
    """Text as the patterns read it: Arabic-Indic and full-width digits as ASCII, no invisible marks."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS)
    # Zero-width and direction marks (category Cf) and the Arabic tatweel hide a number from a pattern.
    return "".join(ch for ch in text if ch != "ـ" and unicodedata.category(ch) != "Cf").replace("،", ",")


# Short words that stand before a number in ordinary prose ("to 1500000", "LE 2000000", "No. 1234567").
_NOT_PREFIXES = {
    "a", "an", "as", "at", "au", "by", "de", "du", "en", "et", "eu", "il", "in", "is", "la", "le",
    "no", "nr", "of", "on", "or", "ou", "rs", "to", "un", "up", "us", "y",
}  # fmt: skip
PASSPORT = re.compile(r"(?<![^\W\d_])(?<![\d/])([A-Za-z]{1,2})[ \t]?[/\\\-.:#]?[ \t]?(\d{6,9})(?![\d])")
CASE_NUMBER = re.compile(
    # UNHCR registration: case 123-21C12345 or EGY-21C012345; individual 123-00123456.
    r"(?<![\w-])(?:(?:\d{3}|[A-Za-z]{3})-\d{2}[A-Za-z]\d{5,6}|\d{3}-\d{8})(?![\w-])"
    # IOM and other case files: EG1-2023-00123, CAI/2024/0457
    r"|(?<![\w/-])[A-Za-z]{2,3}\d?[/-](?:19|20)\d{2}[/-]\d{3,6}(?![\w/-])"
)
NATIONAL_ID = re.compile(r"(?<!\d)[23]\d{13}(?!\d)")  # Egypt's 14-digit national number
# A number under a label that names a person's file (not "No." or "Ref.", which laws and letters use).
LABELLED_ID = re.compile(
    r"(?i)(?<!\w)(?:case|file|id|passport|passeport|dossier|matricule|جواز|ملف|قضية|حالة|هوية|بطاقة)"
    r"\.?\s*(?:no\.?|n°|number|#)?\s*[:#.]?\s*([A-Za-z]{0,3}[/-]?\d[\d/-]{3,}\d)"
)
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s().-]{7,16}\d\b")
# What PHONE also matches and is not a phone number: 2019-2023, 12 500 000.
NOT_PHONE = re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}|[1-9]\d{0,2}(?:[ .,]\d{3}){2,}")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")

_MONTHS = {
    **dict.fromkeys(["january", "jan", "janvier", "janv", "يناير", "كانون الثاني"], 1),
    **dict.fromkeys(["february", "feb", "février", "fevrier", "févr", "fevr", "فبراير", "شباط"], 2),
    **dict.fromkeys(["march", "mar", "mars", "مارس", "آذار", "اذار"], 3),
    **dict.fromkeys(["april", "apr", "avril", "avr", "أبريل", "ابريل", "إبريل", "نيسان"], 4),
    **dict.fromkeys(["may", "mai", "مايو", "أيار", "ايار"], 5),
    **dict.fromkeys(["june", "jun", "juin", "يونيو", "يونيه", "حزيران"], 6),
    **dict.fromkeys(["july", "jul", "juillet", "juil", "يوليو", "يوليه", "تموز"], 7),
    **dict.fromkeys(["august", "aug", "août", "aout", "أغسطس", "اغسطس", "آب"], 8),
    **dict.fromkeys(["september", "sep", "sept", "septembre", "سبتمبر", "أيلول", "ايلول"], 9),
    **dict.fromkeys(["october", "oct", "octobre", "أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"], 10),
    **dict.fromkeys(["november", "nov", "novembre", "نوفمبر", "تشرين الثاني"], 11),
    **dict.fromkeys(["december", "dec", "décembre", "decembre", "déc", "ديسمبر", "كانون الأول"], 12),
    "كانون الاول": 12,
}
_MONTH = "|".join(sorted((re.escape(name) for name in _MONTHS), key=len, reverse=True))
DATE = re.compile(
    rf"(?i)(?<![\w.])(?:"
    r"(?P<d1>\d{1,2})\s*(?P<s1>[/.-])\s*(?P<m1>\d{1,2})\s*(?P=s1)\s*(?P<y1>\d{4}|\d{2})"
    r"|(?P<y2>(?:19|20)\d{2})\s*(?P<s2>[/.-])\s*(?P<m2>\d{1,2})\s*(?P=s2)\s*(?P<d2>\d{1,2})"
    r"|(?P<d3>\d{1,2})\s(?P<m3>\d{1,2})\s(?P<y3>(?:19|20)\d{2})"
    rf"|(?P<d4>\d{{1,2}})(?:st|nd|rd|th|er|ère)?\.?\s*(?:of\s+|de\s+)?(?P<m4>{_MONTH})\.?,?\s*(?P<y4>\d{{4}})"
    rf"|(?P<m5>{_MONTH})\.?\s*(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y5>\d{{4}})"
    r")(?![\w])"
)
BIRTH = re.compile(
    r"(?i)(?<!\w)(?:d\.?o\.?b|date\s+of\s+birth|birth\s*date|birthday|born|birth|"
    r"né|née|né\(e\)|ne\(e\)|date\s+de\s+naissance|naissance|d\.?d\.?n|"
    r"تاريخ\s+الميلاد|تاريخ\s+ميلاد|الميلاد|مواليد|مولود|مولودة|تولد)(?!\w)"
)
# Words that say what a column holds, not who: they are not part of a name.
_LABELS = {
    "name", "names", "nom", "noms", "prénom", "surname", "passport", "passeport", "date", "dob", "id",
    "case", "file", "phone", "tel", "no", "number", "numéro", "الاسم", "اسم", "جواز", "السفر", "رقم",
}  # fmt: skip
_NOT_NAMES = _LABELS | _MONTHS.keys()
# Little words of sentences: a line with two of them is prose ("adopted on 28 July 1951 in Geneva"),
# not a record of a list.
_PROSE = {
    "the", "of", "in", "on", "at", "to", "was", "were", "is", "are", "and", "for", "with", "by", "from",
    "has", "have", "this", "that", "will", "le", "la", "les", "des", "du", "de", "un", "une", "et", "au",
    "aux", "pour", "par", "sur", "dans", "est", "sont", "été", "في", "من", "على", "إلى", "الى", "عن",
    "مع", "هذا", "هذه", "التي", "الذي", "تم",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{2,}")


def _full_date(match: re.Match) -> date | None:
    groups = match.groupdict()
    for n in "12345":
        if groups.get(f"y{n}"):
            day, month, year = groups[f"d{n}"], groups[f"m{n}"], groups[f"y{n}"]
            break
    else:
        return None
    month = _MONTHS.get(month.lower()) if not month.isdigit() else int(month)
    day, year = int(day), int(year)
    if year < 100:  # 12/03/90: a two-digit year is of this century only when it is already past
        year += 2000 if year <= date.today().year % 100 else 1900
    if month and month > 12 and day <= 12:  # 03/25/1990, the American way
        day, month = month, day
    try:
        return date(year, month or 0, day) if 1900 <= year <= 2100 else None
    except ValueError:
        return None


class Scan:
    """The guard reading a text as it comes; `findings()` once the whole text has been fed."""

    def __init__(self) -> None:
        self.passports: set[str] = set()
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.labelled_births: set[date] = set()
        self.births = 0  # a name and a date on a line that speaks of birth
        self.dated_names = 0  # a name and a past date: a birth if the text speaks of birth
        self.old_dated_names = 0  # a name and an adult's date, in a short line
        self.date_column: set[date] = set()  # lines of nothing but a past date
        self.records = 0  # a name and an identity number
        self.speaks_of_birth = False
        self._previous_name = False  # the line before held a name and nothing else
        self.today = date.today()
        self.a_year_ago = self.today - timedelta(days=365)

    def feed(self, text: str) -> None:
        for line in normalize(text).splitlines():
            self._line(line)

    def _line(self, line: str) -> None:
        if not line.strip():
            return
        today = self.today
        numbers = self._numbers(line)
        undated = DATE.sub(" ", line)  # 12.03.1990 is a date, not a phone number
        for match in PHONE.finditer(undated):
            digits = re.sub(r"\D", "", match.group())
            phone = len(digits) >= 8 and not NOT_PHONE.fullmatch(match.group().strip())
            if phone and _cap(self.phones, PHONES_ALLOWED):
                self.phones.add(digits)
        for match in EMAIL.finditer(line):
            if _cap(self.emails, EMAILS_ALLOWED):
                self.emails.add(match.group().lower())
        dates = [found for found in map(_full_date, DATE.finditer(line)) if found]
        birth_here = bool(BIRTH.search(line))
        self.speaks_of_birth = self.speaks_of_birth or birth_here
        if birth_here:
            for match in BIRTH.finditer(line):
                labelled = DATE.search(line, match.end(), match.end() + 40)
                found = _full_date(labelled) if labelled else None
                if found and _cap(self.labelled_births, BIRTH_DATES_ALLOWED):
                    self.labelled_births.add(found)
        rest = undated
        for pattern in (EMAIL, PHONE, PASSPORT, CASE_NUMBER, BIRTH):
            rest = pattern.sub(" ", rest)
        words = [word for word in _WORD.findall(rest) if word.lower() not in _NOT_NAMES]
        named = len(words) >= 2 or (self._previous_name and not words)
        prose = sum(word.lower() in _PROSE for word in words) >= 2
        past = [found for found in dates if found < today]
        # A text that speaks of birth somewhere (a form's "date of birth" field) still holds other
        # dates: those of the last year are its own (issued, revised), not the people's.
        aged = [found for found in past if found <= self.a_year_ago]
        if named and numbers:
            self.records += 1
        if named and past and not prose:
            if birth_here:
                self.births += 1
            elif len(words) <= RECORD_WORDS and aged:
                self.dated_names += 1
                if any(found.year <= today.year - ADULT_YEARS for found in aged):
                    self.old_dated_names += 1
        if aged and not words and _cap(self.date_column, DATE_COLUMN_ALLOWED):
            self.date_column.update(aged)
        self._previous_name = len(words) >= 2 and not dates and not numbers

    def _numbers(self, line: str) -> bool:
        """Note the identity numbers of `line`; whether it holds a passport, case or national number."""
        found = False
        for match in PASSPORT.finditer(line):
            letters, digits = match.groups()
            spelled = match.group()
            attached = letters.isupper() and not re.search(r"\s", spelled)  # A1234567, not "to 1500000"
            if letters.lower() in _NOT_PREFIXES and not (attached or re.search(r"[/\\#]", spelled)):
                continue
            found = True
            if _cap(self.passports, PASSPORTS_ALLOWED):
                self.passports.add(letters.upper() + digits)
        for pattern in (CASE_NUMBER, NATIONAL_ID):
            for match in pattern.finditer(line):
                found = True
                if _cap(self.ids, IDS_ALLOWED):
                    self.ids.add(match.group().upper())
        for match in LABELLED_ID.finditer(line):
            token = match.group(1)
            number = sum(ch.isdigit() for ch in token) >= 5 and DATE.fullmatch(token) is None
            if number and _cap(self.ids, IDS_ALLOWED):
                self.ids.add(re.sub(r"[^0-9A-Z]", "", token.upper()))
        return found

    def findings(self) -> list[str]:
        """The kinds of personal data found in bulk (keys of REASONS); empty when none."""
        found = []
        if len(self.passports) > PASSPORTS_ALLOWED:
            found.append("passport")
        elif len(self.ids | self.passports) > IDS_ALLOWED:
            found.append("ids")
        if self.records > RECORDS_ALLOWED and not found:
            found.append("records")
        if len(self.phones) > PHONES_ALLOWED:
            found.append("phone")
        if len(self.emails) > EMAILS_ALLOWED:
            found.append("email")
        births = self.births + (self.dated_names if self.speaks_of_birth else 0)
        if (
            births > BIRTH_DATES_ALLOWED
            or len(self.labelled_births) > BIRTH_DATES_ALLOWED
            or self.old_dated_names > UNLABELLED_BIRTHS_ALLOWED
            or (self.speaks_of_birth and len(self.date_column) > DATE_COLUMN_ALLOWED)
        ):
            found.append("birth")
        return found


def _cap(found: set, allowed: int) -> bool:
    """Whether to keep noting: one past what is allowed is enough to decide, and bounds the memory."""
    return len(found) <= allowed


def personal_data_findings(text: str) -> list[str]:
    """The kinds of personal data found in bulk in `text` (keys of REASONS); empty when none."""
    scan = Scan()
    scan.feed(text)
    return scan.findings()


def refuse_personal_data(field: str, *texts: str | None) -> None:
    """Raise ValidationFailed on `field` when `texts` (typed by a member, shown to others) together
    hold personal data in bulk: typed text is refused, never held, so what was typed stays in the form."""
    findings = personal_data_findings("\n".join(text for text in texts if text))
    if findings:
        raise ValidationFailed(
            _(
                "This looks like personal data of migrants (%(reasons)s). Lists of people, their "
                "documents and contacts stay in case files: remove them to share the rest.",
                reasons="; ".join(str(REASONS[finding]) for finding in findings),
            ),
            field=field,
        )
