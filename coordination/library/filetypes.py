"""What a file is, told by its content (never by its name): the library's allowed types."""

import codecs
from dataclasses import dataclass
from pathlib import Path

from coordination import archives


@dataclass(frozen=True)
class FileKind:
    kind: str  # short name shown as the type and used by the filters
    content_type: str
    extension: str
    inline: bool = False  # shown in the browser (PDF, images); everything else is an attachment
    # Its text is read (pictures with OCR) for the personal-data guard and the search index.
    extractable: bool = True


KINDS = {
    kind.kind: kind
    for kind in (
        FileKind("pdf", "application/pdf", "pdf", inline=True, extractable=True),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            extractable=True,
        ),
        FileKind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            extractable=True,
        ),
        FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        FileKind("odt", "application/vnd.oasis.opendocument.text", "odt", extractable=True),
        FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", "ods", extractable=True),
        FileKind("txt", "text/plain; charset=utf-8", "txt", extractable=True),
        FileKind("csv", "text/csv; charset=utf-8", "csv", extractable=True),
        FileKind("png", "image/png", "png", inline=True),
        FileKind("jpeg", "image/jpeg", "jpg", inline=True),
    )
}

_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_OOXML = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg", b"<?xml")
CHUNK = 1024 * 1024
MAX_MIMETYPE_BYTES = 256


def sniff(path: Path, filename: str = "") -> FileKind | None:
    """The kind of the file at `path` from its bytes, or None when it is not an allowed type;
    raises ArchiveRefused for a compressed file that would inflate beyond the limits."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if _is_plain_text(path):
        return KINDS["csv"] if filename.lower().endswith(".csv") else KINDS["txt"]
    return None


def _zip_kind(path: Path) -> FileKind | None:
    """An OpenDocument or Office file, told by its first entries; raises ArchiveRefused on a bomb."""
    try:
        with archives.open_archive(path) as archive:
            if "mimetype" in archive:
                # A real one is a few dozen bytes: never read more, whatever it declares.
                if archive.declared_size("mimetype") > MAX_MIMETYPE_BYTES:
                    return None
                mimetype = archive.head("mimetype", MAX_MIMETYPE_BYTES).decode("ascii", "replace").strip()
                kind = _ODF.get(mimetype)
                return KINDS[kind] if kind else None
            if "[Content_Types].xml" in archive:
                for prefix, kind in _OOXML:
                    if any(name.startswith(prefix) for name in archive.names):
                        return KINDS[kind]
    except archives.ArchiveRefused as error:
        if error.code == "damaged":
            return None
        raise
    return None


def _is_plain_text(path: Path) -> bool:
    """UTF-8 throughout, no NUL byte, and not a web page (HTML could run script when opened)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = b""
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if b"\x00" in chunk:
                return False
            if not first:
                first = chunk[:2048]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    start = first.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return bool(first) and not start.startswith(_HTML_STARTS)
