"""Keeps the fragments that show announcements (the home page) fresh: a flush that adds, changes
or removes an announcement replaces the area's cache token in the same transaction."""

from coordination.announcements.models import Announcement
from coordination.fragments import watch

AREA = "announcements"


def watch_announcement_changes() -> None:
    """Install the flush hook (once per process)."""
    watch(AREA, (Announcement,))
