"""Events of the roundtables area that other areas may act on (blinker signals)."""

from blinker import Namespace

_signals = Namespace()

# Sent by complete_roundtable with the roundtable as sender and `actor=` the organizer, before
# the commit: receivers add to the same transaction (queue mail, flush) and never commit.
roundtable_completed = _signals.signal("roundtable-completed")

# Sent by prepare_next with the roundtable copied as sender, `copy=` the new draft and `actor=`,
# before the commit, on the same terms.
roundtable_prepared = _signals.signal("roundtable-prepared")
