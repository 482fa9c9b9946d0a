"""Fixtures: the application built once per session on SQLite or TEST_DATABASE_URL, tables emptied
after each test, a client per test, role fixtures, and a real SMTP server.

Under pytest-xdist each worker has its own database: a SQLite file in its own temporary directory,
or on PostgreSQL `<database>_<worker>` (made here when missing), which TEST_DATABASE_URL then
names for everything the worker starts, subprocesses included.
"""

import contextvars
import functools
import os
import re
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import psycopg
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event
from sqlalchemy.engine import make_url

from coordination import create_app
from coordination.auth.models import Role
from coordination.extensions import db, limiter
from tests.factories import PASSWORD, make_organization, make_user


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL")
    if worker and url:
        os.environ["TEST_DATABASE_URL"] = _worker_database(url, worker)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Under `--dist loadgroup` the browser tests share one worker, which starts chromium once."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_make_parametrize_id(config, val, argname):
    """Long bytes (generated files) are named by the argument alone: a zip or xlsx made at import
    holds the time, so its bytes differ from one xdist worker to the next, and the workers must
    collect the same test ids."""
    if isinstance(val, bytes) and len(val) > 40:
        return argname
    return None


def _worker_database(url: str, worker: str) -> str:
    """The URL of this worker's own PostgreSQL database next to `url`'s, created when missing."""
    url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_{worker}"
    server = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _empty_database(engine) -> None:
    """Drop everything, so that the migrations build the schema from nothing."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    else:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


class IsolatedClient(FlaskClient):
    """A test client whose requests run outside the test's app context, as a browser's would.

    Flask reuses an app context that is already pushed, so without this every request of a test
    would share the test's `g` (and Flask-Login's cached user) and its database session. After
    each request the test's session forgets what it loaded, so that it reads what was saved.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # already isolated: a redirect being followed
            return super().open(*args, **kwargs)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_database_url(tmp_path_factory),
        UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")),
        SERVER_NAME="roundtable.test",
        BASE_URL="http://roundtable.test",
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        _empty_database(db.engine)
        upgrade()
    return application


@functools.cache
def _probe(dialect) -> str:
    """One statement naming the tables that hold rows."""
    quote = dialect.identifier_preparer.format_table
    return " UNION ALL ".join(
        f"SELECT {index} WHERE EXISTS (SELECT 1 FROM {quote(table)})"
        for index, table in enumerate(db.metadata.sorted_tables)
    )


def _empty_tables(engine) -> None:
    """DELETE from the tables a test wrote to, children first, in one transaction.

    Measured on this machine: TRUNCATE costs PostgreSQL about a second (new files for every
    table), DELETE a few milliseconds. Rolling back a savepoint instead cannot work here: views
    commit, requests run in their own contexts, and the browser tests' server has its own
    connections."""
    tables = db.metadata.sorted_tables
    with engine.begin() as connection:
        written = connection.exec_driver_sql(_probe(engine.dialect)).scalars().all()
        for index in sorted(written, reverse=True):
            connection.execute(tables[index].delete())


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Each test gets an app context, and leaves empty tables and rate limits behind it."""
    with app.app_context():
        yield
        forget_everything()
    limiter.reset()


def forget_everything() -> None:
    """Drop the session's unsaved work and empty the tables: what happens after each test, and
    between the examples of a property test."""
    db.session.rollback()
    db.session.remove()
    _empty_tables(db.engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_app(app):
    """The same application with CSRF protection switched on, for the tests that need it."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def login(client, user, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, f"could not sign in as {user.email}"
    return response


# Role fixtures: an embassy with a focal point and a member, another embassy with its focal point,
# and an organizer from IOM.
@pytest.fixture
def organization():
    return make_organization(name="Embassy of Sudan", country="SD")


@pytest.fixture
def other_organization():
    return make_organization(name="Embassy of Eritrea", country="ER")


@pytest.fixture
def organizer():
    iom = make_organization(name="IOM Egypt", kind="iom", country="EG")
    return make_user(
        name="Olga Organizer", email="organizer@iom.example", role=Role.ORGANIZER, organization=iom
    )


@pytest.fixture
def focal_point(organization):
    return make_user(
        name="Fatima Focal", email="focal@sd.example", role=Role.FOCAL_POINT, organization=organization
    )


@pytest.fixture
def member(organization):
    return make_user(
        name="Moses Member", email="member@sd.example", role=Role.MEMBER, organization=organization
    )


@pytest.fixture
def other_focal_point(other_organization):
    return make_user(
        name="Omar Other", email="focal@er.example", role=Role.FOCAL_POINT, organization=other_organization
    )


@dataclass
class MailCatcher:
    """What a real SMTP server received, parsed.

    The application sends in the request (or command) that queued the mail, and the server has
    stored a message before it accepts it, so `messages` is complete once the request returns:
    a test that checks that nothing more came reads it directly, with no wait."""

    messages: list[Message] = field(default_factory=list)
    refuse: bool = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Message]:
        wait_until(lambda: len(self.messages) >= count, timeout)
        return self.messages


def wait_until(condition, timeout: float = 5.0, interval: float = 0.005) -> bool:
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False): tests wait for
    what they need rather than for a fixed time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


def body_text(message: Message) -> str:
    """The text/plain part of a received message, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def first_link(message: Message, path_prefix: str) -> str:
    """The path of the first link in the message that starts with `path_prefix`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s\"<]*)", body_text(message))
    assert match, f"no link to {path_prefix} in the message"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on a free port, with the application pointed at it."""
    catcher = MailCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", controller.port
    yield catcher
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved
    controller.stop()


@pytest.fixture
def count_queries(app):
    """`with count_queries() as statements:` collects every SQL statement sent during the block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

    return counting
