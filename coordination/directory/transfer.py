"""Importing and exporting the directory as CSV or XLSX: read a file, check it, write it, export."""

import csv
import io
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coordination import archives
from coordination.audit.rules import record_event
from coordination.auth.models import Role, User
from coordination.auth.rules import normalize_email
from coordination.directory.countries import country_names
from coordination.directory.models import Organization, OrganizationKind
from coordination.directory.policy import assignable_roles
from coordination.directory.rules import set_organization_active, set_person_active
from coordination.errors import InvalidToken, ValidationFailed
from coordination.extensions import db
from coordination.policy import require
from coordination.spreadsheets import FORMULA_STARTS, to_csv, to_xlsx

MAX_ROWS = 5000
MAX_COLUMNS = 50
# An XLSX is a zip: refuse one that would inflate beyond this (a "zip bomb"), or beyond the
# ARCHIVE_MAX_* settings (ratio, number of files, total) when they are lower.
MAX_UNZIPPED_SIZE = 50 * 1024 * 1024
# openpyxl holds some of a workbook's XML whole (shared strings, styles, each row as a tree): the
# most its parts may hold, far above what 5,000 rows of 50 columns need.
MAX_XML_PART_SIZE = 10 * 1024 * 1024
MAX_CHILDREN = 100_000
MAX_ROW_ELEMENTS = 10_000
# How long an uploaded file waits for its "Confirm import", in seconds.
STASH_MAX_AGE = 3600

ORGANIZATION_COLUMNS = ("name", "kind", "country", "city", "address", "email", "phone", "website", "active")
PEOPLE_COLUMNS = (
    "name",
    "email",
    "organization",
    "position",
    "role",
    "preferred_language",
    "phone",
    "receives_invitations",
    "active",
)
COLUMNS = {"organizations": ORGANIZATION_COLUMNS, "people": PEOPLE_COLUMNS}
REQUIRED_COLUMNS = {"organizations": ("name", "kind"), "people": ("name", "email", "organization")}
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LANGUAGES = ("en", "fr", "ar")

# Characters that make a spreadsheet read a cell as a formula (or shift it into one).
_TRUE = {"yes", "true", "1", "y", "x", "oui", "vrai", "نعم"}
_FALSE = {"no", "false", "0", "n", "non", "faux", "لا"}
_KIND_ALIASES = {"community_organization": "community", "community_organisation": "community"}
_LANGUAGE_ALIASES = {
    "english": "en",
    "anglais": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "arabic": "ar",
    "arabe": "ar",
    "العربية": "ar",
}
_STASH_NAME = re.compile(r"^[A-Za-z0-9_-]{32}$")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

NOT_READABLE = _l(
    "This file is neither an XLSX workbook nor CSV text in UTF-8. In your spreadsheet, save it as "
    "“CSV UTF-8” or as an “Excel workbook (.xlsx)” and try again."
)


@dataclass
class RowError:
    field: str | None
    message: str


@dataclass
class ImportRow:
    """One line of the file: what it says, what is wrong with it, and what importing it would do."""

    number: int
    cells: dict[str, str]
    values: dict = field(default_factory=dict)
    record: Organization | User | None = None
    changes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str | None, message) -> None:
        self.errors.append(RowError(column, message))

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        if self.record is None:
            return "create"
        return "update" if self.changes else "unchanged"


@dataclass
class ImportPlan:
    """A checked file: its rows with their errors and actions; nothing of it is written yet."""

    what: str
    columns: list[str]
    rows: list[ImportRow]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("create", "update", "unchanged", "error"), 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts


@dataclass
class StashedImport:
    """An uploaded file kept on disk between its preview and its confirmation."""

    path: Path
    what: str
    data: bytes


def check_import(actor, what: str, data: bytes) -> ImportPlan:
    """Read and check a file of organizations or people, writing nothing; raises ValidationFailed."""
    require(actor, "directory.import")
    columns, rows = _read_table(data, what)
    plan = ImportPlan(what=what, columns=columns, rows=rows)
    if what == "organizations":
        _check_organizations(plan)
    else:
        _check_people(actor, plan)
    return plan


def import_file(actor, what: str, data: bytes) -> ImportPlan:
    """Check a file and write all of it (flushes, never commits); raises ValidationFailed on a bad row."""
    plan = check_import(actor, what, data)
    if not plan.valid:
        raise ValidationFailed(_l("The file has errors: nothing has been imported."))
    if what == "organizations":
        _write_organizations(actor, plan)
    else:
        _write_people(actor, plan)
    counts = plan.counts
    record_event(
        actor,
        "directory.import",
        None,
        what=what,
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
    )
    return plan


def export_file(actor, what: str, fmt: str) -> bytes:
    """The whole directory's organizations or people, inactive ones included, as CSV or XLSX bytes."""
    require(actor, "directory.export")
    rows = [list(COLUMNS[what]), *(_organization_rows() if what == "organizations" else _people_rows())]
    return to_csv(rows) if fmt == "csv" else to_xlsx(rows, what)


def stash_file(actor, what: str, data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns the signed token that names it."""
    folder = _stash_folder()
    _remove_stale(folder)
    name = secrets.token_urlsafe(24)
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
    return _serializer().dumps({"f": name, "w": what, "u": actor.id})


def load_stashed_file(actor, what: str, token: str) -> StashedImport:
    """The file a token from `stash_file` names; raises InvalidToken if forged, expired or spent."""
    try:
        payload = _serializer().loads(token, max_age=STASH_MAX_AGE)
    except SignatureExpired as exc:
        raise InvalidToken(_l("This import has expired: upload the file again.")) from exc
    except BadSignature as exc:
        raise InvalidToken(_l("This import cannot be found: upload the file again.")) from exc
    if (
        not isinstance(payload, dict)
        or payload.get("u") != actor.id
        or payload.get("w") != what
        or not _STASH_NAME.match(str(payload.get("f", "")))
    ):
        raise InvalidToken(_l("This import cannot be found: upload the file again."))
    path = _stash_folder() / payload["f"]
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidToken(
            _l("This import has already been done or has expired: upload the file again.")
        ) from exc
    return StashedImport(path=path, what=what, data=data)


def discard_stashed_file(stashed: StashedImport) -> None:
    """Delete a kept upload once it has been imported (or can no longer be)."""
    stashed.path.unlink(missing_ok=True)


def _stash_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_stale(folder: Path) -> None:
    """Forget the uploads nobody confirmed in time."""
    deadline = time.time() - 2 * STASH_MAX_AGE
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < deadline:
                path.unlink()
        except FileNotFoundError:  # another request removed it first
            continue


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="roundtable.directory.import")


def _read_table(data: bytes, what: str) -> tuple[list[str], list[ImportRow]]:
    """The file's known columns and its non-blank rows; raises ValidationFailed if it cannot be used."""
    if not data:
        raise ValidationFailed(_l("The file is empty."), field="file")
    lines = _xlsx_lines(data) if data.startswith(b"PK\x03\x04") else _csv_lines(data)
    if not lines:
        raise ValidationFailed(_l("The file is empty."), field="file")
    (_header_number, header), *lines = lines
    if len(lines) > MAX_ROWS:
        raise ValidationFailed(
            _l("The file has more than %(max)d rows: split it into smaller files.", max=MAX_ROWS),
            field="file",
        )
    columns = _check_header(header, what)
    rows = []
    for number, cells in lines:
        row = ImportRow(number=number, cells={})
        for index, text in enumerate(cells):
            if index < len(columns) and columns[index]:
                row.cells[columns[index]] = text
            elif text:
                row.error(None, _l("This row has a value in a column without a name."))
        rows.append(row)
    return [column for column in columns if column], rows


def _check_header(header: list[str], what: str) -> list[str]:
    """The column names in file order ("" for unnamed ones); raises ValidationFailed on a bad header."""
    columns = [_column_key(text) for text in header]
    problems = []
    unknown = [name for name in dict.fromkeys(columns) if name and name not in COLUMNS[what]]
    if unknown:
        problems.append(
            _l(
                "Unknown columns: %(unknown)s. The columns of this kind of file are: %(expected)s.",
                unknown=", ".join(unknown),
                expected=", ".join(COLUMNS[what]),
            )
        )
    twice = [name for name in dict.fromkeys(columns) if name and columns.count(name) > 1]
    if twice:
        problems.append(_l("Columns that appear more than once: %(names)s.", names=", ".join(twice)))
    missing = [name for name in REQUIRED_COLUMNS[what] if name not in columns]
    if missing:
        problems.append(_l("Missing required columns: %(names)s.", names=", ".join(missing)))
    if problems:
        raise ValidationFailed(" ".join(str(problem) for problem in problems), field="file")
    return columns


def _column_key(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.lstrip("\ufeff").strip().lower())


def _csv_lines(data: bytes) -> list[tuple[int, list[str]]]:
    """The non-blank rows of CSV text, numbered as a spreadsheet shows them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(NOT_READABLE, field="file") from exc
    if _CONTROL_CHARACTERS.search(text):
        raise ValidationFailed(NOT_READABLE, field="file")
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal separator is a comma (French, Arabic settings), "," elsewhere.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _non_blank(enumerate(reader, start=1))
    except csv.Error as exc:
        raise ValidationFailed(
            _l("Row %(number)d cannot be read as CSV: %(error)s", number=reader.line_num, error=str(exc)),
            field="file",
        ) from exc


def _xlsx_lines(data: bytes) -> list[tuple[int, list[str]]]:
    """The non-blank rows of an XLSX workbook's first sheet, numbered as the spreadsheet shows them."""
    unreadable = _l("This workbook cannot be read. Open it in your spreadsheet and save it again.")
    # Checked before openpyxl opens it: openpyxl reads some parts (shared strings) whole.
    limit = min(MAX_UNZIPPED_SIZE, archives.limits()["max_total"])
    try:
        with archives.open_archive(data, max_total=limit) as archive:
            is_workbook = "xl/workbook.xml" in archive
            if is_workbook:
                _check_workbook_parts(archive)
    except ValueError as exc:  # XML that is not well formed: openpyxl would fail on it too
        raise ValidationFailed(unreadable, field="file") from exc
    except archives.ArchiveRefused as exc:
        if exc.code == "damaged":
            raise ValidationFailed(NOT_READABLE, field="file") from exc
        raise ValidationFailed(
            _l(
                "This workbook cannot be imported: %(reason)s. Split it into smaller files.",
                reason=exc.message,
            ),
            field="file",
        ) from exc
    if not is_workbook:
        raise ValidationFailed(NOT_READABLE, field="file")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged workbook
        raise ValidationFailed(unreadable, field="file") from exc
    try:
        rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        return _non_blank(enumerate(rows, start=1))
    except Exception as exc:
        raise ValidationFailed(unreadable, field="file") from exc
    finally:
        workbook.close()


class _PartShape:
    """Counts, as a part streams, the children of each open element and the elements of a row."""

    def __init__(self):
        self.children: list[int] = []
        self.in_row = 0  # elements of the current row, inner ones included

    def start(self, tag: str) -> None:
        if self.children:
            self.children[-1] += 1
            if self.children[-1] > MAX_CHILDREN:
                raise archives.refused("elements", MAX_CHILDREN)
        self.children.append(0)
        if self.in_row or tag == "row":
            self.in_row += 1
            if self.in_row > MAX_ROW_ELEMENTS:
                raise archives.refused("elements", MAX_ROW_ELEMENTS)

    def end(self, tag: str) -> None:
        self.children.pop()
        if tag == "row":
            self.in_row = 0


def _check_workbook_parts(archive: archives.Archive) -> None:
    """Refuse, before openpyxl reads them, the parts it would hold whole in memory: its string
    table and styles (lists of every item), each row (a tree of its cells); raises ArchiveRefused."""
    for name in archive.names:
        if name.endswith((".xml", ".rels")):
            shape = _PartShape()
            with archive.open_member(name, MAX_XML_PART_SIZE) as stream:
                archives.stream_xml(stream, shape.start, shape.end)


def _non_blank(numbered_rows) -> list[tuple[int, list[str]]]:
    """The rows holding something, as text, trailing empty cells dropped; stops past the row limit."""
    lines = []
    for number, values in numbered_rows:
        cells = [_cell_text(value) for value in values[: MAX_COLUMNS + 1]]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append((number, cells))
            if len(lines) > MAX_ROWS + 1:  # the header, then one row too many
                break
    return lines


def _cell_text(value) -> str:
    """A cell as trimmed text, with the quote that `neutralize` adds taken off again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, (datetime, date)):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:].strip()
    return text


def _text(row: ImportRow, column: str, max_length: int, required: bool = False) -> str | None:
    """A text cell, checked for presence and length; None when blank."""
    value = row.cells.get(column, "") or None
    if value is None and required:
        row.error(column, _l("This field is required."))
    elif value is not None and len(value) > max_length:
        row.error(column, _l("At most %(max)d characters.", max=max_length))
    return value


def _flag(row: ImportRow, column: str = "active") -> bool | None:
    """A yes/no cell; None when blank."""
    value = row.cells.get(column, "").lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    row.error(column, _l("Write yes or no."))
    return None


def _email(row: ImportRow, column: str, required: bool) -> str | None:
    value = _text(row, column, 254, required)
    if value is None:
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        row.error(column, _l("This is not a valid email address."))
    return value


def _country_codes() -> dict[str, str]:
    """Code, English name or name in the current language (lower-cased) → ISO 3166 code."""
    local = country_names()
    english = Locale("en").territories
    codes = {english[code].lower(): code for code in local if code in english}
    codes.update({name.lower(): code for code, name in local.items()})
    codes.update({code.lower(): code for code in local})
    return codes


def _check_organizations(plan: ImportPlan) -> None:
    existing = {
        organization.name.lower(): organization for organization in db.session.scalars(select(Organization))
    }
    codes = _country_codes()
    kinds = {kind.value for kind in OrganizationKind}
    seen: dict[str, int] = {}
    for row in plan.rows:
        values = {"name": _text(row, "name", 200, required=True)}
        if values["name"]:
            key = values["name"].lower()
            if key in seen:
                row.error("name", _l("The same organization is on row %(number)d.", number=seen[key]))
            seen.setdefault(key, row.number)
            row.record = existing.get(key)
        values["kind"] = kind = _choice(row, "kind", kinds, _KIND_ALIASES)
        if kind is None and "kind" not in _fields(row):
            row.error("kind", _l("This field is required."))
        country = row.record.country if row.record else None
        if "country" in plan.columns:
            text = row.cells.get("country", "")
            values["country"] = country = codes.get(text.lower()) if text else None
            if text and country is None:
                row.error(
                    "country", _l("This is not an ISO 3166 two-letter country code (such as SD or ER).")
                )
        if kind == OrganizationKind.EMBASSY and country is None and "country" not in _fields(row):
            row.error("country", _l("An embassy represents a country: give its two-letter code."))
        for column, max_length in (("city", 100), ("address", 300), ("phone", 50)):
            if column in plan.columns:
                values[column] = _text(row, column, max_length)
        if "email" in plan.columns:
            values["email"] = _email(row, "email", required=False)
        if "website" in plan.columns:
            values["website"] = website = _text(row, "website", 300)
            if website and not _is_web_address(website):
                row.error("website", _l("Give a web address starting with http:// or https://."))
        active = _flag(row)
        if row.record is None:
            values["active"] = True if active is None else active
        else:
            if active is not None:
                values["active"] = active
            row.changes = [name for name, value in values.items() if getattr(row.record, name) != value]
        row.values = values


def _fields(row: ImportRow) -> set[str | None]:
    return {error.field for error in row.errors}


def _is_web_address(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in {"http", "https"} and "." in parts.netloc and " " not in text


def _check_people(actor, plan: ImportPlan) -> None:
    organizations = {
        organization.name.lower(): organization for organization in db.session.scalars(select(Organization))
    }
    emails = {normalize_email(row.cells["email"]) for row in plan.rows if row.cells.get("email")}
    existing = {}
    if emails:
        query = select(User).where(User.email.in_(emails)).options(joinedload(User.organization))
        existing = {person.email: person for person in db.session.scalars(query)}
    seen: dict[str, int] = {}
    for row in plan.rows:
        values = {"name": _text(row, "name", 200, required=True)}
        email = _email(row, "email", required=True)
        person = None
        if email:
            email = normalize_email(email)
            if email in seen:
                row.error("email", _l("The same address is on row %(number)d.", number=seen[email]))
            seen.setdefault(email, row.number)
            person = row.record = existing.get(email)
        values["email"] = email
        values["organization"] = organization = _person_organization(row, person, organizations)
        for column, max_length in (("position", 200), ("phone", 50)):
            if column in plan.columns:
                values[column] = _text(row, column, max_length)
        role = _choice(row, "role", {role.value for role in Role}, {})
        if role is None:
            role = person.role if person else Role.MEMBER
        elif (person is None or role != person.role) and role not in assignable_roles(actor, organization):
            row.error("role", _l("You may not give this role."))
        if person is not None and person.id == actor.id and role != person.role:
            row.error("role", _l("You cannot change your own role."))
        values["role"] = role
        language = _choice(row, "preferred_language", set(LANGUAGES), _LANGUAGE_ALIASES)
        values["preferred_language"] = language or (person.preferred_language if person else "en")
        contact = _flag(row, "receives_invitations")
        values["invitation_contact"] = (
            contact if contact is not None else (person.invitation_contact if person else False)
        )
        active = _flag(row)
        if active is None:
            active = person.active if person else True
        if person is not None and person.id == actor.id and not active:
            row.error("active", _l("You cannot deactivate your own account."))
        if active and organization is not None and not organization.active:
            row.error("organization", _l("This organization is inactive: reactivate it first."))
        values["active"] = active
        if person is not None:
            row.changes = [name for name, value in values.items() if getattr(person, name) != value]
        row.values = values


def _person_organization(row: ImportRow, person: User | None, organizations: dict) -> Organization | None:
    name = row.cells.get("organization", "")
    if not name:
        if person is None or person.organization is not None:
            row.error("organization", _l("This field is required."))
        return None
    organization = organizations.get(name.lower())
    if organization is None:
        row.error(
            "organization",
            _l("No organization of this name is in the directory: add or import it first."),
        )
    return organization


def _choice(row: ImportRow, column: str, allowed: set[str], aliases: dict[str, str]) -> str | None:
    """A cell holding one of `allowed` codes (or an alias of one); None when blank."""
    raw = row.cells.get(column, "")
    if not raw:
        return None
    value = _column_key(raw)
    value = aliases.get(value, value)
    if value not in allowed:
        row.error(column, _l("Use one of: %(values)s.", values=", ".join(sorted(allowed))))
        return None
    return value


def _write_organizations(actor, plan: ImportPlan) -> None:
    created = [Organization(**row.values) for row in plan.rows if row.action == "create"]
    db.session.add_all(created)
    updates = [(row.record, row) for row in plan.rows if row.action == "update"]
    for organization, row in updates:
        for name in row.changes:
            if name != "active":
                setattr(organization, name, row.values[name])
    # One flush for every row; the audit events come after it, as each of them flushes again.
    db.session.flush()
    for organization in created:
        record_event(actor, "directory.organization.create", organization, via="import")
    for organization, row in updates:
        fields = [name for name in row.changes if name != "active"]
        if fields:
            record_event(actor, "directory.organization.update", organization, fields=fields, via="import")
        if "active" in row.changes:
            set_organization_active(actor, organization, row.values["active"])


def _write_people(actor, plan: ImportPlan) -> None:
    created = [User(**row.values) for row in plan.rows if row.action == "create"]
    db.session.add_all(created)
    updates = []
    for row in plan.rows:
        if row.action == "update":
            person = row.record
            updates.append((person, row, person.role, person.organization))
            for name in row.changes:
                if name != "active":
                    setattr(person, name, row.values[name])
    db.session.flush()
    for person in created:
        record_event(
            actor,
            "directory.person.create",
            person,
            role=person.role,
            organization=person.organization.name if person.organization else None,
            via="import",
        )
    for person, row, old_role, old_organization in updates:
        if "role" in row.changes:
            record_event(actor, "auth.role.change", person, old=old_role, new=person.role)
        if "organization" in row.changes:
            record_event(
                actor,
                "directory.person.move",
                person,
                old=old_organization.name if old_organization else None,
                new=person.organization.name if person.organization else None,
            )
        fields = [name for name in row.changes if name != "active"]
        if fields:
            record_event(actor, "directory.person.update", person, fields=fields, via="import")
        if "active" in row.changes:
            set_person_active(actor, person, row.values["active"])


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _organization_rows() -> list[list[str]]:
    query = select(Organization).order_by(func.lower(Organization.name), Organization.id)
    return [
        [
            organization.name,
            organization.kind,
            organization.country or "",
            organization.city or "",
            organization.address or "",
            organization.email or "",
            organization.phone or "",
            organization.website or "",
            _yes_no(organization.active),
        ]
        for organization in db.session.scalars(query)
    ]


def _people_rows() -> list[list[str]]:
    query = select(User).options(joinedload(User.organization)).order_by(func.lower(User.name), User.id)
    return [
        [
            person.name,
            person.email,
            person.organization.name if person.organization else "",
            person.position or "",
            person.role,
            person.preferred_language,
            person.phone or "",
            _yes_no(person.invitation_contact),
            _yes_no(person.active),
        ]
        for person in db.session.scalars(query)
    ]
