"""Events of the roundtables area that other areas may act on (blinker signals)."""

from blinker import Namespace

_signals = Namespace()

# Sent by complete_roundtable with the roundtable as sender and `actor=` the organizer, before
# the commit: receivers add to the same transaction (queue mail, flush) and never commit.
roundtable_completed = _signals.signal("roundtable-completed")
