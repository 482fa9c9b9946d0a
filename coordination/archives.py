"""ZIP-based files (DOCX, XLSX, PPTX, OpenDocument) opened so that none can exhaust memory.

`open_archive` checks the structure before anything is inflated: the number of members (and the
size of the central directory, which zipfile reads whole), the declared total size, each large
member's compression ratio, and names that climb out of the archive. Members are then read as
streams, counted as they inflate: a member that gives more than it declared, or reads that add up
to more than the archive's budget, stop at once. Nested archives are never opened. Every refusal
is one error, ArchiveRefused, whose message a user can read.
"""

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from xml.parsers import expat

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from coordination.errors import ValidationFailed

MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
# A small member may be compressed a lot (a repetitive XML part); only large ones can hurt.
RATIO_FLOOR = 1024 * 1024
# zipfile reads the central directory whole and keeps an object per entry: bound it before.
DIRECTORY_BYTES_PER_MEMBER = 256
CHUNK = 64 * 1024
MB = 1024 * 1024
# Streaming XML: deeper nesting than this is refused, and so is one tag, comment or declaration
# longer than this (expat holds each whole until it ends).
MAX_XML_DEPTH = 512
MAX_XML_TOKEN_BYTES = MB


class ArchiveRefused(ValidationFailed):
    """A compressed file that would inflate beyond the limits, or cannot be read as one.

    `code` says why: "damaged", "members", "total", "ratio", "name", "member", "size", "xml",
    "elements".
    """

    def __init__(self, message, code: str, field: str | None = None):
        super().__init__(message, field=field)
        self.code = code


def refused(code: str, limit: int = 0) -> ArchiveRefused:
    """The refusal `code`, its message naming `limit` (bytes for sizes, a number otherwise)."""
    size = f"{limit / MB:.3g} MB" if limit >= MB else f"{max(limit // 1024, 1)} kB"
    messages = {
        "damaged": _l("it is not a readable compressed file (it may be damaged)"),
        "members": _l("it holds more than %(max)d files", max=limit),
        "total": _l("its content inflates to more than %(size)s", size=size),
        "ratio": _l(
            "a part of it is compressed more than %(max)d times, as compressed-file bombs are", max=limit
        ),
        "name": _l("it holds a file whose name climbs out of the archive"),
        "member": _l("a part of it is larger than it declares"),
        "size": _l("a part of it inflates to more than %(size)s", size=size),
        "xml": _l("a part of it is not XML that can be read safely"),
        "elements": _l("a part of it has more than %(max)d elements in one place", max=limit),
    }
    return ArchiveRefused(messages[code], code)


def limits() -> dict[str, int]:
    """The configured limits (ARCHIVE_MAX_*), or the defaults outside an application."""
    config = current_app.config if has_app_context() else {}
    return {
        "max_total": int(config.get("ARCHIVE_MAX_TOTAL_BYTES", MAX_TOTAL_BYTES)),
        "max_members": int(config.get("ARCHIVE_MAX_MEMBERS", MAX_MEMBERS)),
        "max_ratio": int(config.get("ARCHIVE_MAX_RATIO", MAX_RATIO)),
    }


def open_archive(
    source: str | Path | BinaryIO | bytes,
    *,
    max_total: int | None = None,
    max_members: int | None = None,
    max_ratio: int | None = None,
    max_read: int | None = None,
) -> "Archive":
    """The archive at `source`, its structure checked; raises ArchiveRefused.

    Limits left out come from the settings. `max_read` bounds what all reads together may
    inflate (by default `max_total`): a reader that needs only some parts may ask for less.
    """
    configured = limits()
    max_total = configured["max_total"] if max_total is None else max_total
    max_members = configured["max_members"] if max_members is None else max_members
    max_ratio = configured["max_ratio"] if max_ratio is None else max_ratio
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    owned = isinstance(source, (str, Path))
    stream = Path(source).open("rb") if owned else source  # noqa: SIM115 - closed with the archive
    try:
        _check_directory(stream, max_members)
        try:
            zip_file = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
            raise refused("damaged") from error
        budget = max_total if max_read is None else max_read
        archive = Archive(zip_file, stream if owned else None, budget)
        try:
            _check_members(archive.members, max_total, max_members, max_ratio)
        except ArchiveRefused:
            archive.close()
            raise
        return archive
    except BaseException:
        if owned:
            stream.close()
        raise


def _check_directory(stream: BinaryIO, max_members: int) -> None:
    """Refuse, before zipfile reads it, a central directory with too many entries."""
    try:
        # The end record: zipfile's own reader (stable since Python 2), told what it holds.
        end = zipfile._EndRecData(stream)
    except OSError as error:
        raise refused("damaged") from error
    finally:
        stream.seek(0)
    if end is None:
        raise refused("damaged")
    entries, directory_size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if entries > max_members or directory_size > max_members * DIRECTORY_BYTES_PER_MEMBER:
        raise refused("members", max_members)


def _check_members(members: list[zipfile.ZipInfo], max_total: int, max_members: int, max_ratio: int) -> None:
    if len(members) > max_members:
        raise refused("members", max_members)
    total = 0
    for info in members:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or "\x00" in info.filename:
            raise refused("name")
        total += info.file_size
        if total > max_total:
            raise refused("total", max_total)
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise refused("ratio", max_ratio)


class Archive:
    """An opened, checked archive: its members' names and declared sizes, read as counted streams."""

    def __init__(self, zip_file: zipfile.ZipFile, owned_stream: BinaryIO | None, max_read: int):
        self._zip = zip_file
        self._owned_stream = owned_stream
        self.max_read = max_read
        self.spent = 0  # bytes inflated so far, by every read together
        self.members = [info for info in zip_file.infolist() if not info.is_dir()]
        self._by_name = {info.filename: info for info in self.members}

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self.members]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def declared_size(self, name: str) -> int:
        return self._by_name[name].file_size

    def open_member(self, name: str, limit: int | None = None) -> "MemberStream":
        """A stream of the member `name` (KeyError when absent) refusing past `limit` bytes."""
        info = self._by_name[name]
        if limit is not None and info.file_size > limit:
            raise refused("size", limit)
        try:
            raw = self._zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as error:
            raise refused("damaged") from error
        return MemberStream(self, info, raw, limit)

    def read_member(self, name: str, limit: int) -> bytes:
        """The whole member `name`, which must inflate to at most `limit` bytes."""
        with self.open_member(name, limit) as stream:
            return stream.read()

    def head(self, name: str, size: int) -> bytes:
        """The first `size` bytes of the member `name`, whatever its length."""
        with self.open_member(name) as stream:
            return stream.read(size)

    def iter_member(self, name: str, chunk: int = CHUNK, limit: int | None = None) -> Iterator[bytes]:
        with self.open_member(name, limit) as stream:
            while data := stream.read(chunk):
                yield data

    def close(self) -> None:
        self._zip.close()
        if self._owned_stream is not None:
            self._owned_stream.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class MemberStream(io.RawIOBase):
    """One member as it inflates, counted against its declared size, its limit and the budget."""

    def __init__(self, archive: Archive, info: zipfile.ZipInfo, raw, limit: int | None):
        super().__init__()
        self._archive = archive
        self._info = info
        self._raw = raw
        self._limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        try:
            data = self._raw.read(min(size, CHUNK))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as error:
            raise refused("damaged") from error
        self.count += len(data)
        self._archive.spent += len(data)
        # zipfile stops at the declared size today; counting keeps the promise whatever reads it.
        if self.count > self._info.file_size:
            raise refused("member")
        if self._limit is not None and self.count > self._limit:
            raise refused("size", self._limit)
        if self._archive.spent > self._archive.max_read:
            raise refused("total", self._archive.max_read)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def stream_xml(
    stream: BinaryIO,
    start: Callable[[str], None],
    end: Callable[[str], None],
    data: Callable[[str], None] | None = None,
) -> None:
    """Parse the XML of `stream` chunk by chunk, calling `start`/`end` with each element's local
    name and `data` with its text in pieces; no tree is built. Raises ArchiveRefused ("xml")
    on nesting deeper than MAX_XML_DEPTH or a token longer than MAX_XML_TOKEN_BYTES, and
    ValueError (expat's) on XML that is not well formed."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    depth = 0
    position = 0  # where the last event was: what lies beyond it, expat holds unparsed

    def seen(*_args) -> None:
        nonlocal position
        position = parser.CurrentByteIndex

    def on_start(tag: str, _attributes) -> None:
        nonlocal depth
        seen()
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise refused("xml")
        start(tag.rsplit("}", 1)[-1])

    def on_end(tag: str) -> None:
        nonlocal depth
        seen()
        depth -= 1
        end(tag.rsplit("}", 1)[-1])

    def on_data(text: str) -> None:
        seen()
        if data is not None:
            data(text)

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_data
    parser.CommentHandler = seen
    parser.ProcessingInstructionHandler = seen
    fed = 0
    # expat resolves no external entity and (since 2.4.0) caps the expansion of internal ones.
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - position > MAX_XML_TOKEN_BYTES:
                raise refused("xml")
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ValueError(f"not well-formed XML: {error}") from error
