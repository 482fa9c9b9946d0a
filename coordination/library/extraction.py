"""Text of uploaded files for search and the personal-data guard: every part of every accepted file
is read (coordination/library/reading.py) and passes the guard; the search index keeps the first
MAX_CHARS of it."""

from pathlib import Path

from coordination import archives, guard
from coordination.library import reading

MAX_CHARS = 1_000_000


def extract(path: Path, kind: str) -> tuple[str, list[str]]:
    """The text of the file at `path` of `kind` (bounded) and the guard's findings over all of it.

    Raises reading.Unreadable (a ValueError) when the file cannot be read to its end, and
    archives.ArchiveRefused when its compressed content inflates beyond the limits.
    """
    scan = guard.Scan()
    parts: list[str] = []
    size = 0
    try:
        for part in reading.read(path, kind):
            scan.feed(part)
            if size < MAX_CHARS:
                parts.append(part)
                size += len(part)
    except reading.Unreadable:
        raise
    except archives.ArchiveRefused as error:
        if error.code != "damaged":
            raise
        raise reading.Unreadable(str(error.message)) from error
    except Exception as error:  # a damaged or hostile file: held for a person to read
        raise reading.Unreadable(f"{type(error).__name__}: {error}") from error
    return "\n".join(parts)[:MAX_CHARS], scan.findings()
