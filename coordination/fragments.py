"""Rendered page fragments kept in memory while the data they show has not changed.

Each cached area has a row in `cache_versions` holding a random token. Whatever changes the area's
data replaces the token in the same transaction (see `bump_token`), so a fragment rendered at an
older token is never served again. The token is read before the data, so a fragment can only be
labelled with a token older than what it shows, never newer: the worst case is one extra render.
Random tokens rather than counters, so that a database emptied and refilled (tests, restores)
never meets its old numbers again.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import chain

from flask import g, has_request_context
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import String, event, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from coordination.extensions import db


class CacheVersion(db.Model):
    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def current_token(name: str) -> str | None:
    """The area's current token, or None when it has none (then nothing is cached).

    Every area's token is read in one query, once per request (a page may hold fragments of
    several areas); a change within the request forgets them (see bump_token).
    """
    known = g.get("cache_tokens") if has_request_context() else None
    if known is None:
        # Core rather than ORM execution: this runs on every page, and needs no mapped objects.
        table = CacheVersion.__table__
        known = dict(db.session.connection().execute(select(table.c.name, table.c.token)).all())
        if has_request_context():
            g.cache_tokens = known
    return known.get(name)


def bump_token(connection, name: str) -> None:
    """Give the area a new token on `connection`, inside the transaction that changed its data."""
    token = secrets.token_hex(16)
    if has_request_context():
        g.pop("cache_tokens", None)
    result = connection.execute(update(CacheVersion).where(CacheVersion.name == name).values(token=token))
    if result.rowcount == 0:
        connection.execute(insert(CacheVersion).values(name=name, token=token))


# area → (the models whose rows its fragments show, per model the columns they do not show)
_WATCHED: dict[str, tuple[tuple[type, ...], dict[type, frozenset[str]]]] = {}


def watch(area: str, models: tuple[type, ...], unshown: dict[type, set[str]] | None = None) -> None:
    """Replace `area`'s token in the transaction of every flush that adds, deletes or changes a
    row of `models` (a change to `unshown` columns alone does not count).

    A flush hook rather than a call in each rule, so that no way of changing the data (a form, an
    import, a command, a later area) can forget it. A bulk `insert()`/`update()` bypasses flushes
    and must call `bump_token` itself.
    """
    _WATCHED[area] = (models, {model: frozenset(names) for model, names in (unshown or {}).items()})
    if not event.contains(Session, "before_flush", _note_changed_areas):
        event.listen(Session, "before_flush", _note_changed_areas)
        event.listen(Session, "after_flush", _bump_changed_areas)


def _note_changed_areas(session: Session, _context, _instances) -> None:
    changed = session.info.setdefault("changed_areas", set())
    for area, (models, unshown) in _WATCHED.items():
        if area not in changed and _touches(session, models, unshown):
            changed.add(area)


def _touches(session: Session, models: tuple[type, ...], unshown: dict[type, frozenset[str]]) -> bool:
    if any(isinstance(record, models) for record in chain(session.new, session.deleted)):
        return True
    for record in session.dirty:
        if not isinstance(record, models) or not session.is_modified(record):
            continue
        hidden = unshown.get(type(record))
        if not hidden:
            return True
        if any(attr.history.has_changes() and attr.key not in hidden for attr in inspect(record).attrs):
            return True
    return False


def _bump_changed_areas(session: Session, _context) -> None:
    for area in sorted(session.info.pop("changed_areas", ())):
        bump_token(session.connection(), area)


class FragmentCache:
    """A bounded, thread-safe map of (area, token, key) → rendered HTML, least recently used out."""

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, area: str | None, key: Hashable, render: Callable[[], str]) -> Markup:
        """The fragment for `key` at the area's current token, rendering it if it is not kept.

        `render` must show nothing that depends on the viewer beyond what `key` holds. CSRF
        tokens belong to a session: while a fragment renders, templates' `csrf_token()` writes
        CSRF_SLOT, and the outermost fragment fills the slot with the session's token on return.
        A fragment kept inside another thus stays a slot until the outer one is served.
        """
        # No area: the fragment shows no data, only templates and translations.
        token = current_token(area) if area is not None else "static"
        full_key = (area, token, key)
        html = None
        if token is not None:
            with self._lock:
                if full_key in self._items:
                    self._items.move_to_end(full_key)
                    html = self._items[full_key]
        if html is None:
            html = _render_kept(render)
            if token is not None:
                with self._lock:
                    self._items[full_key] = html
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        if g.get("fragment_depth") or CSRF_SLOT not in html:
            return html
        return html.replace(CSRF_SLOT, generate_csrf())


def _render_kept(render: Callable[[], str]) -> Markup:
    g.fragment_depth = g.get("fragment_depth", 0) + 1
    try:
        html = Markup(render())  # noqa: S704 - a rendered template, escaped by Jinja
    finally:
        g.fragment_depth -= 1
    # A form's hidden_tag() asks Flask-WTF for the token itself, past csrf_token(): never keep it.
    session_token = g.get("csrf_token")
    if session_token and session_token in html:
        raise RuntimeError("a kept fragment holds a session's CSRF token: write it with csrf_token()")
    return html


CSRF_SLOT = "csrf-token-slot-7f3a"


def csrf_token() -> str:
    """Templates' `csrf_token()`: the slot inside a kept fragment, else the session's token."""
    return CSRF_SLOT if g.get("fragment_depth") else generate_csrf()


fragments = FragmentCache()
