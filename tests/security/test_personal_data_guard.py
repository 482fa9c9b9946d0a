"""The personal-data guard catches what it claims to catch: lists of people hidden in any accepted
format, on any page, in any table, picture or scan, or typed into the library's forms, never reach
another embassy; ordinary agendas, reports and minutes pass untouched."""

import io
import re

import pytest
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.library.models import Collection, Comment, Document, DocumentVersion
from coordination.suggestions.models import Suggestion, SuggestionComment
from tests.conftest import login
from tests.library.conftest import make_collection, make_document, share, shared_document, sign_in_as
from tests.security import guard_corpus
from tests.suggestions.conftest import propose

LIST = "\n".join(f"{name} DOB {guard_corpus.dmy(born)}" for name, _ar, _pp, born, *_ in guard_corpus.PEOPLE)


@pytest.fixture
def collection():
    return make_collection()


def _visible_to(client, user, document: Document) -> bool:
    sign_in_as(client, user)
    page = client.get(f"/library/documents/{document.id}")
    listed = f'/library/documents/{document.id}"' in client.get("/library").get_data(as_text=True)
    assert (page.status_code == 200) == listed
    return listed


@pytest.mark.parametrize(
    ("content", "filename"),
    [pytest.param(content, name, id=id_) for id_, content, name in guard_corpus.evasive()],
)
def test_a_list_of_people_hidden_in_a_file_is_held_from_other_embassies(
    client, member, other_focal_point, collection, content, filename
):
    login(client, member)
    assert share(client, collection, content, filename, title="Follow-up").status_code == 302
    document = shared_document()
    assert document.status == "review", document.versions[0].extracted_text
    assert document.review_reason
    assert not _visible_to(client, other_focal_point, document)


@pytest.mark.parametrize(
    ("content", "filename"),
    [pytest.param(content, name, id=id_) for id_, content, name in guard_corpus.ordinary()],
)
def test_an_ordinary_document_is_shared_untouched(
    client, member, other_focal_point, collection, content, filename
):
    login(client, member)
    assert share(client, collection, content, filename, title="Ordinary").status_code == 302
    document = shared_document()
    assert (document.status, document.versions[0].extraction) == ("published", "done")
    assert document.versions[0].extracted_text.strip()
    assert _visible_to(client, other_focal_point, document)


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        pytest.param(
            guard_corpus.protected_pdf(["A service guide"]), "locked.pdf", id="password-protected-pdf"
        ),
        pytest.param(guard_corpus.blank_picture(), "photo.png", id="picture-without-text"),
        pytest.param(b"%PDF-1.4\n1 0 obj broken", "broken.pdf", id="damaged-pdf"),
    ],
)
def test_a_file_the_guard_cannot_read_is_held_for_an_organizer_with_the_reason(
    client, member, organizer, other_focal_point, collection, content, filename
):
    login(client, member)
    share(client, collection, content, filename, title="Unreadable")
    document = shared_document()
    assert (document.status, document.review_reason) == ("review", "unreadable")
    assert document.versions[0].extraction == "failed"
    assert "could not be read" in client.get(f"/library/documents/{document.id}").get_data(as_text=True)
    assert not _visible_to(client, other_focal_point, document)
    sign_in_as(client, organizer)
    assert "could not be read" in client.get("/library/review").get_data(as_text=True)


def test_the_picture_is_read_with_ocr_and_found_by_search(client, member, collection):
    login(client, member)
    content = guard_corpus.picture(["Clinic opening hours", "Zamalek branch"])
    share(client, collection, content, "hours.png", title="Hours")
    assert shared_document().status == "published"
    assert "Hours</a>" in client.get("/library?q=zamalek").get_data(as_text=True)


# Text typed into the library's forms.


def _page_text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_a_list_typed_into_a_description_is_refused_and_kept_in_the_form(app, client, member, collection):
    login(client, member)
    response = share(client, collection, guard_corpus.pdf_pages([["A guide"]]), "g.pdf", description=LIST)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "looks like personal data of migrants" in page and "dates of birth next to names" in page
    assert "Amal Haddad DOB 12/03/1990" in page  # the text stays in the form
    assert db.session.scalar(select(func.count(Document.id))) == 0


def test_a_list_typed_into_the_title_and_tags_is_refused(client, member, collection):
    login(client, member)
    title = "Amal Haddad P1234567, Omar Nasser P2345678"
    response = share(client, collection, None, "g.pdf", title=title, tags="Mona Okafor A3456789")
    assert response.status_code == 200
    assert "passport-like numbers" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Document.id))) == 0


def test_editing_a_description_into_a_list_is_refused(client, member, other_focal_point, collection):
    document = make_document(member, collection, title="Guide")
    login(client, member)
    response = client.post(
        f"/library/documents/{document.id}/edit",
        data={"title": "Guide", "description": LIST, "visibility": "members", "sdg": "", "service_area": ""},
    )
    assert response.status_code == 200
    assert "looks like personal data of migrants" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Document, document.id).description is None
    sign_in_as(client, other_focal_point)
    assert "Amal Haddad" not in client.get(f"/library/documents/{document.id}").get_data(as_text=True)


def test_a_list_typed_into_a_comment_is_refused_and_kept_in_the_form(
    client, member, other_focal_point, collection
):
    document = make_document(member, collection, title="Guide")
    login(client, member)
    response = client.post(f"/library/documents/{document.id}/comments", data={"body": LIST})
    assert response.status_code == 200
    page = _page_text(response)
    assert "looks like personal data of migrants" in page
    assert "Omar Nasser DOB 05/11/1985" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Comment.id))) == 0
    sign_in_as(client, other_focal_point)
    assert "Omar Nasser" not in client.get(f"/library/documents/{document.id}").get_data(as_text=True)


def test_a_comment_edited_into_a_list_is_refused(client, member, collection):
    document = make_document(member, collection, title="Guide")
    login(client, member)
    client.post(f"/library/documents/{document.id}/comments", data={"body": "Useful, thanks."})
    comment = db.session.scalars(select(Comment)).one()
    response = client.post(f"/library/comments/{comment.id}/edit", data={"body": LIST})
    assert response.status_code == 200
    assert "looks like personal data of migrants" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Useful, thanks."


def test_an_ordinary_comment_with_a_date_and_names_is_posted(client, member, other_focal_point, collection):
    document = make_document(member, collection, title="Guide")
    login(client, member)
    body = "Discussed with Ms. Amal Haddad and Mr. Omar Nasser on 12/03/2026; next review on 15/04/2027."
    assert client.post(f"/library/documents/{document.id}/comments", data={"body": body}).status_code == 302
    sign_in_as(client, other_focal_point)
    assert "Omar Nasser on 12/03/2026" in client.get(f"/library/documents/{document.id}").get_data(
        as_text=True
    )


def test_a_list_typed_into_a_version_note_is_refused(client, member, collection):
    document = make_document(member, collection, title="Guide")
    login(client, member)
    note = "Added Amal Haddad P1234567, Omar Nasser P2345678, Mona Okafor A3456789"
    response = client.post(
        f"/library/documents/{document.id}/versions/new",
        data={
            "files": [(io.BytesIO(guard_corpus.pdf_pages([["v2"]])), "v2.pdf")],
            "language": "en",
            "note": note,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "passport-like numbers" in page and note in page
    assert db.session.scalar(select(func.count(DocumentVersion.id))) == 1


def test_a_list_typed_into_a_collection_description_is_refused(client, organizer):
    login(client, organizer)
    response = client.post(
        "/library/collections/new", data={"name": "Cases", "description": LIST, "parent_id": ""}
    )
    assert response.status_code == 200
    assert "looks like personal data of migrants" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Collection.id))) == 0


# Suggestions are read by every embassy: the same guard on what members type there.

SUGGESTION = {"title": "Health screening before return", "service_area": "health", "sdg": "3"}


def test_a_list_typed_into_a_suggestion_is_refused_and_kept_in_the_form(client, member):
    login(client, member)
    response = client.post("/suggestions/new", data={**SUGGESTION, "description": LIST})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "looks like personal data of migrants" in page and "Mona Okafor DOB 21/07/2001" in page
    assert db.session.scalar(select(func.count(Suggestion.id))) == 0


def test_a_list_typed_into_a_suggestion_comment_is_refused_and_kept(client, member, other_focal_point):
    suggestion = propose(member)
    login(client, other_focal_point)
    response = client.post(f"/suggestions/{suggestion.id}/comments", data={"body": LIST})
    assert response.status_code == 200
    assert "looks like personal data of migrants" in _page_text(response)
    assert "Amal Haddad DOB 12/03/1990" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SuggestionComment.id))) == 0


# Files shared before the guard read them.


def test_the_migration_holds_back_files_never_read_until_the_guard_has_read_them(tmp_path):
    from flask_migrate import upgrade

    from coordination import create_app
    from tests.test_migrations import _scratch_database

    with _scratch_database(tmp_path) as url:
        scratch_app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with scratch_app.app_context():
            try:
                upgrade(revision="0014_linked_documents")
                now = "2026-01-01 00:00:00"
                with db.engine.begin() as connection:
                    connection.exec_driver_sql(
                        "INSERT INTO collections (id, name, members_may_contribute, created_at) "
                        f"VALUES (1, 'Guides', true, '{now}')"
                    )
                    for number, (kind, extraction) in enumerate(
                        [("pptx", "none"), ("png", "none"), ("pdf", "failed"), ("pdf", "done")], start=1
                    ):
                        connection.exec_driver_sql(
                            "INSERT INTO documents (id, collection_id, title, language, visibility, status, "
                            "size, download_count, created_at, updated_at) "
                            f"VALUES ({number}, 1, 'D{number}', 'en', 'members', 'published', 1, 0, "
                            f"'{now}', '{now}')"
                        )
                        connection.exec_driver_sql(
                            "INSERT INTO document_versions (id, document_id, language, number, filename, "
                            "stored_name, content_type, kind, size, sha256, uploaded_at, extraction) "
                            f"VALUES ({number}, {number}, 'en', 1, 'f', 's{number}', 'x', '{kind}', 1, 'h', "
                            f"'{now}', '{extraction}')"
                        )
                upgrade()
                with db.engine.connect() as connection:
                    rows = connection.exec_driver_sql(
                        "SELECT d.status, v.extraction FROM documents d JOIN document_versions v "
                        "ON v.document_id = d.id ORDER BY d.id"
                    ).all()
                assert [tuple(row) for row in rows] == [
                    ("checking", "pending"),
                    ("checking", "pending"),
                    ("checking", "pending"),
                    ("published", "done"),
                ]
            finally:
                db.session.remove()
                db.engine.dispose()
