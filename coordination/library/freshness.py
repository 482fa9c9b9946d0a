"""Keeps the library's cached lists fresh: any flush that changes what a list shows (documents,
their versions, shares, tags, collections) replaces the library's cache token in the same
transaction, as coordination/directory/freshness.py does for the directory."""

from coordination.fragments import watch
from coordination.library.models import (
    Collection,
    Document,
    DocumentOrganization,
    DocumentTag,
    DocumentVersion,
)

AREA = "library"
SHOWN = (Collection, Document, DocumentOrganization, DocumentTag, DocumentVersion)


def watch_library_changes() -> None:
    """Install the flush hook (once per process)."""
    watch(AREA, SHOWN)
