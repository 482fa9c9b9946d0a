"""The pages the benchmark loads, one module per area.

Each module of this package has a function `build(context: Context) -> list[Target]`. It runs
inside the application context, after the directory (500 organizations, 5,000 people and the
benchmark organizer) is in the database; it adds the area's records (bulk inserts, please: the
dataset should take seconds) and names the pages to load. Modules run in alphabetical order,
`directory` first; `viewers` (pages loaded by many users in turn) comes last, on the others' data.
"""

import importlib
import pkgutil
import random
from dataclasses import dataclass


class BenchError(Exception):
    """Something needed for the measurement did not work; the message says what."""


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    # The e-mail of the user the page is loaded as (signed in through the login form with
    # `Context.password`); None loads it anonymously.
    user: str | None = None
    # Or the e-mails of many users who load it in turn (wrk rotates their session cookies,
    # bench/cold.py takes several of them): a cache kept per viewer would rarely be hit, as with
    # real traffic. When set, `user` is not used.
    viewers: tuple[str, ...] = ()
    expect_text: str | None = None
    # The bound of its CPU per request with every cache off, as a multiple of the reference's
    # (bench/cold.py); the house issue's default is 4.
    max_cold_ratio: float = 4.0
    # A POST target: `form` is sent form-encoded (wrk through a Lua script), with the CSRF token of
    # the form on the page at `csrf_from`, fetched with the same session just before loading.
    method: str = "GET"
    form: dict[str, str] | None = None
    csrf_from: str | None = None

    @property
    def users(self) -> tuple[str | None, ...]:
        """Who loads the page: its viewers, else its one user (None: anonymous)."""
        return self.viewers or (self.user,)


@dataclass
class Context:
    rng: random.Random
    organizer_email: str
    # The password of the benchmark organizer; give a user `password_hash` to sign in as them too.
    password: str
    password_hash: str
    organization_ids: list[int]  # every organization, in insertion order
    active_organization_ids: list[int]


def modules() -> list:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    names.sort(key=lambda name: name != "directory")
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
