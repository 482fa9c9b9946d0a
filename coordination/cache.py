"""Data kept between requests: one declarative helper, one invalidation path, shared by every worker.

A page that is still too slow once its queries are right may keep what it computes:

    @kept(depends_on=(Service, ServiceCriterion, Criterion), vary_by=("language",))
    def catalogue_cards(language: str) -> list[dict]:
        ...

- `depends_on` names the models (or tables) whose rows the function reads. Each table has a
  generation, a random token renewed after every commit that wrote to it (the flush hook and the
  bulk-statement hook below, the only invalidation path: no rule calls anything). A kept value is
  filed under the generations of its tables, so a write makes it unreachable on every worker and
  host at once.
- `vary_by` names the function's parameters, all of them: the key is made of their values, which
  must be plain (str, int, float, bool, None). What the function reads that is not a parameter or a
  row of `depends_on` (the viewer, the time, a setting) must become a parameter or it will be
  shared; nothing viewer-specific is ever kept beyond what `vary_by` says.
- Values are JSON (dicts, lists, strings, numbers) or Markup; a hit and a miss return the same
  shape, decoded from JSON. A value holding the session's CSRF token is refused.

The store is Redis when CACHE_REDIS_URL is set (shared by workers and hosts), else this process's
memory (one process: development, tests, a single worker). CACHE_ENABLED off computes every time.
Writes through a Core connection outside the ORM session (`engine.begin()`, raw SQL) are not seen:
use the session, as every rule does.
"""

import functools
import hashlib
import inspect
import json
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from itertools import chain

from flask import Flask, current_app, g, has_app_context, has_request_context
from markupsafe import Markup
from sqlalchemy import Table, event
from sqlalchemy import inspect as inspect_record
from sqlalchemy.orm import Session, attributes

log = logging.getLogger(__name__)

PLAIN = (str, int, float, bool, type(None))
_PENDING = "cache_changed_tables"


class MemoryStore:
    """Kept values and generations in this process, least recently used values out past `size`."""

    def __init__(self, timeout: int, size: int = 1024):
        self.timeout = timeout
        self.size = size
        self._values: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._generations: dict[str, str] = {}
        self._lock = threading.Lock()

    def generations(self, tables: tuple[str, ...]) -> list[str]:
        with self._lock:
            return [self._generations.setdefault(table, secrets.token_hex(8)) for table in tables]

    def renew(self, tables: Iterable[str]) -> None:
        with self._lock:
            for table in tables:
                self._generations[table] = secrets.token_hex(8)

    def get(self, key: str) -> str | None:
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._values[key]
                return None
            self._values.move_to_end(key)
            return found[1]

    def set(self, key: str, payload: str) -> None:
        with self._lock:
            self._values[key] = (time.monotonic() + self.timeout, payload)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)


class RedisStore:
    """Kept values and generations in Redis under `prefix`, values expiring after `timeout` seconds."""

    def __init__(self, url: str, prefix: str, timeout: int):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.prefix = prefix
        self.timeout = timeout

    def _generation_key(self, table: str) -> str:
        return f"{self.prefix}generation:{table}"

    def generations(self, tables: tuple[str, ...]) -> list[str]:
        keys = [self._generation_key(table) for table in tables]
        found = self.client.mget(keys)
        for index, value in enumerate(found):
            if value is None:
                # A generation evicted or never set gets a new random one, never "none": a value
                # kept under an old generation must not become reachable again.
                self.client.set(keys[index], secrets.token_hex(8), nx=True)
                found[index] = self.client.get(keys[index])
        return [value.decode() if isinstance(value, bytes) else str(value) for value in found]

    def renew(self, tables: Iterable[str]) -> None:
        with self.client.pipeline(transaction=False) as pipe:
            for table in tables:
                pipe.set(self._generation_key(table), secrets.token_hex(8))
            pipe.execute()

    def get(self, key: str) -> str | None:
        value = self.client.get(self.prefix + key)
        return value.decode() if value is not None else None

    def set(self, key: str, payload: str) -> None:
        self.client.set(self.prefix + key, payload, ex=self.timeout)


def init_app(app: Flask) -> None:
    """Give `app` its store (none when CACHE_ENABLED is off) and install the invalidation hooks."""
    store: MemoryStore | RedisStore | None = None
    if app.config["CACHE_ENABLED"]:
        timeout = app.config["CACHE_TIMEOUT"]
        if app.config["CACHE_REDIS_URL"]:
            store = RedisStore(app.config["CACHE_REDIS_URL"], app.config["CACHE_KEY_PREFIX"], timeout)
        else:
            store = MemoryStore(timeout)
    app.extensions["cache"] = store
    _listen()


def _store() -> MemoryStore | RedisStore | None:
    return current_app.extensions.get("cache") if has_app_context() else None


def _table_names(depends_on: tuple) -> tuple[str, ...]:
    names = set()
    for item in depends_on:
        if isinstance(item, Table):
            names.add(item.name)
        else:
            names.update(table.name for table in inspect_record(item).tables)
    return tuple(sorted(names))


def kept(*, depends_on: tuple, vary_by: tuple[str, ...] = ()) -> Callable:
    """Keep what the decorated function returns, per value of its parameters (`vary_by`, which must
    name them all), until a commit writes to a table of `depends_on`.

    Raises TypeError when `vary_by` and the parameters differ, or (on a call) when an argument is
    not a plain value; RuntimeError when a value to keep holds the session's CSRF token.
    """
    if not depends_on:
        raise TypeError("a kept function depends on at least one model or table")
    tables = _table_names(depends_on)

    def decorate(function: Callable) -> Callable:
        signature = inspect.signature(function)
        if set(signature.parameters) != set(vary_by) or len(vary_by) != len(set(vary_by)):
            raise TypeError(
                f"{function.__qualname__}: vary_by {vary_by} must name every parameter "
                f"{tuple(signature.parameters)}, so that nothing it is given is shared"
            )
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            store = _store()
            if store is None:
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            values = [bound.arguments[parameter] for parameter in vary_by]
            for parameter, value in zip(vary_by, values, strict=True):
                if not isinstance(value, PLAIN):
                    raise TypeError(f"{name}: {parameter} must be a plain value, not {type(value).__name__}")
            try:
                key = _key(name, store.generations(tables), values)
                payload = store.get(key)
            except Exception as exc:  # an unreachable store costs speed, never the page
                log.warning("cache unavailable, computing %s: %s", name, exc)
                return function(*args, **kwargs)
            if payload is None:
                payload = _dump(name, function(*args, **kwargs))
                try:
                    store.set(key, payload)
                except Exception as exc:
                    log.warning("cache unavailable, %s not kept: %s", name, exc)
            return _load(payload)

        return wrapper

    return decorate


def _key(name: str, generations: list[str], values: list) -> str:
    material = json.dumps([name, generations, values], separators=(",", ":"))
    return f"value:{name}:{hashlib.sha256(material.encode()).hexdigest()}"


def _dump(name: str, value) -> str:
    payload = json.dumps({"html": str(value)} if isinstance(value, Markup) else {"data": value})
    # Flask-WTF keeps the session's token in g once a form or csrf_token() has asked for it.
    token = g.get("csrf_token") if has_request_context() else None
    if token and token in payload:
        raise RuntimeError(f"{name} would keep the session's CSRF token: render it outside the kept value")
    return payload


def _load(payload: str):
    decoded = json.loads(payload)
    if "html" in decoded:
        return Markup(decoded["html"])  # noqa: S704 - HTML the application rendered and kept
    return decoded["data"]


# The one invalidation path: what a session writes is noted at each flush (and for bulk statements
# when they run), and the tables' generations are renewed once the transaction has committed, so a
# worker reading in between keeps at worst the old data under the old generation.


def _listen() -> None:
    if event.contains(Session, "after_flush", _note_flushed):
        return
    event.listen(Session, "after_flush", _note_flushed)
    event.listen(Session, "do_orm_execute", _note_bulk_statement)
    event.listen(Session, "after_commit", _renew_written)
    event.listen(Session, "after_soft_rollback", _forget_written)


def _note_flushed(session: Session, _context) -> None:
    written = session.info.setdefault(_PENDING, set())
    for record in chain(session.new, session.dirty, session.deleted):
        if record in session.dirty and not session.is_modified(record):
            continue
        mapper = inspect_record(record).mapper
        written.update(table.name for table in mapper.tables)
        for relationship in mapper.relationships:
            secondary = relationship.secondary
            if isinstance(secondary, Table) and (
                record in session.deleted
                or attributes.get_history(
                    record, relationship.key, attributes.PASSIVE_NO_INITIALIZE
                ).has_changes()
            ):
                written.add(secondary.name)


def _note_bulk_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name:
            state.session.info.setdefault(_PENDING, set()).add(name)


def _renew_written(session: Session) -> None:
    written = session.info.pop(_PENDING, None)
    store = _store()
    if not written or store is None:
        return
    try:
        store.renew(sorted(written))
    except Exception:
        # The commit stands; pages keeping these tables' data may be stale until CACHE_TIMEOUT.
        log.exception("cache: could not renew the generations of %s", sorted(written))


def _forget_written(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
