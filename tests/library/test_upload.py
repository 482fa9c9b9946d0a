"""Sharing files: types told by content, the size limit, names, duplicates, interrupted uploads."""

import http.cookiejar
import socket
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask import request
from sqlalchemy import func, select
from werkzeug.serving import make_server

from coordination import create_app
from coordination.extensions import db
from coordination.library.models import Document, DocumentVersion
from tests.conftest import login, wait_until
from tests.factories import PASSWORD
from tests.library import files
from tests.library.conftest import share, shared_document, sign_in_as


def _stored_files(app) -> list[Path]:
    """Every file the library keeps, part files included."""
    folder = Path(app.config["UPLOAD_FOLDER"]) / "library"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def _documents() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Document.id)))


@pytest.fixture(autouse=True)
def _empty_upload_folder(app):
    for path in _stored_files(app):
        path.unlink()


def test_member_shares_a_pdf_stored_under_a_generated_name_with_size_and_sha256(
    app, client, member, collection
):
    login(client, member)
    content = files.pdf("Eligibility criteria for assisted voluntary return")
    response = share(client, collection, content, "criteria.pdf", title="AVRR criteria", tags="AVRR, Return")
    document = shared_document()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/library/documents/{document.id}")
    version = document.versions[0]
    assert (document.title, version.filename, version.kind, version.size) == (
        "AVRR criteria",
        "criteria.pdf",
        "pdf",
        len(content),
    )
    import hashlib

    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert document.tag_names == ["avrr", "return"]
    assert document.organization_id == member.organization_id
    stored = _stored_files(app)
    assert [path.name for path in stored] == [version.stored_name]
    assert stored[0].read_bytes() == content
    assert "criteria" not in version.stored_name
    assert not str(app.config["UPLOAD_FOLDER"]).startswith(app.static_folder)


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (files.docx(["Guide"]), "guide.docx", "docx"),
        (files.xlsx([["Service", "Contact"]]), "contacts.xlsx", "xlsx"),
        (files.ods(["Clinic"]), "clinics.ods", "ods"),
        ("Plain text guide, in Arabic too: دليل".encode(), "guide.txt", "txt"),
        (b"service,hotline\nhealth,100\n", "services.csv", "csv"),
        (files.PNG, "map.png", "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "photo.jpg", "jpeg"),
        (files.docx(["Renamed"]), "guide.pdf", "docx"),
    ],
)
def test_each_allowed_type_is_recognised_by_its_content(client, member, collection, content, name, kind):
    login(client, member)
    assert share(client, collection, content, name).status_code == 302
    assert shared_document().versions[0].kind == kind


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (files.HTML, "guide.pdf"),
        (files.WINDOWS_EXE, "guide.pdf"),
        (files.HTML, "page.txt"),
        (b"\x00\x01binary\x00", "data.csv"),
        (b"PK\x03\x04not really a zip", "fake.docx"),
    ],
    ids=["html-named-pdf", "exe-named-pdf", "html-named-txt", "binary-named-csv", "broken-zip"],
)
def test_a_disguised_file_is_refused_with_a_clear_message_and_nothing_kept(
    app, client, member, collection, content, name
):
    login(client, member)
    response = share(client, collection, content, name, title="Keep this title", description="Kept text")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"The file {name} is not an accepted type" in page
    assert 'value="Keep this title"' in page and "Kept text" in page
    assert _documents() == 0
    assert _stored_files(app) == []


def test_an_empty_file_is_refused(app, client, member, collection):
    login(client, member)
    response = share(client, collection, b"", "empty.pdf")
    assert response.status_code == 200
    assert "The file empty.pdf is empty." in response.get_data(as_text=True)
    assert _documents() == 0
    assert _stored_files(app) == []


def test_a_file_over_the_limit_gets_a_readable_413_page_and_nothing_is_kept(app, client, member, collection):
    login(client, member)
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    try:
        response = share(client, collection, files.pdf("x") + b"%" * 60_000, "big.pdf")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "File too large" in page and "Traceback" not in page
    assert _documents() == 0
    assert _stored_files(app) == []


def test_a_name_with_folders_is_reduced_to_its_last_part(app, client, member, collection):
    login(client, member)
    share(client, collection, files.pdf("x"), "../../etc/passwd.pdf")
    version = shared_document().versions[0]
    assert version.filename == "passwd.pdf"
    assert [p.name for p in _stored_files(app)] == [version.stored_name]
    response = client.get(f"/library/versions/{version.id}/download")
    assert response.headers["Content-Disposition"] == "inline; filename=passwd.pdf"


def test_an_arabic_file_name_is_kept_and_offered_on_download(client, member, collection):
    login(client, member)
    share(client, collection, files.docx(["دليل"]), "دليل الخدمات.docx")
    version = shared_document().versions[0]
    assert version.filename == "دليل الخدمات.docx"
    disposition = client.get(f"/library/versions/{version.id}/download").headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert (
        "filename*=UTF-8''%D8%AF%D9%84%D9%8A%D9%84%20%D8%A7%D9%84%D8%AE%D8%AF%D9%85%D8%A7%D8%AA.docx"
        in disposition
    )


def test_two_uploads_of_the_same_bytes_are_flagged_as_duplicates(client, member, focal_point, collection):
    content = files.pdf("Same bytes")
    login(client, member)
    share(client, collection, content, "first.pdf")
    first = shared_document().versions[0]
    sign_in_as(client, focal_point)
    response = share(client, collection, content, "second.pdf")
    second = shared_document().versions[0]
    assert second.duplicate_of_id == first.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "second.pdf is identical to a file already in the library." in page
    assert "Duplicate" in page
    assert first.duplicate_of_id is None


def test_several_files_at_once_become_several_documents(client, member, collection):
    login(client, member)
    response = share(
        client,
        collection,
        [(files.pdf("One"), "one.pdf"), (files.docx(["Two"]), "two.docx")],
        title="ignored",
    )
    assert response.status_code == 302
    titles = set(db.session.scalars(select(Document.title)))
    assert titles == {"one", "two"}


def test_one_refused_file_among_several_keeps_none_of_them(app, client, member, collection):
    login(client, member)
    response = share(client, collection, [(files.pdf("One"), "one.pdf"), (files.HTML, "two.pdf")])
    assert response.status_code == 200
    assert _documents() == 0
    assert _stored_files(app) == []


@pytest.fixture
def served_app(app):
    """The application on a real socket (so that a client can hang up mid-body), same database,
    and the list of the paths of the requests it has finished handling."""
    live = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
    )
    finished: list[str] = []
    live.teardown_request(lambda _error: finished.append(request.path))
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}", finished
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with live.app_context():
        db.engine.dispose()


def test_an_upload_interrupted_mid_stream_leaves_no_file_and_no_row(app, served_app, member, collection):
    address, finished = served_app
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(
        f"http://{address}/login",
        urllib.parse.urlencode({"email": member.email, "password": PASSWORD}).encode(),
    )
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    boundary = "----roundtable-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\nmembers\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    host, port = address.split(":")

    def send(body: bytes, declared: int) -> bytes:
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(
                (
                    f"POST /library/collections/{collection.id}/upload HTTP/1.1\r\nHost: {address}\r\n"
                    f"Cookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
                    f"Content-Length: {declared}\r\nConnection: close\r\n\r\n"
                ).encode()
                + body
            )
            if len(body) < declared:
                return b""  # hang up half-way
            return sock.recv(200)

    content = files.pdf("Complete") + b"%" * 1_000_000
    send(head + content[:500_000], len(head) + len(content) + len(boundary) + 8)
    # The server notices the closed connection, fails the request and cleans up.
    assert wait_until(lambda: finished.count(f"/library/collections/{collection.id}/upload") == 1)
    assert _documents() == 0
    assert db.session.scalar(select(func.count(DocumentVersion.id))) == 0
    assert _stored_files(app) == []

    # The same request sent whole is stored: the interrupted one did reach the upload.
    whole = head + content + f"\r\n--{boundary}--\r\n".encode()
    assert send(whole, len(whole)).startswith(b"HTTP/1.1 302")
    assert _documents() == 1
    assert len(_stored_files(app)) == 1
