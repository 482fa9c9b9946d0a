"""The benchmark's large dataset, shared by bench/run.py and bench/cold.py.

A fresh database (a SQLite file under bench/results/, or a PostgreSQL database created on
127.0.0.1:5432), the schema through the migrations, 500 organizations and 5,000 people
bulk-inserted, then each area's records and pages (bench/scenarios/).
"""

import os
import random
import re
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import scenarios
from scenarios import BenchError, Context, Target

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"

ORGANIZATIONS = 500
PEOPLE = 5000
BENCH_EMAIL = "bench.organizer@roundtable.example"
DEFAULT_DATABASE_NAME = "roundtable_bench"
POSTGRESQL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@dataclass
class Dataset:
    database_url: str
    password: str
    # What the run's description names: organizations, people, documents, responses.
    sizes: dict[str, int]
    targets: list[Target]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def database_name(text: str) -> str:
    """`text` if it can name a database (and a file) as it is; else BenchError."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", text):
        raise BenchError(f"database name {text!r}: lower-case letters, digits and _ only")
    return text


def fresh_sqlite_url(name: str = DEFAULT_DATABASE_NAME) -> str:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{database_name(name)}.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_postgresql_url(name: str = DEFAULT_DATABASE_NAME) -> str:
    """Drop and create database `name` on the local server: two runs at once need two names."""
    import psycopg

    name = database_name(name)
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRESQL_SERVER}/{name}"


def fresh_database_url(postgresql: bool, name: str) -> str:
    return fresh_postgresql_url(name) if postgresql else fresh_sqlite_url(name)


def prepare_environment(database_url: str) -> None:
    """The settings of the in-process app, read by config.py when it is imported: call this first.
    Every cache is off here; the servers of the wrk load get their own environment."""
    os.environ.update(
        {
            "FLASK_CONFIG": "production",
            "DATABASE_URL": database_url,
            "BENCH_DATABASE_URL": database_url,  # the reference app's
            "SECRET_KEY": secrets.token_urlsafe(32),
            # Plain http on 127.0.0.1: a Secure cookie would never come back.
            "SESSION_COOKIE_SECURE": "0",
            # One address sends every request: the limiter would measure itself, not the pages.
            "RATELIMIT_ENABLED": "0",
            # The load sends the session cookies of its sign-in for the whole run: an organizer's
            # would otherwise end after 30 minutes, as if idle.
            "ORGANIZER_IDLE_MINUTES": "1440",
            "CACHE_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("MAIL_SERVER", None)
    for path in (str(BENCH_DIR), str(REPO_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)


def database_version(database_url: str) -> str:
    """ "SQLite 3.45.1" or "PostgreSQL 16.4": the server the figures were measured on."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                return "SQLite " + connection.scalar(text("SELECT sqlite_version()"))
            return "PostgreSQL " + connection.scalar(text("SHOW server_version")).split()[0]
    finally:
        engine.dispose()


def build_dataset(seed: int) -> Dataset:
    """Create the schema through the migrations and bulk-insert every area's records into the
    (empty) database of DATABASE_URL; prepare_environment has run."""
    from babel import Locale
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select
    from werkzeug.security import generate_password_hash

    from coordination import create_app
    from coordination.auth.models import Role, User
    from coordination.auth.rules import set_password
    from coordination.directory.models import Organization
    from coordination.extensions import db

    app = create_app("production")
    rng = random.Random(seed)
    started = time.monotonic()
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count(Organization.id))) or db.session.scalar(
            select(func.count(User.id))
        ):
            raise BenchError("the database is not empty")

        territories = Locale("en").territories
        countries = sorted(
            code for code in territories if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU"}
        )
        kinds = ["embassy", "un_agency", "ngo", "community", "government", "iom"]
        # Named country first, so that a page sorted by name mixes the kinds as a real directory does.
        labels = {
            "embassy": "Embassy",
            "un_agency": "UN Office",
            "ngo": "Relief Network",
            "community": "Community Association",
            "government": "Ministry Liaison",
            "iom": "IOM Mission",
        }
        organizations = []
        for number in range(1, ORGANIZATIONS + 1):
            kind = rng.choices(kinds, weights=[70, 6, 10, 8, 4, 2])[0]
            country = rng.choice(countries)
            organizations.append(
                {
                    "kind": kind,
                    "name": f"{territories[country]} {labels[kind]} {number:03d}",
                    "country": country if kind == "embassy" or rng.random() < 0.5 else None,
                    "city": rng.choice(["Cairo", "Cairo", "Cairo", "Giza", "Alexandria"]),
                    "address": f"{rng.randint(1, 120)} Nile Street, Garden City",
                    "email": f"contact@org{number:03d}.example",
                    "phone": f"+20 2 {rng.randint(1000000, 9999999)}",
                    "website": f"https://org{number:03d}.example",
                    "active": rng.random() >= 0.05,
                }
            )
        db.session.execute(insert(Organization), organizations)
        rows = db.session.execute(select(Organization.id, Organization.active)).all()
        organization_ids = [row.id for row in rows]
        active_ids = {row.id for row in rows if row.active}

        first_names = [
            "Amal",
            "Khaled",
            "Mona",
            "Omar",
            "Aminata",
            "Fatou",
            "Grace",
            "Daniel",
            "Ruth",
            "Lina",
        ]
        last_names = ["Haddad", "Nasser", "Diallo", "Traoré", "Okafor", "Mensah", "Tesfaye", "Bekele"]
        positions = ["Consul", "First Secretary", "Consular Officer", "Welfare Attaché", "Programme Officer"]
        # One cheap hash shared by the people who have set a password: nobody signs in as them.
        shared_hash = generate_password_hash(secrets.token_urlsafe(16), method="pbkdf2:sha256:1000")
        now = datetime.now(UTC)
        people = []
        for number in range(1, PEOPLE + 1):
            has_password = rng.random() < 0.7
            people.append(
                {
                    "email": f"person{number:05d}@people.example",
                    "name": f"{rng.choice(first_names)} {rng.choice(last_names)} {number}",
                    "position": rng.choice(positions),
                    "phone": f"+20 10 {rng.randint(10000000, 99999999)}",
                    "organization_id": rng.choice(organization_ids),
                    "role": Role.FOCAL_POINT if rng.random() < 0.1 else Role.MEMBER,
                    "preferred_language": rng.choice(["en", "fr", "ar"]),
                    "active": rng.random() >= 0.05,
                    "password_hash": shared_hash if has_password else None,
                    "invited_at": now - timedelta(days=rng.randint(1, 300)),
                    "last_login_at": now - timedelta(days=rng.randint(0, 60)) if has_password else None,
                }
            )
        db.session.execute(insert(User), people)

        password = secrets.token_urlsafe(18)
        organizer = User(
            email=BENCH_EMAIL,
            name="Benchmark Organizer",
            role=Role.ORGANIZER,
            preferred_language="en",
            organization_id=organization_ids[0],
        )
        set_password(organizer, password)
        db.session.add(organizer)
        db.session.commit()
        log(f"dataset: directory in {time.monotonic() - started:.1f} s")

        context = Context(
            rng=rng,
            organizer_email=BENCH_EMAIL,
            password=password,
            password_hash=organizer.password_hash,
            organization_ids=organization_ids,
            active_organization_ids=[oid for oid in organization_ids if oid in active_ids],
        )
        targets = []
        for module in scenarios.modules():
            module_started = time.monotonic()
            targets += module.build(context)
            db.session.commit()
            log(f"dataset: {module.__name__} in {time.monotonic() - module_started:.1f} s")
        return Dataset(
            database_url=app.config["SQLALCHEMY_DATABASE_URI"],
            password=password,
            sizes=_sizes(),
            targets=targets,
        )


def _sizes() -> dict[str, int]:
    from sqlalchemy import func, select

    from coordination.auth.models import User
    from coordination.directory.models import Organization
    from coordination.extensions import db
    from coordination.feedback.models import FeedbackForm, FeedbackResponse
    from coordination.library.models import Document

    responses = dict(
        db.session.execute(
            select(FeedbackForm.anonymous, func.count(FeedbackResponse.id))
            .join(FeedbackResponse, FeedbackResponse.form_id == FeedbackForm.id)
            .group_by(FeedbackForm.anonymous)
        ).all()
    )
    return {
        "organizations": db.session.scalar(select(func.count(Organization.id))),
        "people": db.session.scalar(select(func.count(User.id))),
        "documents": db.session.scalar(select(func.count(Document.id))),
        "named responses": responses.get(False, 0),
        "anonymous responses": responses.get(True, 0),
    }


def describe_sizes(sizes: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {what}" for what, count in sizes.items())
