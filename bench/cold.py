"""CPU per request of each page with every cache off, as a ratio to the reference page.

The application and the reference app (`bench/reference_app.py`) run in this one process, called
through their WSGI test clients: no server, no network, no other process's work in the figure.
Each page is measured right after the reference, `--requests` times each, in `--rounds` rounds;
the ratio is the median over the rounds of (page's CPU per request) ÷ (reference's). CPU time is
`time.process_time()`, so a busy machine moves the figures less than it moves wall-clock time.

    .venv/bin/python bench/cold.py                      # SQLite, the large scenario
    .venv/bin/python bench/cold.py --postgresql         # the same on PostgreSQL (127.0.0.1:5432)
    .venv/bin/python bench/cold.py --only "library"     # the pages whose name holds the text

Targets (house issue, point 1): every page at most 4×, unless its scenario names another bound
(`Target.max_cold_ratio`). Exit status 0 once the table is printed, targets met or not.
"""

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
POSTGRESQL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
POSTGRESQL_DATABASE = "roundtable_bench"
HOST = "http://127.0.0.1"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class ColdFigures:
    name: str
    path: str
    bound: float
    queries: int = 0
    cpu_ms: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def verdict(self) -> str:
        met = self.ratio <= self.bound
        return f"meets target (≤ {self.bound:g}×)" if met else f"MISSES (> {self.bound:g}×)"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgresql", action="store_true", help="build the dataset on PostgreSQL")
    parser.add_argument("--requests", type=int, default=20, help="requests per page and round (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", help="measure only the pages whose name contains this text")
    parser.add_argument(
        "--database-name",
        default=POSTGRESQL_DATABASE,
        help=f"PostgreSQL database to drop and build, with --postgresql (default {POSTGRESQL_DATABASE})",
    )
    return parser.parse_args(argv)


def fresh_postgresql_url(name: str = POSTGRESQL_DATABASE) -> str:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRESQL_SERVER}/{name}"


def _forget_kept_pages() -> None:
    """Until no view keeps rendered HTML any more, empty what they kept before each request."""
    try:
        from coordination.fragments import fragments
    except ImportError:
        return
    fragments._items.clear()


class Client:
    """A test client of one app that counts its SQL statements."""

    def __init__(self, app, engine):
        from sqlalchemy import event

        self.client = app.test_client()
        self.app = app
        self.statements = 0

        def count(*_args):
            self.statements += 1

        event.listen(engine, "before_cursor_execute", count)

    def request(self, method: str, path: str, data: dict | None = None):
        _forget_kept_pages()
        return self.client.open(path, method=method, data=data, base_url=HOST)

    def sign_in(self, email: str, password: str) -> None:
        page = self.request("GET", "/login").get_data(as_text=True)
        token = CSRF.search(page)
        if token is None:
            raise SystemExit("no CSRF token on /login")
        form = {"csrf_token": token.group(1), "email": email, "password": password}
        answer = self.request("POST", "/login", form)
        if answer.status_code != 302:
            raise SystemExit(f"signing in as {email} answered {answer.status_code}")


def cpu_per_request(client: Client, method: str, path: str, data: dict | None, requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        answer = client.request(method, path, data)
        answer.close()
    return (time.process_time() - started) / requests * 1000


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = fresh_postgresql_url(args.database_name) if args.postgresql else None
    os.environ.update(
        {
            "FLASK_CONFIG": "production",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SESSION_COOKIE_SECURE": "0",
            "RATELIMIT_ENABLED": "0",
            "CACHE_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("MAIL_SERVER", None)
    sys.path[:0] = [str(REPO_DIR), str(BENCH_DIR)]
    import run  # the dataset builder of the wrk benchmark

    if database_url is None:
        database_url = run.fresh_sqlite_url()
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"] = database_url
    started = time.monotonic()
    dataset = run.build_dataset(args.seed)
    run.log(f"dataset in {time.monotonic() - started:.1f} s ({database_url})")

    import reference_app

    from coordination import create_app
    from coordination.extensions import db

    app = create_app("production")
    app.config["CACHE_ENABLED"] = False
    with app.app_context():
        engine = db.engine
    with reference_app.app.app_context():
        reference_engine = reference_app.db.engine
    reference = Client(reference_app.app, reference_engine)

    targets = [t for t in dataset.targets if not args.only or args.only in t.name]
    clients: dict[str | None, Client] = {}
    figures = []
    for target in targets:
        if target.user not in clients:
            clients[target.user] = Client(app, engine)
            if target.user:
                clients[target.user].sign_in(target.user, dataset.password)
        client = clients[target.user]
        data = None
        if target.method == "POST":
            form_page = client.request("GET", target.csrf_from).get_data(as_text=True)
            token = CSRF.search(form_page)
            data = {**(target.form or {}), "csrf_token": token.group(1) if token else ""}
        answer = client.request(target.method, target.path, data)
        body = answer.get_data(as_text=True)
        if answer.status_code != 200 or (target.expect_text and target.expect_text not in body):
            raise SystemExit(f"{target.name}: {target.path} answered {answer.status_code} or lacks its text")
        before = client.statements
        client.request(target.method, target.path, data).close()
        entry = ColdFigures(target.name, target.path, getattr(target, "max_cold_ratio", None) or 4.0)
        entry.queries = client.statements - before
        figures.append(entry)

    for round_number in range(args.rounds):
        for entry, target in zip(figures, targets, strict=True):
            client = clients[target.user]
            data = None
            if target.method == "POST":
                form_page = client.request("GET", target.csrf_from).get_data(as_text=True)
                token = CSRF.search(form_page)
                data = {**(target.form or {}), "csrf_token": token.group(1) if token else ""}
            cpu_per_request(reference, "GET", "/", None, 3)
            reference_ms = cpu_per_request(reference, "GET", "/", None, args.requests)
            cpu_per_request(client, target.method, target.path, data, 2)
            page_ms = cpu_per_request(client, target.method, target.path, data, args.requests)
            entry.cpu_ms.append(page_ms)
            entry.ratios.append(page_ms / reference_ms)
        run.log(f"round {round_number + 1} of {args.rounds} done")

    database = "postgresql" if args.postgresql else "sqlite"
    description = (
        f"Cold run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {database} · "
        f"{dataset.organizations} organizations, {dataset.people} people · every cache off · "
        f"{args.requests} requests × {args.rounds} rounds, CPU per request in this process; ratios are "
        "medians of the pairs (page ÷ the reference measured just before)."
    )
    header = "| page | path | queries | CPU ms | CPU ÷ ref | target |\n|---|---|---:|---:|---:|---|"
    lines = [
        f"| {e.name} | `{e.path}` | {e.queries} | {statistics.median(e.cpu_ms):.2f} | {e.ratio:.1f} "
        f"| {e.verdict} |"
        for e in figures
    ]
    table = "\n".join([description, "", *header.split("\n"), *lines])
    print(table)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"cold-{database}.md"
    path.write_text(table + "\n", encoding="utf-8")
    print(f"\nwritten to {path.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
