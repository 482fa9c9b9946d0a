"""The library's part of the demo dataset: collections and a few documents with their files."""

import hashlib
import io
import secrets

from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.extensions import db
from coordination.library import search, storage
from coordination.library.models import Collection, Document, DocumentTag, DocumentVersion
from coordination.roundtables.models import Roundtable

COLLECTIONS = [
    ("Service guides", "How migrants reach IOM's services, step by step.", True, None),
    ("Eligibility criteria", "Who qualifies for which service.", True, None),
    ("Meeting materials", "Agendas, presentations and minutes of the roundtables.", False, None),
    ("Country situation reports", "Reports shared by embassies and partners.", True, None),
    ("Sudan", "Situation reports on Sudan.", True, "Country situation reports"),
]

DOCUMENTS = [
    {
        "collection": "Service guides",
        "title": "Localized assistance: how to refer a migrant",
        "tags": ["referral", "localized assistance"],
        "service_area": "localized_assistance",
        "sdg": 10,
        "versions": {
            "en": "Localized assistance covers shelter, food, medical care and psychosocial support. "
            "Embassies refer a migrant by e-mail to the IOM protection desk with the consent of the person.",
            "fr": "L'assistance localisée couvre l'hébergement, la nourriture, les soins et le soutien "
            "psychosocial. Les ambassades orientent un migrant par e-mail vers le bureau "
            "de protection de l'OIM.",
        },
    },
    {
        "collection": "Eligibility criteria",
        "title": "AVRR eligibility criteria",
        "tags": ["avrr", "eligibility"],
        "service_area": "avrr",
        "sdg": 10,
        "versions": {
            "en": "Assisted voluntary return and reintegration is open to migrants who wish to return home "
            "voluntarily and lack the means to do so. A valid travel document or a laissez-passer from the "
            "embassy is needed. Reintegration support is assessed case by case after return.",
        },
    },
    {
        "collection": "Service guides",
        "title": "Health services for migrants in Cairo",
        "tags": ["health"],
        "service_area": "health",
        "sdg": 3,
        "versions": {
            "en": "Migrants can reach primary health care at partner clinics in Cairo and Giza. "
            "Vaccination and screening are free of charge.",
            "ar": "يمكن للمهاجرين الحصول على الرعاية الصحية الأولية في العيادات الشريكة في القاهرة والجيزة.",
        },
    },
    {
        "collection": "Meeting materials",
        "title": "First roundtable: presentation of services",
        "tags": ["roundtable"],
        "service_area": None,
        "sdg": 16,
        "roundtable": True,
        "versions": {
            "en": "IOM presented its migrant protection and assistance services, their eligibility criteria "
            "and how migrants reach them, and asked the embassies for feedback and suggestions.",
        },
    },
]


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (ASCII), for demonstration files."""
    words, lines, line = text.encode("ascii", "replace").decode().split(), [], ""
    for word in words:
        if len(line) + len(word) > 80:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    return pdf_with_lines(lines)


def pdf_with_lines(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Helvetica, WinAnsi: ASCII words)."""
    body = " ".join(f"({part.replace('(', '').replace(')', '')}) Tj 0 -16 Td" for part in lines)
    stream = f"BT /F1 11 Tf 40 790 Td {body} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + content + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def seed_demo() -> int:
    """Add the library's demo collections and documents once; returns how many documents were added."""
    if db.session.scalar(select(Collection.id).limit(1)) is not None:
        return 0
    organizer = db.session.scalar(select(User).where(User.role == Role.ORGANIZER).order_by(User.id))
    if organizer is None:
        return 0
    collections: dict[str, Collection] = {}
    for name, description, members_may_contribute, parent in COLLECTIONS:
        collections[name] = Collection(
            name=name,
            description=description,
            members_may_contribute=members_may_contribute,
            parent=collections.get(parent),
            created_by_id=organizer.id,
        )
    db.session.add_all(collections.values())
    roundtable = db.session.scalar(select(Roundtable).order_by(Roundtable.starts_at).limit(1))
    added = 0
    for fields in DOCUMENTS:
        document = Document(
            collection=collections[fields["collection"]],
            title=fields["title"],
            language="en",
            service_area=fields["service_area"],
            sdg=fields["sdg"],
            roundtable_id=roundtable.id if fields.get("roundtable") and roundtable else None,
            visibility="members",
            status="published",
            organization_id=organizer.organization_id,
            uploaded_by_id=organizer.id,
            file_kind="pdf",
        )
        document.tags = [DocumentTag(tag=tag) for tag in fields["tags"]]
        for language, text in fields["versions"].items():
            is_text = language == "ar"  # Helvetica has no Arabic: the Arabic version is a text file
            content = text.encode() if is_text else minimal_pdf(text)
            stored_name = secrets.token_hex(20)
            (storage.folder() / stored_name).write_bytes(content)
            document.versions.append(
                DocumentVersion(
                    language=language,
                    number=1,
                    filename=f"{fields['title'][:40]}-{language}.{'txt' if is_text else 'pdf'}",
                    stored_name=stored_name,
                    content_type="text/plain; charset=utf-8" if is_text else "application/pdf",
                    kind="txt" if is_text else "pdf",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    uploaded_by_id=organizer.id,
                    extraction="done",
                    extracted_text=text,
                )
            )
            document.size = len(content)
        db.session.add(document)
        db.session.flush()
        search.index_document(document, list(fields["versions"].values()))
        added += 1
    return added
