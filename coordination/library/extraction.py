"""Text of uploaded files for search and the personal-data guard: PDF (pypdf), DOCX, XLSX, ODT/ODS
(their XML streamed from the archive through expat), plain text. Bounded in pages and characters,
and what a file's parts inflate to is bounded all together (LIBRARY_TEXT_MAX_BYTES)."""

import logging
from pathlib import Path

from flask import current_app

from coordination import archives

log = logging.getLogger("coordination.library")

MAX_CHARS = 1_000_000
MAX_PAGES = 300
_TEXT_TAGS = {"t", "v", "p", "span", "h", "s"}


def extract_text(path: Path, kind: str) -> str:
    """The text of the file at `path` of `kind`; raises ValueError when it cannot be read, and
    ArchiveRefused when its compressed content inflates beyond the limits."""
    reader = _READERS.get(kind)
    if reader is None:
        return ""
    try:
        text = reader(path)
    except archives.ArchiveRefused as error:
        if error.code != "damaged":
            raise
        raise ValueError(str(error.message)) from error
    except Exception as error:  # a damaged or hostile file: the version is marked, the app goes on
        raise ValueError(f"{type(error).__name__}: {error}") from error
    return text[:MAX_CHARS]


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or size >= MAX_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


class _Enough(Exception):
    """Enough text has been read: the rest of the file is not needed."""


class _TextCollector:
    """Text of an XML part as it streams: one string per paragraph-like element, and no tree.

    Text counts when its innermost element is a text element, which also takes the tails of
    ODF's spans and spaces; nothing but the open elements' names is kept between paragraphs.
    """

    def __init__(self, paragraph_tags: set[str], texts: list[str], room: int):
        self.paragraph_tags = paragraph_tags
        self.texts = texts
        self.room = room  # characters still wanted
        self.stack: list[str] = []
        self.run: list[str] = []  # pieces of the current text node (the parser splits them)
        self.current: list[str] = []  # the current paragraph's text nodes
        self.chars = 0

    def start(self, tag: str) -> None:
        self._flush()
        self.stack.append(tag)

    def end(self, _tag: str) -> None:
        self._flush()
        tag = self.stack.pop()
        if tag in self.paragraph_tags:
            if self.current:
                self.texts.append(" ".join(self.current) if tag == "row" else "".join(self.current))
            self.current = []

    def data(self, text: str) -> None:
        if self.stack and self.stack[-1] in _TEXT_TAGS:
            self.run.append(text)
            self.chars += len(text)
            if self.chars >= self.room:
                self.finish()
                raise _Enough

    def _flush(self) -> None:
        if self.run:
            self.current.append("".join(self.run))
            self.run = []

    def finish(self) -> None:
        self._flush()
        if self.current:
            self.texts.append(" ".join(self.current))
            self.current = []


def _xml_texts(archive: archives.Archive, names: list[str], paragraph_tags: set[str]) -> list[str]:
    """The text of the parts `names`, one string per paragraph-like element, MAX_CHARS at most."""
    texts: list[str] = []
    size = 0
    for name in names:
        collector = _TextCollector(paragraph_tags, texts, MAX_CHARS - size)
        with archive.open_member(name) as stream:
            try:
                archives.stream_xml(stream, collector.start, collector.end, collector.data)
            except _Enough:
                return texts
        collector.finish()
        size += collector.chars
    return texts


def _open(path: Path) -> archives.Archive:
    # Whatever the parts read, together they inflate to LIBRARY_TEXT_MAX_BYTES at most.
    return archives.open_archive(path, max_read=current_app.config["LIBRARY_TEXT_MAX_BYTES"])


def _docx(path: Path) -> str:
    with _open(path) as archive:
        names = [
            name
            for name in archive.names
            if name == "word/document.xml" or name.startswith(("word/header", "word/footer"))
        ]
        return "\n".join(_xml_texts(archive, names, {"p"}))


def _xlsx(path: Path) -> str:
    with _open(path) as archive:
        names = archive.names
        shared = [name for name in names if name == "xl/sharedStrings.xml"]
        sheets = [name for name in names if name.startswith("xl/worksheets/sheet")]
        # Shared strings hold the text cells; sheet values add inline strings and numbers.
        return "\n".join(_xml_texts(archive, shared + sheets, {"si", "row"}))


def _odf(path: Path) -> str:
    with _open(path) as archive:
        return "\n".join(_xml_texts(archive, ["content.xml"], {"p", "h"}))


def _plain(path: Path) -> str:
    with path.open("r", encoding="utf-8", errors="replace") as stream:
        return stream.read(MAX_CHARS)


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "odt": _odf, "ods": _odf, "txt": _plain, "csv": _plain}
