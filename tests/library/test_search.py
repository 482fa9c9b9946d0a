"""Full-text search: words inside files, ranking, snippets, filters, and the same answers on
SQLite (FTS5) and PostgreSQL (tsvector + GIN) for a fixed generated corpus."""

import random

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.library import search
from coordination.library.models import Document, DocumentVersion
from tests.conftest import login
from tests.library import files
from tests.library.conftest import make_document, share, shared_document


def _titles(client, query: str) -> list[str]:
    page = client.get("/library", query_string={"q": query}).get_data(as_text=True)
    documents = db.session.scalars(select(Document)).all()
    found = [(page.find(f"> {d.title}</a>"), d.title) for d in documents if f"> {d.title}</a>" in page]
    return [title for _position, title in sorted(found)]


def test_a_word_only_inside_a_pdf_is_found_with_a_highlighted_snippet(client, member, collection):
    login(client, member)
    share(client, collection, files.pdf("Clinics in Giza accept walk-in patients", "Bring the referral slip"))
    assert shared_document().versions[0].extraction == "done"
    page = client.get("/library", query_string={"q": "referral"}).get_data(as_text=True)
    assert "> guide</a>" in page
    assert "<mark>referral</mark>" in page


def test_a_word_only_inside_a_docx_table_is_found(client, member, collection):
    login(client, member)
    table = [["Service", "Where"], ["Psychosocial support", "Maadi centre"]]
    share(client, collection, files.docx(["Directory of services"], table), "services.docx", title="Services")
    assert _titles(client, "psychosocial") == ["Services"]
    assert _titles(client, "maadi") == ["Services"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (files.xlsx([["Hotline", "Khartoumsupport"]]), "sheet.xlsx"),
        (files.ods(["Khartoumsupport desk"]), "sheet.ods"),
        (b"Plain notes on Khartoumsupport", "notes.txt"),
    ],
)
def test_words_inside_spreadsheets_and_text_files_are_found(client, member, collection, content, name):
    login(client, member)
    share(client, collection, content, name, title="Sheet")
    assert _titles(client, "khartoumsupport") == ["Sheet"]


def test_a_title_match_ranks_above_a_body_match(client, member, collection):
    make_document(member, collection, title="Notes from Cairo", text="reintegration " * 5)
    make_document(member, collection, title="Reintegration handbook", text="a guide")
    make_document(member, collection, title="Minutes", description="We spoke about reintegration.")
    login(client, member)
    titles = _titles(client, "reintegration")
    assert titles[0] == "Reintegration handbook"
    assert set(titles) == {"Reintegration handbook", "Notes from Cairo", "Minutes"}


def test_search_uses_the_same_filters_as_browsing(client, member, collection):
    make_document(
        member, collection, title="Health guide fr", language="fr", service_area="health", text="clinic"
    )
    make_document(
        member, collection, title="Health guide en", language="en", service_area="avrr", text="clinic"
    )
    login(client, member)
    page = client.get("/library", query_string={"q": "clinic", "language": "fr"}).get_data(as_text=True)
    assert "Health guide fr" in page and "Health guide en" not in page
    page = client.get("/library", query_string={"q": "clinic", "service_area": "avrr"}).get_data(as_text=True)
    assert "Health guide en" in page and "Health guide fr" not in page


def test_a_search_with_no_match_says_so(client, member, collection):
    make_document(member, collection, title="Guide")
    login(client, member)
    assert "No document matches your search." in client.get("/library?q=zzzz").get_data(as_text=True)


def test_markup_in_a_document_never_reaches_the_snippet_unescaped(client, member, collection):
    make_document(member, collection, title="Tricky", text="<script>alert(1)</script> clinicword")
    login(client, member)
    page = client.get("/library?q=clinicword").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "<mark>clinicword</mark>" in page  # the snippet is there, escaped (PostgreSQL drops the tag)


@pytest.mark.parametrize("query", ["clinic", ""])
def test_a_long_list_says_more_than_its_bound_and_still_pages_through_everything(
    app, client, member, organizer, collection, monkeypatch, query
):
    from coordination import pagination

    monkeypatch.setattr(pagination, "COUNT_STEP", 4)
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    titles = {f"Clinic guide {number}" for number in range(7)}
    for title in sorted(titles):
        make_document(member, collection, title=title, text="clinic hours")
    make_document(organizer, collection, title="Clinic audit", text="clinic", visibility="organizers")
    login(client, member)

    first = client.get("/library", query_string={"q": query}).get_data(as_text=True)
    assert "More than 4 documents" in first and "page=2" in first
    seen = []
    for number in range(1, 5):
        page = client.get("/library", query_string={"q": query, "page": number}).get_data(as_text=True)
        seen += [title for title in titles if f"> {title}</a>" in page]
        assert "Clinic audit" not in page
    assert sorted(seen) == sorted(titles)  # each visible document once, the hidden one never
    # From the third page on, the count reaches the end of the list: it is exact again.
    assert "7 documents" in client.get("/library", query_string={"q": query, "page": 3}).get_data(
        as_text=True
    )


VOCABULARY = [
    "health",
    "clinic",
    "referral",
    "return",
    "reintegration",
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
    "sudan",
    "eritrea",
    "ethiopia",
    "syria",
    "yemen",
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
]
QUERIES = [
    "clinic",
    "return shelter",
    "cairo",
    "legal aid",
    "sudan visa",
    "training",
    "hotline giza",
    "community",
]


def _corpus(member, collection, other_organization) -> dict[int, tuple[str, str]]:
    """50+ documents with seeded random words; a few shared with another organization only."""
    rng = random.Random(5)
    texts = {}
    for number in range(60):
        title = " ".join(rng.sample(VOCABULARY, 2)).title() + f" {number}"
        body = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(5, 40)))
        visibility = "organizations" if number % 7 == 0 else "members"
        uploader = member if number % 7 != 0 else None
        document = make_document(
            uploader or _outsider(other_organization),
            collection,
            title=title,
            text=body,
            visibility=visibility,
            shared_with=[other_organization] if visibility == "organizations" else [],
        )
        texts[document.id] = (title.lower(), body, visibility)
    return texts


_outsiders: dict = {}


def _outsider(organization):
    from tests.factories import make_user

    key = (organization.id, db.session.get(type(organization), organization.id) is not None)
    if key not in _outsiders or db.session.get(type(_outsiders[key]), _outsiders[key].id) is None:
        _outsiders[key] = make_user(organization=organization)
    return _outsiders[key]


def test_a_fixed_corpus_gives_exactly_the_expected_documents(client, member, collection, other_organization):
    """The same expectation is checked on SQLite and on PostgreSQL, so both engines agree."""
    _outsiders.clear()
    texts = _corpus(member, collection, other_organization)
    assert len(texts) >= 50
    for query in QUERIES:
        words = query.split()
        expected = {
            doc_id
            for doc_id, (title, body, visibility) in texts.items()
            if visibility == "members" and all(w in title.split() or w in body.split() for w in words)
        }
        assert set(search.document_ids(member, query)) == expected, query


def test_the_text_of_a_version_is_read_by_the_command_when_it_was_not_after_the_request(
    app, client, runner, member, collection
):
    app.config["LIBRARY_EXTRACT_AFTER_REQUEST"] = False
    try:
        login(client, member)
        share(client, collection, files.pdf("Catchupword inside"), title="Later")
    finally:
        app.config["LIBRARY_EXTRACT_AFTER_REQUEST"] = True
    version = db.session.scalars(select(DocumentVersion)).one()
    assert version.extraction == "pending"
    assert _titles(client, "catchupword") == []  # not read yet
    assert _titles(client, "later") == ["Later"]  # the uploader sees it while it is checked
    result = runner.invoke(args=["library", "extract"])
    assert result.exit_code == 0, result.output
    assert "text read from 1 file(s)" in result.output
    db.session.expire_all()
    assert db.session.get(DocumentVersion, version.id).extraction == "done"
    assert shared_document().status == "published"
    assert _titles(client, "catchupword") == ["Later"]
