"""Text of uploaded files for search and the personal-data guard: PDF (pypdf), DOCX, XLSX, ODT/ODS
(their XML read with zipfile and ElementTree), plain text. Bounded in pages and characters."""

import logging
import zipfile
from pathlib import Path
from xml.etree import ElementTree

log = logging.getLogger("coordination.library")

MAX_CHARS = 1_000_000
MAX_PAGES = 300
MAX_XML_BYTES = 50 * 1024 * 1024  # an inflated part larger than this is not read (zip bombs)


def extract_text(path: Path, kind: str) -> str:
    """The text of the file at `path` of `kind`; raises ValueError when it cannot be read."""
    reader = _READERS.get(kind)
    if reader is None:
        return ""
    try:
        text = reader(path)
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


def _xml_texts(archive: zipfile.ZipFile, names: list[str], paragraph_tags: set[str]) -> list[str]:
    """The text nodes of `names`, one string per paragraph-like element."""
    texts: list[str] = []
    for name in names:
        info = archive.getinfo(name)
        if info.file_size > MAX_XML_BYTES:
            continue
        with archive.open(name) as stream:
            current: list[str] = []
            # expat resolves no external entity and (since 2.4.1) caps entity expansion.
            for _event, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314
                tag = element.tag.rsplit("}", 1)[-1]
                if element.text and tag in ("t", "v", "p", "span", "h", "s"):
                    current.append(element.text)
                if element.tail and tag in ("span", "s"):
                    current.append(element.tail)
                if tag in paragraph_tags:
                    if current:
                        texts.append("".join(current) if tag != "row" else " ".join(current))
                    current = []
                    element.clear()
            if current:
                texts.append(" ".join(current))
    return texts


def _docx(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = [
            name
            for name in archive.namelist()
            if name == "word/document.xml" or name.startswith(("word/header", "word/footer"))
        ]
        return "\n".join(_xml_texts(archive, names, {"p"}))


def _xlsx(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        shared = [name for name in names if name == "xl/sharedStrings.xml"]
        sheets = [name for name in names if name.startswith("xl/worksheets/sheet")]
        # Shared strings hold the text cells; sheet values add inline strings and numbers.
        return "\n".join(_xml_texts(archive, shared, {"si"}) + _xml_texts(archive, sheets, {"row"}))


def _odf(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(_xml_texts(archive, ["content.xml"], {"p", "h"}))


def _plain(path: Path) -> str:
    with path.open("r", encoding="utf-8", errors="replace") as stream:
        return stream.read(MAX_CHARS)


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "odt": _odf, "ods": _odf, "txt": _plain, "csv": _plain}
