"""Keeps the suggestions list's cached fragments fresh: a flush that adds, changes or removes a
suggestion, a support or a comment replaces the area's cache token in the same transaction.

Organization names on the list come from the directory: the list's key holds the directory's token
too (see views.suggestions), so a renamed organization shows at once.
"""

from coordination.fragments import watch
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionSupport

AREA = "suggestions"
WATCHED = (Suggestion, SuggestionSupport, SuggestionComment)


def watch_suggestion_changes() -> None:
    """Install the flush hook (once per process)."""
    watch(AREA, WATCHED)
