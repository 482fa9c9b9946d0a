"""CPU per request of each page with every cache off, as a ratio to the reference page.

The application and the reference app (`bench/reference_app.py`) run in this one process, called
through their WSGI test clients: no server, no network, no other process's work in the figure.
Each page is measured right after the reference, `--requests` times each, in `--rounds` rounds;
the ratio is the median over the rounds of (page's CPU per request) ÷ (reference's). CPU time is
`time.process_time()`, so a busy machine moves the figures less than it moves wall-clock time.
A page loaded by many viewers (`Target.viewers`) is requested by several of them in turn.

    .venv/bin/python bench/cold.py                      # SQLite, the large scenario
    .venv/bin/python bench/cold.py --postgresql         # the same on PostgreSQL (127.0.0.1:5432)
    .venv/bin/python bench/cold.py --only "library"     # the pages whose name holds the text

bench/run.py runs this measurement too (and the wrk load, and writes bench/RESULTS.md); alone,
this script writes its table to bench/results/<name>/cold-<database>.md. Targets (house issue, point 1):
every page at most 4×, unless its scenario names another bound (`Target.max_cold_ratio`).
Exit status 0 once the table is printed, targets met or not; 1 when something failed to run.
"""

import argparse
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from dataset import (
    DEFAULT_DATABASE_NAME,
    REPO_DIR,
    RESULTS_DIR,
    BenchError,
    build_dataset,
    describe_sizes,
    fresh_database_url,
    log,
    prepare_environment,
)
from scenarios import Target

HOST = "http://127.0.0.1"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# How many of a page's viewers the in-process measurement signs in and takes in turn.
COLD_VIEWERS = 10


@dataclass
class ColdFigures:
    name: str
    path: str
    bound: float
    viewers: int
    queries: set[int] = field(default_factory=set)
    cpu_ms: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def verdict(self) -> str:
        met = self.ratio <= self.bound
        return f"meets target (≤ {self.bound:g}×)" if met else f"MISSES (> {self.bound:g}×)"

    @property
    def query_counts(self) -> str:
        """The statements per request: one number, or "low–high" when viewers differ."""
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options bench/run.py shares with this script."""
    parser.add_argument("--postgresql", action="store_true", help="build the dataset on PostgreSQL")
    parser.add_argument(
        "--database-name",
        default=DEFAULT_DATABASE_NAME,
        help="the database to create (DROPPED first if it exists), or bench/results/NAME.db on SQLite; "
        f"give two runs at once two names (default {DEFAULT_DATABASE_NAME})",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated dataset")
    parser.add_argument("--only", help="measure only the pages whose name contains this text")
    parser.add_argument(
        "--requests", type=int, default=20, help="cold: requests per page and round (default 20)"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    return parser.parse_args(argv)


class Client:
    """A test client of one app; `statements` counts the SQL statements of its engine."""

    def __init__(self, app, statements: "StatementCounter"):
        self.client = app.test_client()
        self.statements = statements

    def request(self, method: str, path: str, data: dict | None = None):
        _forget_kept_pages()
        return self.client.open(path, method=method, data=data, base_url=HOST)

    def sign_in(self, email: str, password: str) -> None:
        page = self.request("GET", "/login").get_data(as_text=True)
        token = CSRF.search(page)
        if token is None:
            raise BenchError("no CSRF token on /login")
        form = {"csrf_token": token.group(1), "email": email, "password": password}
        answer = self.request("POST", "/login", form)
        if answer.status_code != 302 or "/login" in answer.headers.get("Location", ""):
            raise BenchError(f"signing in as {email} answered {answer.status_code}")

    def form_data(self, target: Target) -> dict | None:
        """A POST target's fields with a fresh CSRF token of this client's session."""
        if target.method != "POST":
            return None
        form_page = self.request("GET", target.csrf_from or target.path).get_data(as_text=True)
        token = CSRF.search(form_page)
        if token is None:
            raise BenchError(f"{target.name}: no CSRF token on {target.csrf_from}")
        return {**(target.form or {}), "csrf_token": token.group(1)}


class StatementCounter:
    """Counts the statements sent through one engine (one listener, whatever the clients)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def _forget_kept_pages() -> None:
    """Until no view keeps rendered HTML any more, empty what they kept before each request."""
    try:
        from coordination.fragments import fragments
    except ImportError:
        return
    fragments._items.clear()


def cpu_per_request(
    clients: list[Client], method: str, path: str, data: list[dict | None], requests: int
) -> float:
    """Milliseconds of this process's CPU per request, the clients taking the requests in turn."""
    started = time.process_time()
    for number in range(requests):
        turn = number % len(clients)
        clients[turn].request(method, path, data[turn]).close()
    return (time.process_time() - started) / requests * 1000


def measure(targets: list[Target], password: str, requests: int, rounds: int) -> list[ColdFigures]:
    """Check every page (200, its text), count its statements, then measure it beside the
    reference, round after round. Needs prepare_environment and the dataset built."""
    import reference_app

    from coordination import create_app
    from coordination.extensions import db

    app = create_app("production")
    app.config["CACHE_ENABLED"] = False
    with app.app_context():
        statements = StatementCounter(db.engine)
    with reference_app.app.app_context():
        reference = Client(reference_app.app, StatementCounter(reference_app.db.engine))

    signed_in: dict[str | None, Client] = {}
    viewers: list[list[Client]] = []
    figures = []
    for target in targets:
        clients = []
        for user in target.users[:COLD_VIEWERS]:
            if user not in signed_in:
                signed_in[user] = Client(app, statements)
                if user:
                    signed_in[user].sign_in(user, password)
            clients.append(signed_in[user])
        entry = ColdFigures(target.name, target.path, target.max_cold_ratio, len(clients))
        for client in clients:
            data = client.form_data(target)
            answer = client.request(target.method, target.path, data)
            body = answer.get_data(as_text=True)
            if answer.status_code != 200:
                where = answer.headers.get("Location")
                raise BenchError(
                    f"{target.name}: {target.method} {target.path} answered {answer.status_code}"
                    + (f" to {where}" if where else "")
                    + ", not 200: aborting"
                )
            if target.expect_text and target.expect_text not in body:
                raise BenchError(
                    f"{target.name}: {target.path} does not show {target.expect_text!r}: aborting"
                )
            before = statements.count
            client.request(target.method, target.path, data).close()
            entry.queries.add(statements.count - before)
        viewers.append(clients)
        figures.append(entry)

    for round_number in range(rounds):
        for entry, target, clients in zip(figures, targets, viewers, strict=True):
            data = [client.form_data(target) for client in clients]
            cpu_per_request([reference], "GET", "/", [None], 3)
            reference_ms = cpu_per_request([reference], "GET", "/", [None], requests)
            cpu_per_request(clients, target.method, target.path, data, 2)
            page_ms = cpu_per_request(clients, target.method, target.path, data, requests)
            entry.cpu_ms.append(page_ms)
            entry.ratios.append(page_ms / reference_ms)
        log(f"cold: round {round_number + 1} of {rounds} done")
    with app.app_context():
        db.engine.dispose()
    return figures


def markdown_table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    """A Markdown table whose columns line up in a terminal too."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = (
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        )
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (width - 1) + ":" if i in numeric else "-" * width for i, width in enumerate(widths)]
    return [line(headers), line(rule), *(line(row) for row in rows)]


def table(figures: list[ColdFigures]) -> list[str]:
    headers = ["page", "path", "viewers", "queries", "CPU ms", "CPU ÷ ref", "target"]
    rows = [
        [
            entry.name,
            f"`{entry.path}`",
            str(entry.viewers),
            entry.query_counts,
            f"{statistics.median(entry.cpu_ms):.2f}",
            f"{entry.ratio:.1f}",
            entry.verdict,
        ]
        for entry in figures
    ]
    return markdown_table(headers, rows, {2, 3, 4, 5})


def describe(requests: int, rounds: int) -> str:
    return (
        f"Every cache off; {requests} requests × {rounds} round(s) per page, CPU per request in one "
        f"process (a page of many viewers: {COLD_VIEWERS} of them in turn); ratios are medians of "
        "the pairs (page ÷ the reference measured just before)."
    )


def selected(targets: list[Target], only: str | None) -> list[Target]:
    chosen = [target for target in targets if not only or only in target.name]
    if not chosen:
        raise BenchError(f"no page's name contains {only!r}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        database_url = fresh_database_url(args.postgresql, args.database_name)
        prepare_environment(database_url)
        started = time.monotonic()
        dataset = build_dataset(args.seed)
        log(f"dataset in {time.monotonic() - started:.1f} s ({database_url})")
        figures = measure(selected(dataset.targets, args.only), dataset.password, args.requests, args.rounds)
    except BenchError as error:
        log(f"failed: {error}")
        return 1
    database = "postgresql" if args.postgresql else "sqlite"
    lines = [
        f"Cold run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {database} · "
        f"{describe_sizes(dataset.sizes)} · {describe(args.requests, args.rounds)}",
        "",
        *table(figures),
    ]
    print("\n".join(lines))
    path: Path = RESULTS_DIR / args.database_name / f"cold-{database}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {path.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
