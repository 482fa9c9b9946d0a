"""The library's pages: its home (the newest documents), a collection, a document and full-text
searches for a rare and a common word, at 20,000 documents with extracted text, loaded by a member
of an embassy (so the visibility rules are in the queries)."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from markupsafe import escape
from sqlalchemy import insert

from scenarios import Context, Target

DOCUMENTS = 20_000
MEMBER_EMAIL = "bench.library.member@roundtable.example"
WORDS = [
    "health",
    "clinic",
    "referral",
    "return",
    "shelter",
    "legal",
    "aid",
    "counselling",
    "education",
    "school",
    "livelihood",
    "training",
    "hotline",
    "cairo",
    "alexandria",
    "giza",
    "aswan",
    "passport",
    "visa",
    "residence",
    "permit",
    "family",
    "tracing",
    "protection",
    "trafficking",
    "labour",
    "mobility",
    "community",
    "assistance",
    "embassy",
    "consular",
    "services",
    "eligibility",
    "criteria",
    "migrants",
    "children",
    "women",
    "elderly",
    "disability",
    "medical",
    "screening",
    "vaccination",
    "housing",
    "rent",
    "cash",
    "voucher",
]
# One word in about 2% of the documents: what a reader would search for.
RARE_WORD = "reintegration"
# One word in every other document: a search whose matches must not all be ranked and counted.
COMMON_WORD = "migration"


def build(context: Context) -> list[Target]:
    from coordination.auth.models import User
    from coordination.extensions import db
    from coordination.library.models import Collection, Document, DocumentVersion, SearchEntry

    rng = context.rng
    organizations = context.active_organization_ids
    member = User(
        email=MEMBER_EMAIL,
        name="Bench Library Member",
        role="member",
        organization_id=organizations[0],
        password_hash=context.password_hash,
    )
    db.session.add(member)
    collections = [
        Collection(name=name) for name in ("Service guides", "Eligibility criteria", "Meeting materials")
    ]
    db.session.add_all(collections)
    db.session.flush()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    documents, versions, entries = [], [], []
    for number in range(1, DOCUMENTS + 1):
        words = [rng.choice(WORDS) for _ in range(rng.randint(60, 240))]
        if rng.random() < 0.02:
            words.insert(rng.randrange(len(words)), RARE_WORD)
        if number % 2:
            words.append(COMMON_WORD)  # without a draw from `rng`: the other scenarios' data stay
        text = " ".join(words)
        title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {number}"
        visibility = rng.choices(["members", "organizations", "organizers"], weights=[8, 1, 1])[0]
        created = start + timedelta(minutes=number * 30)
        documents.append(
            {
                "id": number,
                "collection_id": collections[number % 3].id,
                "title": title,
                "language": rng.choice(["en", "en", "fr", "ar"]),
                "visibility": visibility,
                "organization_id": rng.choice(organizations),
                "status": "published",
                "file_kind": "pdf",
                "size": len(text) * 4,
                "download_count": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
        versions.append(
            {
                "document_id": number,
                "language": "en",
                "number": 1,
                "filename": f"document-{number}.pdf",
                "stored_name": secrets.token_hex(20),
                "content_type": "application/pdf",
                "kind": "pdf",
                "size": len(text) * 4,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "uploaded_at": created,
                "extraction": "done",
                "extracted_text": text,
            }
        )
        entries.append({"document_id": number, "title": title, "body": text})
    db.session.execute(insert(Document), documents)
    db.session.execute(insert(DocumentVersion), versions)
    db.session.execute(insert(SearchEntry), entries)  # the FTS index follows by trigger
    db.session.commit()
    shown = next(document for document in documents if document["visibility"] == "members")
    return [
        Target("library home", "/library", user=MEMBER_EMAIL, expect_text="Shared library"),
        Target(
            "library collection",
            f"/library/collections/{collections[0].id}",
            user=MEMBER_EMAIL,
            expect_text=collections[0].name,
        ),
        Target(
            "library document",
            f"/library/documents/{shown['id']}",
            user=MEMBER_EMAIL,
            expect_text=str(escape(shown["title"])),
        ),
        Target(
            "library search",
            f"/library?q={RARE_WORD}",
            user=MEMBER_EMAIL,
            expect_text="<mark>",
            max_cold_ratio=8,
        ),
        Target(
            "library search common word",
            f"/library?q={COMMON_WORD}",
            user=MEMBER_EMAIL,
            expect_text="<mark>",
            max_cold_ratio=12,
        ),
    ]
