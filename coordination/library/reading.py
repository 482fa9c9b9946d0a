"""Reading every accepted file as lines of text, for the personal-data guard and the search index.

Each reader yields the text of a file part by part (a page, a slide, a sheet), every page of it: a
paragraph is a line, and a table row is one line whose cells are joined with " | ", so a list of
people reads as records whatever the format. Pictures (PNG/JPEG files, pictures inside office
files, PDF pages without a text layer) are read with OCR: Debian's `tesseract` (languages Arabic,
English, French), PDF pages rendered with `pdftoppm` (poppler-utils). What cannot be read raises
Unreadable, and the guard then holds the document for an organizer's review.
"""

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from flask import current_app, has_app_context

from coordination import archives

OCR_LANGUAGES = "ara+eng+fra"
OCR_TIMEOUT = 120  # seconds for one picture or one page
OCR_DPI = 200
# Beyond this many pictures or scanned pages the file is held for a person to read rather than
# keeping the reader busy for an hour.
MAX_OCR_IMAGES = 60
# A PDF page with less text than this and a picture on it is a scan (its page number or a stamp
# may be its only text): it is read with OCR as well.
SCAN_TEXT_CHARS = 200
MAX_TEXT_BYTES = 50 * 1024 * 1024  # outside an application: LIBRARY_TEXT_MAX_BYTES's default
MAX_IMAGE_BYTES = 20 * 1024 * 1024
TEXT_CHUNK_LINES = 2000
IMAGE_NAMES = re.compile(r"(?i)\.(png|jpe?g|gif|bmp|tiff?|webp)$")


class Unreadable(ValueError):
    """The text of a file cannot be read; `reason` says why, for the log and the organizer."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read(path: Path, kind: str) -> Iterator[str]:
    """The text of the file at `path` of `kind`, part by part; raises Unreadable."""
    reader = _READERS.get(kind)
    if reader is None:
        raise Unreadable(f"no reader for files of kind {kind}")
    return reader(path, _Budget())


class _Budget:
    """How many more pictures one file may send to OCR."""

    def __init__(self) -> None:
        self.images = MAX_OCR_IMAGES

    def spend(self) -> None:
        if self.images <= 0:
            raise Unreadable(f"more than {MAX_OCR_IMAGES} pictures or scanned pages to read")
        self.images -= 1


# OCR.


def ocr(image: bytes, budget: "_Budget | None" = None) -> str:
    """The text tesseract reads in the picture `image` (PNG, JPEG, …); raises Unreadable."""
    if budget is not None:
        budget.spend()
    if shutil.which("tesseract") is None:
        raise Unreadable("tesseract is not installed")
    # One thread: the machine's cores are shared with the web workers.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program, the picture on standard input
            ["tesseract", "stdin", "stdout", "-l", OCR_LANGUAGES],  # noqa: S607
            input=image,
            capture_output=True,
            timeout=OCR_TIMEOUT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise Unreadable(f"OCR took longer than {OCR_TIMEOUT} s") from error
    if done.returncode != 0:
        raise Unreadable(f"OCR failed: {done.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return done.stdout.decode("utf-8", "replace")


def _ocr_picture(image: bytes, budget: _Budget) -> str:
    """A whole file that is a picture: finding no text in it is not reading it."""
    text = ocr(image, budget)
    if not text.strip():
        raise Unreadable("no text found in the picture")
    return text


def _image(path: Path, budget: _Budget) -> Iterator[str]:
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise Unreadable("the picture is too large to read")
    yield _ocr_picture(path.read_bytes(), budget)


# PDF.


def _pdf(path: Path, budget: _Budget) -> Iterator[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("the PDF is protected by a password")
        pages = reader.pages
        count = len(pages)
    except (PdfReadError, NotImplementedError) as error:
        raise Unreadable(f"the PDF cannot be opened: {error}") from error
    pictures: dict[int, list[int]] | None = None
    for number in range(count):
        page = pages[number]
        text = page.extract_text() or ""
        if not _has_pictures(page):
            yield text
            continue
        if len(text.strip()) < SCAN_TEXT_CHARS:
            scanned = ocr(_render_page(path, number + 1), budget)
            if not text.strip() and not scanned.strip():
                raise Unreadable(f"page {number + 1} is a picture in which no text was found")
            yield f"{text}\n{scanned}"
            continue
        if pictures is None:
            pictures = _large_pictures(path)
        # A page of text may carry a list pasted as a picture: its large pictures are read too.
        yield "\n".join([text, *_page_pictures(path, number + 1, pictures.get(number + 1, []), budget)])


# A picture this wide (inches, as placed on the page) and this large (square inches) may hold
# lines of text; logos and icons are smaller. A picture repeated on every page (a banner) is
# read once.
LARGE_PICTURE_INCHES = 3.0
LARGE_PICTURE_AREA = 1.5


def _large_pictures(path: Path) -> dict[int, list[int]]:
    """The pictures of the PDF large enough to hold text: {page: [number on the page]}."""
    listing = _poppler(["pdfimages", "-list", str(path)], "list the pictures of")
    found: dict[int, list[int]] = {}
    seen: set[tuple[str, str]] = set()
    for row in listing.decode("utf-8", "replace").splitlines()[2:]:
        cells = row.split()
        if len(cells) < 14 or cells[2] != "image":
            continue
        page, number, width, height = (int(cell) for cell in (cells[0], cells[1], cells[3], cells[4]))
        x_ppi, y_ppi = (max(float(cell), 1.0) for cell in (cells[12], cells[13]))
        wide, area = width / x_ppi, width / x_ppi * height / y_ppi
        if wide >= LARGE_PICTURE_INCHES and area >= LARGE_PICTURE_AREA and (cells[10], cells[11]) not in seen:
            seen.add((cells[10], cells[11]))
            found.setdefault(page, []).append(number)
    return found


def _page_pictures(path: Path, page: int, numbers: list[int], budget: _Budget) -> list[str]:
    if not numbers:
        return []
    with tempfile.TemporaryDirectory(prefix="guard-") as folder:
        _poppler(
            ["pdfimages", "-png", "-p", "-f", str(page), "-l", str(page), str(path), f"{folder}/p"],
            "extract the pictures of",
        )
        return [
            ocr(picture.read_bytes(), budget)
            for picture in sorted(Path(folder).glob("p-*.png"))
            if int(picture.stem.rsplit("-", 1)[-1]) in numbers
        ]


def _poppler(command: list[str], doing: str) -> bytes:
    if shutil.which(command[0]) is None:
        raise Unreadable(f"{command[0]} (poppler-utils) is not installed to {doing} a PDF")
    try:
        done = subprocess.run(command, capture_output=True, timeout=OCR_TIMEOUT, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as error:
        raise Unreadable(f"{command[0]} took longer than {OCR_TIMEOUT} s") from error
    if done.returncode != 0:
        raise Unreadable(f"{command[0]} could not {doing} the PDF")
    return done.stdout


def _has_pictures(page) -> bool:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    objects = resources.get("/XObject") if hasattr(resources, "get") else None
    return bool(objects and objects.get_object())


def _render_page(path: Path, number: int) -> bytes:
    page = str(number)
    image = _poppler(
        ["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-f", page, "-l", page, str(path)],
        "render a page of",
    )
    if not image:
        raise Unreadable(f"page {number} could not be rendered")
    return image


# Office files: XML in a zip, opened through coordination/archives.py so that no part inflates
# beyond its declared size and all the parts read together stay within LIBRARY_TEXT_MAX_BYTES
# (past it, archives.ArchiveRefused: the document is held, its text unread).


def _open(path: Path) -> archives.Archive:
    config = current_app.config if has_app_context() else {}
    return archives.open_archive(path, max_read=config.get("LIBRARY_TEXT_MAX_BYTES", MAX_TEXT_BYTES))


_SPACES = {"tab", "br", "cr", "s", "line-break"}
_ROWS = ("tr", "table-row")
_CELLS = ("tc", "table-cell")


def _xml_lines(stream, *, paragraphs: set[str], text_tags: set[str], tails: bool) -> list[str]:
    """Paragraphs as lines; a table row (tr, table-row) as one line of its cells joined by " | ".

    The words of a paragraph are the text of its `text_tags` elements (and, with `tails`, the text
    that follows each element inside it), tabs and breaks as spaces; a paragraph inside another is a
    line of its own. Streamed through archives.stream_xml: no tree is built, and nesting or a token
    beyond its limits is refused like a bomb.
    """
    lines: list[str] = []
    open_elements: list[list] = []  # [tag, whether a child has closed] of each open element
    words: list[list[str]] = []  # of each open paragraph
    rows: list[list[str]] = []
    cells: list[list[str]] = []

    def put(text: str) -> None:
        (cells[-1] if cells else lines).append(text)

    def start(tag: str) -> None:
        if tag in _SPACES and words:
            words[-1].append(" ")
        open_elements.append([tag, False])
        if tag in paragraphs:
            words.append([])
        elif tag in _ROWS:
            rows.append([])
        elif tag in _CELLS:
            cells.append([])

    def data(text: str) -> None:
        if not words or not open_elements:
            return
        tag, after_child = open_elements[-1]
        if tails if after_child else tag in text_tags:
            words[-1].append(text)

    def end(tag: str) -> None:
        open_elements.pop()
        if open_elements:
            open_elements[-1][1] = True
        if tag in paragraphs:
            text = " ".join("".join(words.pop()).split())
            if text:
                put(text)
        elif tag in _CELLS and cells:
            content = " ".join(cells.pop())
            if rows:
                rows[-1].append(content)
            elif content:
                put(content)
        elif tag in _ROWS and rows:
            line = " | ".join(cell for cell in rows.pop() if cell)
            if line:
                put(line)

    archives.stream_xml(stream, start, end, data)
    return lines


def _numbered(name: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def _pictures(path: Path, folder: str, budget: _Budget) -> Iterator[str]:
    """The text of the pictures under `folder` of an office file (a list pasted as a screenshot).

    Pictures are read apart from the text, within the archive's whole budget (ARCHIVE_MAX_TOTAL_BYTES):
    a report's photographs are not text and should not use up what its text may inflate to.
    """
    with archives.open_archive(path) as archive:
        names = [name for name in archive.names if name.startswith(folder) and IMAGE_NAMES.search(name)]
        for name in sorted(names, key=_numbered):
            yield ocr(archive.read_member(name, MAX_IMAGE_BYTES), budget)


def _ooxml(path: Path, budget: _Budget, wanted, media: str) -> Iterator[str]:
    with _open(path) as archive:
        names = sorted((name for name in archive.names if wanted(name)), key=_numbered)
        for name in names:
            with archive.open_member(name) as stream:
                # Deleted text of tracked changes is still in the file that is shared.
                yield "\n".join(_xml_lines(stream, paragraphs={"p"}, text_tags={"t", "delText"}, tails=False))
    yield from _pictures(path, media, budget)


def _docx(path: Path, budget: _Budget) -> Iterator[str]:
    # The body, then headers, footers, notes and comments: a list may hide in any of them.
    parts = ("word/header", "word/footer", "word/footnotes", "word/endnotes", "word/comments")
    return _ooxml(
        path,
        budget,
        lambda name: name.endswith(".xml") and (name == "word/document.xml" or name.startswith(parts)),
        "word/media/",
    )


def _pptx(path: Path, budget: _Budget) -> Iterator[str]:
    # Slides, their speaker notes and SmartArt diagrams.
    parts = ("ppt/slides/slide", "ppt/notesSlides/", "ppt/diagrams/data")
    return _ooxml(path, budget, lambda name: name.endswith(".xml") and name.startswith(parts), "ppt/media/")


def _xlsx(path: Path, budget: _Budget) -> Iterator[str]:
    from openpyxl import load_workbook

    with _open(path):
        pass  # its structure checked before openpyxl inflates what it likes
    # A stream, not the path: openpyxl judges a path by its extension, and stored files have none.
    with path.open("rb") as stream:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                lines = [sheet.title]
                for row in sheet.iter_rows(values_only=True):
                    cells = [_cell(value) for value in row if value is not None and str(value).strip()]
                    if cells:
                        lines.append(" | ".join(cells))
                    if len(lines) >= TEXT_CHUNK_LINES:
                        yield "\n".join(lines)
                        lines = []
                yield "\n".join(lines)
        finally:
            workbook.close()
    yield from _pictures(path, "xl/media/", budget)


def _cell(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


_ODF_TEXT = {"p", "h", "span", "a"}


def _odf(path: Path, budget: _Budget) -> Iterator[str]:
    with _open(path) as archive:
        for name in ("content.xml", "styles.xml"):  # styles.xml holds headers and footers
            if name in archive:
                with archive.open_member(name) as stream:
                    lines = _xml_lines(stream, paragraphs={"p", "h"}, text_tags=_ODF_TEXT, tails=True)
                    yield "\n".join(lines)
    yield from _pictures(path, "Pictures/", budget)


def _plain(path: Path, budget: _Budget) -> Iterator[str]:
    with path.open("r", encoding="utf-8", errors="replace") as stream:
        lines = []
        for line in stream:
            lines.append(line)
            if len(lines) >= TEXT_CHUNK_LINES:
                yield "".join(lines)
                lines = []
        yield "".join(lines)


_READERS = {
    "pdf": _pdf,
    "docx": _docx,
    "pptx": _pptx,
    "xlsx": _xlsx,
    "odt": _odf,
    "ods": _odf,
    "txt": _plain,
    "csv": _plain,
    "png": _image,
    "jpeg": _image,
}
