"""Importing the directory from CSV/XLSX (preview, then all-or-nothing confirm) and exporting it."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEvent
from coordination.auth.models import User
from coordination.directory import transfer
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.mail.models import OutboxMessage
from tests.conftest import login
from tests.factories import make_organization, make_user

ORGANIZATION_HEADER = ["name", "kind", "country", "city", "address", "email", "phone", "website", "active"]
PEOPLE_HEADER = [
    "name", "email", "organization", "position", "role", "preferred_language", "phone",
    "receives_invitations", "active",
]  # fmt: skip
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def csv_bytes(rows, delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, what, data, filename="directory.csv"):
    return client.post(
        "/directory/import",
        data={"what": what, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm(client, preview, follow_redirects=True):
    """Press the preview's "Confirm import" button."""
    html = preview.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    what = re.search(r'name="what" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(
        "/directory/import", data={"token": token, "what": what}, follow_redirects=follow_redirects
    )


def flashed(response) -> str:
    """The text of the flash messages shown on a page."""
    html = response.get_data(as_text=True)
    return " ".join(
        " ".join(text.split())
        for text in re.findall(r'<div class="alert alert-\w+ alert-dismissible[^>]*>(.*?)<button', html, re.S)
    )


def counts() -> tuple[int, int, int]:
    """Organizations, people and audit events in the database."""
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Organization, User, AuditEvent)
    )


def organization_named(name) -> Organization | None:
    db.session.expire_all()
    return db.session.scalar(select(Organization).where(Organization.name == name))


def person_with(email) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def export(client, what, fmt):
    response = client.get(f"/directory/export/{what}.{fmt}")
    assert response.status_code == 200
    return response


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to open UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        [cell if cell is not None else "" for cell in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]


GOOD_ORGANIZATIONS = [
    ORGANIZATION_HEADER,
    ["Embassy of Ethiopia", "embassy", "ET", "Cairo", "", "", "+20 2 1234 5678", "", "yes"],
    ["UNHCR Egypt", "UN agency", "EG", "Cairo", "", "cairo@unhcr.example", "", "https://unhcr.example", ""],
    ["سفارة اليمن", "embassy", "ye", "القاهرة", "", "", "", "", "no"],
]


def test_preview_shows_every_row_and_writes_nothing(client, organizer):
    login(client, organizer)
    before = counts()

    response = upload(client, "organizations", csv_bytes(GOOD_ORGANIZATIONS))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Import preview" in html
    assert "Embassy of Ethiopia" in html and "UNHCR Egypt" in html and "سفارة اليمن" in html
    assert "Confirm import" in html
    assert counts() == before
    assert organization_named("Embassy of Ethiopia") is None


def test_a_file_with_one_bad_row_writes_nothing_and_cannot_be_confirmed(client, organizer):
    login(client, organizer)
    rows = [
        *GOOD_ORGANIZATIONS,
        ["Embassy of Atlantis", "embassy", "XX", "Cairo", "", "not-an-address", "", "", "yes"],
    ]
    before = counts()

    response = upload(client, "organizations", csv_bytes(rows))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 row has errors: nothing will be imported." in html
    assert "Confirm import" not in html
    assert 'name="token"' not in html
    # The row number is the spreadsheet's (the header is row 1), with each field's message.
    bad_row = re.search(r'<tr class="table-danger">(.*?)</tr>', html, re.S).group(1)
    assert '<th scope="row">5</th>' in bad_row
    assert "<code>country</code>: This is not an ISO 3166 two-letter country code" in bad_row
    assert "<code>email</code>: This is not a valid email address." in bad_row
    assert counts() == before

    forged = client.post(
        "/directory/import", data={"token": "made-up", "what": "organizations"}, follow_redirects=True
    )
    assert "This import cannot be found: upload the file again." in forged.get_data(as_text=True)
    assert counts() == before
    assert organization_named("Embassy of Ethiopia") is None


def test_valid_csv_import_writes_every_row_after_confirm(client, organizer):
    login(client, organizer)
    before_organizations, before_people, _ = counts()
    preview = upload(client, "organizations", csv_bytes(GOOD_ORGANIZATIONS))

    response = confirm(client, preview)

    assert "Import done: 3 added, 0 updated, 0 unchanged." in response.get_data(as_text=True)
    assert counts()[:2] == (before_organizations + 3, before_people)
    ethiopia = organization_named("Embassy of Ethiopia")
    assert (ethiopia.kind, ethiopia.country, ethiopia.phone, ethiopia.active) == (
        "embassy",
        "ET",
        "+20 2 1234 5678",
        True,
    )
    unhcr = organization_named("UNHCR Egypt")
    assert (unhcr.kind, unhcr.email, unhcr.website, unhcr.active) == (
        "un_agency",
        "cairo@unhcr.example",
        "https://unhcr.example",
        True,
    )
    yemen = organization_named("سفارة اليمن")
    assert (yemen.country, yemen.city, yemen.active) == ("YE", "القاهرة", False)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directory.import"))
    assert audit.actor_id == organizer.id
    assert audit.details["created"] == 3


def test_csv_with_semicolons_and_a_byte_order_mark_is_read(client, organizer):
    login(client, organizer)
    rows = [["Name", "KIND", "Country"], ["Embassy of Somalia", "embassy", "SO"]]
    preview = upload(client, "organizations", csv_bytes(rows, delimiter=";", bom=True))

    confirm(client, preview)

    assert organization_named("Embassy of Somalia").country == "SO"


def test_valid_xlsx_import_adds_people_without_inviting_them(client, organizer, organization):
    login(client, organizer)
    rows = [
        PEOPLE_HEADER,
        [
            "Amira Haddad",
            "Amira.Haddad@SD.example",
            organization.name.upper(),
            "Consul",
            "focal_point",
            "ar",
            "",
            "",
        ],
        ["Jean Dupont", "jean@sd.example", organization.name, "", "member", "fr", "", "yes"],
        ["Nadia Organizer", "nadia@iom.example", "IOM Egypt", "Officer", "organizer", "en", "", "yes"],
    ]
    preview = upload(client, "people", xlsx_bytes(rows), filename="people.xlsx")
    html = preview.get_data(as_text=True)
    assert "The people added receive no invitation" in html
    assert person_with("jean@sd.example") is None

    response = confirm(client, preview)

    assert "Import done: 3 added, 0 updated, 0 unchanged." in response.get_data(as_text=True)
    amira = person_with("amira.haddad@sd.example")
    assert (amira.name, amira.organization_id, amira.position, amira.role, amira.preferred_language) == (
        "Amira Haddad",
        organization.id,
        "Consul",
        "focal_point",
        "ar",
    )
    assert amira.active and not amira.has_password and amira.invited_at is None
    assert person_with("jean@sd.example").preferred_language == "fr"
    assert person_with("nadia@iom.example").role == "organizer"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_rows_matching_the_directory_update_it(client, organizer, organization, member):
    organization.address = "12 Nile Street"
    db.session.commit()
    login(client, organizer)
    organizations = [ORGANIZATION_HEADER[:4], ["EMBASSY OF SUDAN", "embassy", "SD", "Alexandria"]]
    preview = upload(client, "organizations", csv_bytes(organizations))
    assert "name, city" in preview.get_data(as_text=True)  # what the update changes
    confirm(client, preview)
    people = [
        ["name", "email", "organization", "position"],
        ["Moses Member", "MEMBER@sd.example", "Embassy of Sudan", "Attaché"],
    ]
    preview = upload(client, "people", csv_bytes(people))
    response = confirm(client, preview)

    assert "Import done: 0 added, 1 updated, 0 unchanged." in response.get_data(as_text=True)
    updated = organization_named("EMBASSY OF SUDAN")
    assert (updated.id, updated.city) == (organization.id, "Alexandria")
    assert updated.address == "12 Nile Street"  # a column left out of the file stays as it was
    person = person_with("member@sd.example")
    assert (person.id, person.position, person.role, person.organization_id) == (
        member.id,
        "Attaché",
        "member",
        organization.id,
    )
    assert db.session.scalar(select(func.count()).select_from(User)) == 2  # the organizer and the member


def test_who_receives_the_roundtable_invitations_is_imported_and_exported(
    client, organizer, organization, member
):
    login(client, organizer)
    people = [
        ["name", "email", "organization", "receives invitations"],
        ["Moses Member", "member@sd.example", "Embassy of Sudan", "yes"],
        ["Nadia Deputy", "nadia@sd.example", "Embassy of Sudan", "oui"],
        ["Omar Driver", "omar@sd.example", "Embassy of Sudan", ""],
    ]
    response = confirm(client, upload(client, "people", csv_bytes(people)))
    assert flashed(response) == "Import done: 2 added, 1 updated, 0 unchanged."
    flags = {
        email: person_with(email).invitation_contact for email in ("member@sd.example", "nadia@sd.example")
    }
    assert flags == {"member@sd.example": True, "nadia@sd.example": True}
    assert person_with("omar@sd.example").invitation_contact is False

    rows = read_csv(export(client, "people", "csv").data)
    column = rows[0].index("receives_invitations")
    assert {row[1]: row[column] for row in rows[1:]} == {
        organizer.email: "no", "member@sd.example": "yes", "nadia@sd.example": "yes", "omar@sd.example": "no",
    }  # fmt: skip

    wrong = [
        ["name", "email", "organization", "receives_invitations"],
        ["Omar Driver", "omar@sd.example", "Embassy of Sudan", "maybe"],
    ]
    page = upload(client, "people", csv_bytes(wrong)).get_data(as_text=True)
    assert "Write yes or no." in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged_and_repairs_edits(client, organizer, organization, member, fmt):
    make_organization(name="Embassy of Yemen", country="YE", active=False, phone="+20 2 2735 1234")
    make_organization(name='=HYPERLINK("http://evil.example")', kind="ngo", country=None, city="-Cairo")
    make_user(name="ليلى حسن", email="leila@sd.example", organization=organization, phone="+20 100 000 0000")
    login(client, organizer)
    organizations_file = export(client, "organizations", fmt).data
    people_file = export(client, "people", fmt).data
    before = counts()

    for what, data, total in (("organizations", organizations_file, 4), ("people", people_file, 3)):
        response = confirm(client, upload(client, what, data, filename=f"export.{fmt}"))
        assert flashed(response) == f"Import done: 0 added, 0 updated, {total} unchanged."

    yemen, leila = organization_named("Embassy of Yemen"), person_with("leila@sd.example")
    yemen.phone = leila.position = "changed"
    db.session.commit()
    for what, data, total in (("organizations", organizations_file, 4), ("people", people_file, 3)):
        response = confirm(client, upload(client, what, data, filename=f"export.{fmt}"))
        assert flashed(response) == f"Import done: 0 added, 1 updated, {total - 1} unchanged."

    yemen = organization_named("Embassy of Yemen")
    assert (yemen.phone, yemen.active) == ("+20 2 2735 1234", False)
    assert organization_named('=HYPERLINK("http://evil.example")').city == "-Cairo"
    leila = person_with("leila@sd.example")
    assert (leila.name, leila.position, leila.phone) == ("ليلى حسن", None, "+20 100 000 0000")
    assert counts()[:2] == before[:2]


@pytest.mark.parametrize(("fmt", "read"), [("csv", read_csv), ("xlsx", read_xlsx)])
def test_export_neutralizes_cells_a_spreadsheet_would_run(client, organizer, fmt, read):
    for name in ("=cmd", "+1", "-2", "@x", "\tTab", "Plain"):
        make_organization(name=name, kind="ngo", country=None, city="=1+1")
    login(client, organizer)

    response = export(client, "organizations", fmt)

    rows = read(response.data)
    assert rows[0] == ORGANIZATION_HEADER
    names = {row[0] for row in rows[1:]}
    assert {"'=cmd", "'+1", "'-2", "'@x", "'\tTab", "Plain"} <= names
    assert {row[3] for row in rows[1:] if row[0] != "IOM Egypt"} == {"'=1+1"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_a_dated_attachment_with_inactive_records(client, organizer, organization, member, fmt):
    make_organization(name="Embassy of Chad", country="TD", active=False)
    make_user(name="Gone Person", email="gone@sd.example", organization=organization, active=False)
    login(client, organizer)

    organizations = export(client, "organizations", fmt)
    people = export(client, "people", fmt)

    disposition = organizations.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert re.search(rf"roundtable-organizations-\d{{4}}-\d\d-\d\d\.{fmt}", disposition)
    read = read_csv if fmt == "csv" else read_xlsx
    assert ["Embassy of Chad", "embassy", "TD", "Cairo", "", "", "", "", "no"] in read(organizations.data)
    assert ["Gone Person", "gone@sd.example", organization.name, "", "member", "en", "", "no", "no"] in read(
        people.data
    )
    assert [
        "Moses Member",
        "member@sd.example",
        organization.name,
        "",
        "member",
        "en",
        "",
        "no",
        "yes",
    ] in read(people.data)


def test_people_export_takes_the_same_number_of_queries_for_few_or_many(client, organizer, count_queries):
    login(client, organizer)
    for number in range(2):
        make_user(organization=make_organization(name=f"Few {number}"))
    with count_queries() as few:
        export(client, "people", "csv")
    for number in range(20):
        make_user(organization=make_organization(name=f"Many {number}"))

    with count_queries() as many:
        export(client, "people", "csv")

    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (PNG, "organizations.csv"),
        (b"PK\x03\x04not really a zip", "organizations.xlsx"),
        (b"name,kind\r\nA\x00B,embassy\r\n", "organizations.csv"),
        ("name,kind\r\nÉcole,ngo\r\n".encode("utf-16"), "organizations.csv"),
    ],
    ids=["png named csv", "broken zip", "binary bytes", "utf-16 text"],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused_by_its_content(client, organizer, data, filename):
    login(client, organizer)
    before = counts()

    response = upload(client, "organizations", data, filename=filename)

    html = response.get_data(as_text=True)
    assert "This file is neither an XLSX workbook nor CSV text in UTF-8." in html
    assert "Import preview" not in html
    assert counts() == before


def test_a_zip_that_is_not_a_workbook_is_refused(client, organizer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    login(client, organizer)

    response = upload(client, "organizations", buffer.getvalue(), filename="organizations.xlsx")

    assert "This file is neither an XLSX workbook nor CSV text in UTF-8." in response.get_data(as_text=True)


def test_the_format_is_taken_from_the_content_not_the_name(client, organizer):
    login(client, organizer)

    response = upload(client, "organizations", xlsx_bytes(GOOD_ORGANIZATIONS), filename="organizations.csv")

    assert "Confirm import" in response.get_data(as_text=True)


def test_an_empty_file_is_refused(client, organizer):
    login(client, organizer)

    response = upload(client, "organizations", b"")

    assert "The file is empty." in response.get_data(as_text=True)


def test_a_header_without_rows_shows_an_empty_preview(client, organizer):
    login(client, organizer)

    response = upload(client, "people", csv_bytes([PEOPLE_HEADER]))

    html = response.get_data(as_text=True)
    assert "there is nothing to import" in html
    assert "Confirm import" not in html


def test_unknown_and_missing_columns_are_reported_once(client, organizer):
    login(client, organizer)
    rows = [["Name", "Colour", "Flag", "colour"], ["Embassy of Chad", "blue", "x", "red"]]

    response = upload(client, "organizations", csv_bytes(rows))

    html = response.get_data(as_text=True)
    assert html.count("Unknown columns: colour, flag.") == 1
    assert "Columns that appear more than once: colour." in html
    assert "Missing required columns: kind." in html
    assert "Import preview" not in html


def test_too_many_rows_are_refused(client, organizer):
    login(client, organizer)
    rows = [["name", "kind"], *([f"NGO {number}", "ngo"] for number in range(5001))]

    response = upload(client, "organizations", csv_bytes(rows))

    assert "The file has more than 5000 rows" in response.get_data(as_text=True)


def test_people_rows_are_checked_against_the_file_and_the_directory(client, organizer, organization):
    login(client, organizer)
    rows = [
        PEOPLE_HEADER,
        ["Ann One", "ann@sd.example", organization.name, "", "member", "en", "", "", ""],
        ["Ann Again", "ANN@sd.example", organization.name, "", "member", "en", "", "", ""],
        ["", "bob@sd.example", "Embassy of Nowhere", "", "boss", "de", "", "", "maybe"],
        ["Olga Organizer", "organizer@iom.example", "IOM Egypt", "", "member", "en", "", "", "no"],
    ]
    before = counts()

    response = upload(client, "people", csv_bytes(rows))

    html = response.get_data(as_text=True)
    assert "The same address is on row 2." in html
    assert "This field is required." in html
    assert "No organization of this name is in the directory" in html
    assert "Use one of: focal_point, member, organizer." in html
    assert "Use one of: ar, en, fr." in html
    assert "Write yes or no." in html
    assert "You cannot change your own role." in html
    assert "You cannot deactivate your own account." in html
    assert "3 rows have errors: nothing will be imported." in html
    assert counts() == before


def test_an_embassy_needs_a_country(client, organizer):
    login(client, organizer)

    response = upload(
        client, "organizations", csv_bytes([["name", "kind"], ["Embassy of Nowhere", "embassy"]])
    )

    assert "An embassy represents a country" in response.get_data(as_text=True)


def test_a_confirmed_import_cannot_be_confirmed_twice(client, organizer):
    login(client, organizer)
    preview = upload(client, "organizations", csv_bytes(GOOD_ORGANIZATIONS))
    confirm(client, preview)
    after_first = counts()

    response = confirm(client, preview)

    assert "This import has already been done or has expired" in response.get_data(as_text=True)
    assert counts() == after_first


def test_an_import_file_belongs_to_whoever_uploaded_it(client, organizer):
    colleague = make_user(
        email="colleague@iom.example", role="organizer", organization=organizer.organization
    )
    login(client, organizer)
    preview = upload(client, "organizations", csv_bytes(GOOD_ORGANIZATIONS))
    client.post("/logout")
    login(client, colleague)
    before = counts()

    response = confirm(client, preview)

    assert "This import cannot be found: upload the file again." in response.get_data(as_text=True)
    assert counts() == before


def test_an_expired_import_asks_for_the_file_again(client, organizer, monkeypatch):
    login(client, organizer)
    preview = upload(client, "organizations", csv_bytes(GOOD_ORGANIZATIONS))
    before = counts()
    monkeypatch.setattr(transfer, "STASH_MAX_AGE", -1)

    response = confirm(client, preview)

    assert response.status_code == 200
    assert "This import has expired: upload the file again." in flashed(response)
    assert counts() == before


def test_a_file_the_directory_no_longer_accepts_at_confirmation_writes_nothing(
    client, organizer, organization
):
    login(client, organizer)
    rows = [["name", "email", "organization"], ["New Person", "new@sd.example", organization.name]]
    preview = upload(client, "people", csv_bytes(rows))
    organization.active = False  # meanwhile, someone deactivates the organization
    db.session.commit()
    before = counts()

    response = confirm(client, preview)

    assert "The directory changed since the preview" in flashed(response)
    assert counts() == before
    assert person_with("new@sd.example") is None


def test_an_import_is_audited_record_by_record(client, organizer, organization, member):
    login(client, organizer)
    rows = [
        ["name", "email", "organization", "role"],
        ["Moses Member", "member@sd.example", organization.name, "focal_point"],
        ["New Person", "new@sd.example", organization.name, ""],
    ]

    confirm(client, upload(client, "people", csv_bytes(rows)))

    new_person = person_with("new@sd.example")
    events = db.session.execute(select(AuditEvent.action, AuditEvent.target_id, AuditEvent.actor_id)).all()
    assert ("directory.person.create", new_person.id, organizer.id) in events
    assert ("auth.role.change", member.id, organizer.id) in events
    assert ("directory.person.update", member.id, organizer.id) in events
    summary = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directory.import"))
    assert summary.details == {"what": "people", "created": 1, "updated": 1, "unchanged": 0}


def test_deactivating_an_organization_by_import_signs_its_people_out(client, organizer, organization, member):
    login(client, organizer)
    rows = [["name", "kind", "country", "active"], [organization.name, "embassy", "SD", "no"]]

    preview = upload(client, "organizations", csv_bytes(rows))
    assert "Its people will no longer be able to sign in." in preview.get_data(as_text=True)
    confirm(client, preview)

    assert organization_named(organization.name).active is False
    assert person_with(member.email).active is False


def test_confirming_needs_the_csrf_token(csrf_app, organizer):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={"email": organizer.email, "password": "correct horse battery staple", "csrf_token": csrf_token},
    )
    form = client.get("/directory/import").get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    preview = client.post(
        "/directory/import",
        data={
            "what": "organizations",
            "file": (io.BytesIO(csv_bytes(GOOD_ORGANIZATIONS)), "o.csv"),
            "csrf_token": csrf_token,
        },
        content_type="multipart/form-data",
    )
    html = preview.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    before = counts()

    refused = client.post("/directory/import", data={"token": token, "what": "organizations"})

    assert refused.status_code == 400
    assert counts() == before
    accepted = client.post(
        "/directory/import", data={"token": token, "what": "organizations", "csrf_token": csrf_token}
    )
    assert accepted.status_code == 302
    assert organization_named("UNHCR Egypt") is not None


@pytest.mark.parametrize("role", ["member", "focal_point"])
def test_only_organizers_import_and_export(client, request, role):
    user = request.getfixturevalue(role)
    login(client, user)
    before = counts()

    assert client.get("/directory/import").status_code == 403
    assert upload(client, "organizations", csv_bytes(GOOD_ORGANIZATIONS)).status_code == 403
    assert client.get("/directory/export/organizations.csv").status_code == 403
    assert client.get("/directory/export/people.xlsx").status_code == 403
    assert counts() == before


@pytest.mark.parametrize(
    "path",
    ["/directory/export/users.csv", "/directory/export/people.pdf", "/directory/export/people.xlsx.csv"],
)
def test_exporting_anything_else_is_not_found(client, organizer, path):
    login(client, organizer)

    assert client.get(path).status_code == 404


def test_the_import_page_names_the_columns_and_offers_templates(client, organizer):
    login(client, organizer)

    html = client.get("/directory/import").get_data(as_text=True)

    assert "<code>preferred_language</code>" in html and "<code>website</code>" in html
    assert "/directory/export/people.xlsx" in html and "/directory/export/organizations.csv" in html
