"""Compressed files cannot exhaust memory: bombs in library uploads and in the directory's import.

The bombs are built here with zipfile, streamed, so that the test itself never holds what they
inflate to. Memory figures belong to bench/upload_memory.py; these tests hold the refusals (and,
once, that the refusal inflates nothing: Python's own allocations stay small while it happens).
"""

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.library.models import Document, DocumentVersion, SearchEntry
from tests.conftest import body_text, login
from tests.library import files
from tests.library.conftest import make_collection, share, shared_document, sign_in_as

MB = 1024 * 1024
ODT = b"application/vnd.oasis.opendocument.text"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _member(archive: zipfile.ZipFile, name: str, chunks, compress=zipfile.ZIP_DEFLATED) -> None:
    """Write `name` from an iterable of byte chunks, never holding it whole."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = compress
    with archive.open(info, "w") as out:
        for chunk in chunks:
            out.write(chunk)


def _repeat(piece: bytes, size: int):
    block = piece * max(min(MB, size) // len(piece), 1)
    for _ in range(max(size // len(block), 1)):
        yield block


def mimetype_bomb(size: int = 400 * MB) -> bytes:
    """An OpenDocument text whose `mimetype` entry is the real one, then `size` bytes of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        _member(archive, "mimetype", [ODT, *_repeat(b" ", size)])
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@pytest.fixture
def collection():
    return make_collection()


@pytest.fixture(scope="module")
def big_mimetype_bomb() -> bytes:
    return mimetype_bomb()


def _paragraphs(word: str, size: int):
    # Words that differ enough to stay below the ratio check: a part the size of a real one.
    line = "".join(f"<w:p><w:r><w:t>{word} {n} of the guide</w:t></w:r></w:p>" for n in range(1000))
    block = line.encode()
    for _ in range(max(size // len(block), 1)):
        yield block


def docx_of_parts(parts: dict[str, object]) -> bytes:
    """A Word document whose parts (document, headers…) are written from chunk iterables."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, chunks in parts.items():
            _member(
                archive,
                name,
                [
                    f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode(),
                    *chunks,
                    b"</w:body></w:document>",
                ],
            )
    return out.getvalue()


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "library"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.fixture(autouse=True)
def _empty_upload_folder(app):
    for path in _stored_files(app):
        path.unlink()


def _nothing_kept(app) -> bool:
    db.session.rollback()
    return (
        db.session.scalar(select(func.count(Document.id))) == 0
        and db.session.scalar(select(func.count(DocumentVersion.id))) == 0
        and _stored_files(app) == []
    )


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


# The library: refused at upload when the structure is a bomb.


def test_an_odt_whose_mimetype_inflates_to_400_mb_is_refused_at_upload_without_inflating_it(
    app, client, member, collection, big_mimetype_bomb
):
    assert len(big_mimetype_bomb) < MB  # 400 MB of content in a file of about 400 KB
    login(client, member)
    tracemalloc.start()
    try:
        response = share(client, collection, big_mimetype_bomb, "guide.odt", title="Guide")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = _text(response)
    assert response.status_code == 200
    assert "The file guide.odt is refused: its content inflates to more than 100 MB." in page
    assert 'value="Guide"' in page  # the form keeps what was typed
    assert _nothing_kept(app)
    # Reading the entry whole, as type sniffing did, allocated its 400 MB; checking the structure
    # allocates next to nothing.
    assert peak < 50 * MB


def test_a_mimetype_entry_longer_than_any_mimetype_is_not_taken_for_one(app, client, member, collection):
    login(client, member)
    response = share(client, collection, mimetype_bomb(512 * 1024), "guide.odt")
    assert "The file guide.odt is not an accepted type." in _text(response)
    assert _nothing_kept(app)


def test_a_docx_of_many_parts_inflating_beyond_the_total_is_refused_at_upload(
    app, client, member, collection, monkeypatch
):
    monkeypatch.setitem(app.config, "ARCHIVE_MAX_TOTAL_BYTES", 4 * MB)
    # Each header is small (under any per-part cap); together they are twice the total allowed.
    parts = {"word/document.xml": _paragraphs("Body", 100_000)}
    piece = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    parts.update({f"word/header{n}.xml": _repeat(piece, MB // 2) for n in range(16)})
    bomb = docx_of_parts(parts)
    login(client, member)
    response = share(client, collection, bomb, "guide.docx")
    assert response.status_code == 200
    assert "The file guide.docx is refused: its content inflates to more than 4 MB." in _text(response)
    assert _nothing_kept(app)


def test_a_part_compressed_like_a_bomb_is_refused_at_upload(app, client, member, collection):
    bomb = docx_of_parts({"word/document.xml": _repeat(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>", 20 * MB)})
    login(client, member)
    response = share(client, collection, bomb, "guide.docx")
    assert "a part of it is compressed more than 100 times, as compressed-file bombs are" in _text(response)
    assert _nothing_kept(app)


def test_a_docx_with_too_many_files_inside_is_refused(app, client, member, collection, monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_MAX_MEMBERS", 100)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"/>')
        for n in range(150):
            archive.writestr(f"word/media/image{n}.png", b"")
    login(client, member)
    response = share(client, collection, out.getvalue(), "guide.docx")
    assert "The file guide.docx is refused: it holds more than 100 files." in _text(response)
    assert _nothing_kept(app)


def test_a_docx_whose_part_names_climb_out_is_refused(app, client, member, collection):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"/>')
        archive.writestr("../../word/evil.xml", "<x/>")
    login(client, member)
    response = share(client, collection, out.getvalue(), "guide.docx")
    assert "it holds a file whose name climbs out of the archive" in _text(response)
    assert _nothing_kept(app)


def test_a_bomb_as_a_new_version_is_refused_and_the_document_keeps_its_versions(
    app, client, member, collection, monkeypatch
):
    login(client, member)
    share(client, collection, files.pdf("A service guide"), "guide.pdf", title="Guide")
    document = shared_document()
    monkeypatch.setitem(app.config, "ARCHIVE_MAX_TOTAL_BYTES", 4 * MB)
    response = client.post(
        f"/library/documents/{document.id}/versions/new",
        data={"files": [(io.BytesIO(mimetype_bomb(8 * MB)), "guide.odt")], "language": "en", "note": "v2"},
        content_type="multipart/form-data",
    )
    page = _text(response)
    assert response.status_code == 200
    assert "The file guide.odt is refused: its content inflates to more than 4 MB." in page
    assert 'value="v2"' in page
    db.session.rollback()
    assert [v.number for v in db.session.get(Document, document.id).versions] == [1]
    assert len(_stored_files(app)) == 1


# The library: held when reading the text hits the cap for the whole file.


def test_a_docx_whose_parts_together_exceed_the_text_cap_is_held_unread_with_the_reason(
    app, client, smtp_server, member, focal_point, organizer, collection, monkeypatch
):
    monkeypatch.setitem(app.config, "LIBRARY_TEXT_MAX_BYTES", MB)
    # Six parts of 300 KB: each far under any per-part cap, 1.8 MB together.
    parts = {"word/document.xml": _paragraphs("Quokkaword", 300_000)}
    parts.update({f"word/header{n}.xml": _paragraphs("Quokkaword", 300_000) for n in range(1, 6)})
    login(client, member)
    response = share(client, collection, docx_of_parts(parts), "guide.docx", title="Big guide")
    assert response.status_code == 302
    document = shared_document()
    version = document.versions[0]
    assert document.status == "review"
    assert (version.extraction, version.extracted_text) == ("failed", None)
    # None of its text went into the search index, not even the part read before the cap.
    assert "quokkaword" not in db.session.get(SearchEntry, document.id).body.lower()
    page = _text(client.get(f"/library/documents/{document.id}"))
    assert "its content goes beyond what the library reads (size, compression), so it was not checked" in page
    from coordination.mail.outbox import send_due

    send_due()
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == [member.email]
    assert "so it was not checked" in body_text(messages[0])
    sign_in_as(client, focal_point)
    assert client.get(f"/library/documents/{document.id}").status_code == 404
    sign_in_as(client, organizer)
    assert "Big guide" in client.get("/library/review").get_data(as_text=True)


def test_a_docx_carrying_a_nested_zip_bomb_is_shared_and_the_bomb_never_opened(
    app, client, member, focal_point, collection, big_mimetype_bomb
):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>Wombatword guide</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
        # Declared at its compressed size (about 400 KB): only opening it would inflate 400 MB.
        archive.writestr("word/embeddings/package.zip", big_mimetype_bomb, zipfile.ZIP_STORED)
    login(client, member)
    tracemalloc.start()
    try:
        response = share(client, collection, out.getvalue(), "guide.docx", title="Nested")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    assert peak < 50 * MB
    document = shared_document()
    assert (document.status, document.versions[0].extraction) == ("published", "done")
    sign_in_as(client, focal_point)
    assert "Nested</a>" in client.get("/library?q=wombatword").get_data(as_text=True)


def test_text_of_a_large_accepted_part_is_read_in_full_below_the_caps(client, member, collection):
    # A long (real-sized) document: the streaming reader keeps every paragraph, in order.
    parts = {"word/document.xml": _paragraphs("Numbatword", 3 * MB)}
    login(client, member)
    share(client, collection, docx_of_parts(parts), "guide.docx", title="Long")
    version = shared_document().versions[0]
    assert version.extraction == "done"
    lines = version.extracted_text.splitlines()
    assert lines[:2] == ["Numbatword 0 of the guide", "Numbatword 1 of the guide"]
    assert len(version.extracted_text) == 1_000_000  # MAX_CHARS, then it stops reading


# The directory's import.


def _import(client, what: str, data: bytes, filename: str = "people.xlsx"):
    return client.post(
        "/directory/import",
        data={"what": what, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _directory_counts() -> tuple[int, int]:
    db.session.rollback()
    return (
        db.session.scalar(select(func.count(Organization.id))),
        db.session.scalar(select(func.count(User.id))),
    )


def _stash(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "imports"
    return sorted(path for path in folder.iterdir() if path.is_file()) if folder.exists() else []


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _xlsx_with(part: str, chunks) -> bytes:
    """A workbook of people whose part `part` (shared strings or the sheet) is written from
    `chunks`; shared strings are declared, so that openpyxl reads them."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(files.xlsx([["name", "email", "organization"]])))
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml" and part == "xl/sharedStrings.xml":
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            if info.filename != part:
                archive.writestr(info.filename, data)
        if part == "xl/sharedStrings.xml":
            _member(archive, part, [f'<?xml version="1.0"?><sst xmlns="{ns}">'.encode(), *chunks, b"</sst>"])
        else:
            head = f'<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData><row r="1">'.encode()
            _member(archive, part, [head, *chunks, b"</row></sheetData></worksheet>"])
    return out.getvalue()


def _xlsx_with_shared_strings(chunks) -> bytes:
    return _xlsx_with("xl/sharedStrings.xml", chunks)


def test_an_xlsx_import_whose_shared_strings_are_a_bomb_gets_a_form_error_before_openpyxl(
    app, client, organizer
):
    before, stashed = _directory_counts(), _stash(app)
    bomb = _xlsx_with_shared_strings(_repeat(b"<si><t>x</t></si>", 45 * MB))
    assert len(bomb) < MB
    login(client, organizer)
    tracemalloc.start()
    try:
        response = _import(client, "people", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = _text(response)
    assert response.status_code == 200
    assert "This workbook cannot be imported: a part of it is compressed more than 100 times" in page
    assert re.search(r'<option selected value="people">', page)  # the form keeps what was chosen
    assert "Confirm import" not in page
    assert _directory_counts() == before
    assert _stash(app) == stashed
    assert peak < 50 * MB  # openpyxl would have made a list of its 2.8 million strings


def test_an_xlsx_import_inflating_beyond_the_total_is_refused(app, client, organizer, monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_MAX_TOTAL_BYTES", MB)
    # Distinct strings: a ratio like a real workbook's, but 2 MB of them.
    chunks = (
        "".join(f"<si><t>Person {block}-{n}</t></si>" for n in range(10_000)).encode() for block in range(8)
    )
    login(client, organizer)
    stashed = _stash(app)
    response = _import(client, "people", _xlsx_with_shared_strings(chunks))
    assert "This workbook cannot be imported: its content inflates to more than 1 MB." in _text(response)
    assert _stash(app) == stashed


def test_an_xlsx_import_with_too_many_files_inside_is_refused(app, client, organizer, monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_MAX_MEMBERS", 50)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(files.xlsx([["name", "kind"], ["Embassy of Chad", "embassy"]]))) as source,
        zipfile.ZipFile(out, "w") as archive,
    ):
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        for n in range(60):
            archive.writestr(f"xl/media/image{n}.png", b"")
    login(client, organizer)
    before = _directory_counts()
    response = _import(client, "organizations", out.getvalue(), "organizations.xlsx")
    assert "This workbook cannot be imported: it holds more than 50 files." in _text(response)
    assert _directory_counts() == before


def test_an_xlsx_import_with_more_strings_than_any_directory_needs_is_refused(app, client, organizer):
    # 200,000 distinct strings in 4 MB: a ratio like a real workbook's, under the total.
    chunks = ("".join(f"<si><t>P{block}-{n}</t></si>" for n in range(10_000)).encode() for block in range(20))
    login(client, organizer)
    response = _import(client, "people", _xlsx_with_shared_strings(chunks))
    assert (
        "This workbook cannot be imported: a part of it has more than 100000 elements in one place."
        in _text(response)
    )


def test_an_xlsx_import_with_a_row_of_400_000_cells_is_refused_before_openpyxl_builds_it(
    app, client, organizer
):
    # 10 MB of cells in one row (a ratio of 10): openpyxl builds a row's cells as one tree.
    chunks = (
        "".join(f'<c t="n"><v>{block}{n}</v></c>' for n in range(10_000)).encode() for block in range(40)
    )
    bomb = _xlsx_with("xl/worksheets/sheet1.xml", chunks)
    login(client, organizer)
    tracemalloc.start()
    try:
        response = _import(client, "people", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (
        "This workbook cannot be imported: a part of it has more than 10000 elements in one place."
        in _text(response)
    )
    assert peak < 50 * MB


def test_a_real_workbook_still_imports(client, organizer):
    rows = [["name", "kind", "country"], *[[f"Embassy number {n}", "embassy", "Chad"] for n in range(300)]]
    login(client, organizer)
    response = _import(client, "organizations", files.xlsx(rows), "organizations.xlsx")
    assert "Confirm import" in response.get_data(as_text=True)
