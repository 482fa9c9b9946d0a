"""The personal-data guard catches what it claims to catch: lists of people hidden in any accepted
format, on any page, in any table, picture or scan, or typed into the library's forms, never reach
another embassy; ordinary agendas, reports and minutes pass untouched."""

import io
import re

import pytest
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.library.models import Collection, Comment, Document, DocumentVersion
from tests.conftest import login
from tests.library.conftest import make_collection, make_document, share, shared_document, sign_in_as
from tests.security import guard_corpus

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
