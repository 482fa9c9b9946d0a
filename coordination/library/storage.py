"""Files of the library on disk: under generated names in UPLOAD_FOLDER, outside the static folder.

An upload is copied in chunks to a hidden `.part` file while it is hashed, then renamed into place
only once its type is accepted; whatever fails on the way removes the part file, so an interrupted
or refused upload leaves nothing behind.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

CHUNK = 1024 * 1024


def folder() -> Path:
    """The library's own folder inside UPLOAD_FOLDER (other areas keep theirs beside it)."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "library"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name: str) -> Path:
    return folder() / stored_name


@dataclass
class PartFile:
    path: Path
    size: int
    sha256: str
    stored_name: str | None = None  # set once renamed into place

    def keep(self) -> str:
        """Rename into place under a new generated name, which it returns."""
        self.stored_name = secrets.token_hex(20)
        os.replace(self.path, folder() / self.stored_name)
        return self.stored_name

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def receive(stream) -> PartFile:
    """Copy `stream` to a part file in the upload folder, hashing it on the way."""
    path = folder() / f".{secrets.token_hex(16)}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return PartFile(path=path, size=size, sha256=digest.hexdigest())


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)
