"""Benchmark: Roundtable's pages against a bare Flask + SQLAlchemy page, served and loaded alike.

Builds a large directory (500 organizations, 5,000 people) in a fresh database, serves the
application and the reference page (bench/reference_app.py) with gunicorn, loads each page with
wrk in the same run and prints requests/s, p50 and p99 latency and their ratios to the reference.
It is a measurement, not a gate: it exits 0 once the figures are printed, whatever they are, and
non-zero only when something failed to run.

    .venv/bin/python bench/run.py [--duration 10] [--connections 8] [--threads 2] [--workers 2] [--rounds 3]

Pages are GETs unless a scenario names a POST (a form-encoded body, its CSRF token taken from the
form's page with the same session): wrk then sends it through a Lua script.
"""

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
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

# The targets of issue 2, as ratios to the reference page measured in the same run.
MIN_RPS_RATIO = 0.5
MAX_P99_RATIO = 3.0

HOST = "127.0.0.1"


@dataclass
class Dataset:
    database_url: str
    password: str
    organizations: int
    people: int
    targets: list[Target]


@dataclass
class Page:
    name: str
    port: int
    path: str
    cookie: str | None = None
    expect_text: str | None = None
    max_p50_ratio: float | None = None
    method: str = "GET"
    # A POST's fields, without the CSRF token, and the page whose form gives the token.
    form: dict[str, str] | None = None
    csrf_from: str | None = None
    # Set by prepare_post before each load of a POST: the encoded body and wrk's Lua script.
    body: str | None = None
    script: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx_3xx: int


@dataclass
class PageFigures:
    page: Page
    runs: list[WrkResult] = field(default_factory=list)
    # The reference page's run just before each of this page's runs: ratios are taken pairwise.
    reference_runs: list[WrkResult] = field(default_factory=list)

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    @property
    def p50_ms(self) -> float:
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def problems(self) -> int:
        return sum(run.errors + run.non_2xx_3xx for run in self.runs)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (default 2)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="measure every page N times, keep medians (default 3)"
    )
    parser.add_argument(
        "--database-url",
        help="an EMPTY database to fill (SQLAlchemy URL); default: a fresh bench/results/bench.db",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated dataset")
    parser.add_argument("--only", help="load only the pages whose name contains this text")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.duration > 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if args.warmup < 0 or args.warmup > 60:
        parser.error("--warmup must be between 0 and 60 seconds")
    if args.threads < 1 or args.connections < args.threads:
        parser.error("wrk needs at least one thread and no fewer connections than threads")
    if args.workers < 1 or args.rounds < 1:
        parser.error("--workers and --rounds must be at least 1")
    return args


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def fresh_sqlite_url() -> str:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "bench.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def build_dataset(seed: int) -> Dataset:
    """Create the schema through the migrations and bulk-insert the directory; DATABASE_URL is set."""
    # Imported here: config.py reads the environment that main() has just prepared.
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
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count(Organization.id))) or db.session.scalar(
            select(func.count(User.id))
        ):
            raise BenchError("the database is not empty: give --database-url an empty database")

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
            started = time.monotonic()
            targets += module.build(context)
            db.session.commit()
            log(f"dataset: {module.__name__} in {time.monotonic() - started:.1f} s")
        return Dataset(
            database_url=app.config["SQLALCHEMY_DATABASE_URI"],
            password=password,
            organizations=db.session.scalar(select(func.count(Organization.id))),
            people=db.session.scalar(select(func.count(User.id))),
            targets=targets,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


FORM_TYPE = "application/x-www-form-urlencoded"


def get(port: int, path: str, cookie: str | None = None) -> tuple[int, dict[str, str], str]:
    """One GET without following redirects: status, headers, body."""
    return send(port, "GET", path, cookie)


def send(
    port: int, method: str, path: str, cookie: str | None = None, body: str | None = None
) -> tuple[int, dict[str, str], str]:
    """One request (a POST's body form-encoded) without following redirects: status, headers, body."""
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = FORM_TYPE
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(method, path, body=body.encode() if body is not None else None, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, dict(response.getheaders()), text
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(name: str, app_spec: str, chdir: Path, env: dict[str, str], workers: int, ready_path: str):
    """Serve `app_spec` on a free local port with sync workers; always stopped on the way out."""
    port = free_port()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / f"gunicorn-{name}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        app_spec,
    ]
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_until_ready(process, port, ready_path, log_path)
            log(f"{name}: gunicorn pid {process.pid} on {HOST}:{port}, {workers} sync workers")
            yield port
        finally:
            _stop(process)


def _wait_until_ready(process: subprocess.Popen, port: int, path: str, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()[-2000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if get(port, path)[0] == 200:
                return
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer 200 on {path} within 30 s:\n{log_path.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the master gracefully (it stops its workers), then kill its process group if need be."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Workers left behind by a master that died would still hold the group: end them too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def log_in(port: int, email: str, password: str) -> str:
    """Sign in through the login form (CSRF token and all) and return the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{port}"
    with opener.open(f"{base}/login", timeout=10) as response:
        form_page = response.read().decode()
    token = csrf_token(form_page)
    if token is None:
        raise BenchError("no csrf_token field in the login form")
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    with opener.open(f"{base}/login", data=data.encode(), timeout=10) as response:
        landed = urllib.parse.urlsplit(response.geturl()).path
        status = response.status
    if status != 200 or landed.startswith("/login"):
        raise BenchError(f"signing in as {email} failed: ended on {landed} with {status}")
    cookie = "; ".join(f"{item.name}={item.value}" for item in jar)
    if "session=" not in cookie:
        raise BenchError("signing in set no session cookie")
    return cookie


def csrf_token(html: str) -> str | None:
    """The value of the first csrf_token field in `html`, whatever the order of its attributes."""
    token = re.search(r'<input[^>]*\bname="csrf_token"[^>]*\bvalue="([^"]+)"', html) or re.search(
        r'<input[^>]*\bvalue="([^"]+)"[^>]*\bname="csrf_token"', html
    )
    return token.group(1) if token else None


def _with_new_session(cookie: str | None, headers: dict[str, str]) -> str | None:
    """`cookie` with the session cookie the answer set, if it set one."""
    match = re.match(r"session=([^;]+)", headers.get("Set-Cookie", ""))
    if not match:
        return cookie
    others = [part for part in (cookie or "").split("; ") if part and not part.startswith("session=")]
    return "; ".join([*others, f"session={match.group(1)}"])


def _lua_string(text: str) -> str:
    if "]==]" in text:
        raise BenchError("a POST's body or cookie cannot be written into the Lua script")
    return f"[==[{text}]==]"


def prepare_post(page: Page) -> None:
    """Fetch the form's page with the page's session, and write the body and wrk's Lua script."""
    status, headers, html = get(page.port, page.csrf_from or page.path, page.cookie)
    if status != 200:
        raise BenchError(f"{page.name}: GET {page.csrf_from} answered {status}, not 200: no CSRF token")
    token = csrf_token(html)
    if token is None:
        raise BenchError(f"{page.name}: no csrf_token field on {page.csrf_from}")
    page.cookie = _with_new_session(page.cookie, headers)
    page.body = urllib.parse.urlencode({**(page.form or {}), "csrf_token": token})
    lines = [
        f'wrk.method = "{page.method}"',
        f"wrk.body = {_lua_string(page.body)}",
        f'wrk.headers["Content-Type"] = "{FORM_TYPE}"',
    ]
    if page.cookie:
        lines.append(f'wrk.headers["Cookie"] = {_lua_string(page.cookie)}')
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.script = RESULTS_DIR / f"wrk-{re.sub(r'[^a-z0-9]+', '-', page.name.lower()).strip('-')}.lua"
    page.script.write_text("\n".join(lines) + "\n")


def check_page(page: Page) -> None:
    """The page must answer 200 (not a redirect to the login page) before it is loaded; a POST is
    sent with its body, as wrk will send it."""
    status, headers, body = send(page.port, page.method, page.path, page.cookie, page.body)
    request = f"{page.method} {page.path}"
    if status != 200:
        where = f" to {headers.get('Location')}" if headers.get("Location") else ""
        raise BenchError(f"{page.name}: {request} answered {status}{where}, not 200: aborting")
    if page.expect_text and page.expect_text not in body:
        raise BenchError(f"{page.name}: {request} does not show {page.expect_text!r}")


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _milliseconds(value: str, unit: str) -> float:
    return float(value) * _UNITS_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Requests/s, the 50% and 99% latencies (in ms) and the error counts of `wrk --latency`."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    if not (rate and p50 and p99 and total):
        raise BenchError(f"could not read wrk's output:\n{output}")
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        p50_ms=_milliseconds(*p50.groups()),
        p99_ms=_milliseconds(*p99.groups()),
        requests=int(total.group(1)),
        errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def run_wrk(page: Page, duration: int, args: argparse.Namespace) -> WrkResult:
    command = [
        "wrk",
        "--latency",
        "--threads",
        str(args.threads),
        "--connections",
        str(args.connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
    ]
    if page.script is not None:
        command += ["--script", str(page.script)]  # method, body, content type and cookie
    elif page.cookie:
        command += ["--header", f"Cookie: {page.cookie}"]
    command.append(page.url)
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 30, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{page.name}: wrk did not finish within {duration + 30} s") from error
    if completed.returncode != 0:
        raise BenchError(f"{page.name}: wrk exited with {completed.returncode}: {completed.stderr}")
    return parse_wrk(completed.stdout)


def _load(page: Page, args: argparse.Namespace, label: str) -> WrkResult:
    if page.method != "GET":
        prepare_post(page)  # a fresh token for each run: CSRF tokens expire
    check_page(page)
    if args.warmup:
        run_wrk(page, args.warmup, args)
    result = run_wrk(page, args.duration, args)
    check_page(page)
    log(
        f"{label} {page.name}: {result.requests_per_second:.1f} req/s, p50 {result.p50_ms:.2f} ms, "
        f"p99 {result.p99_ms:.2f} ms, {result.requests} requests"
    )
    return result


def measure(reference: Page, pages: list[Page], args: argparse.Namespace) -> list[PageFigures]:
    """Load each page right after the reference, round after round: a pair sees the same machine."""
    reference_figures = PageFigures(reference)
    figures = [PageFigures(page) for page in pages]
    for round_number in range(1, args.rounds + 1):
        label = f"round {round_number}/{args.rounds}"
        for entry in figures:
            reference_result = _load(reference, args, label)
            reference_figures.runs.append(reference_result)
            entry.reference_runs.append(reference_result)
            entry.runs.append(_load(entry.page, args, label))
    return [reference_figures, *figures]


def _median_ratio(entry: PageFigures, attribute: str) -> float:
    """The median over rounds of this page's figure divided by that of the reference run paired with it."""
    if not entry.reference_runs:
        return 1.0
    return statistics.median(
        getattr(run, attribute) / getattr(reference_run, attribute)
        for run, reference_run in zip(entry.runs, entry.reference_runs, strict=True)
    )


def _verdict(entry: PageFigures) -> tuple[float, float, float, str]:
    rps_ratio = _median_ratio(entry, "requests_per_second")
    p50_ratio = _median_ratio(entry, "p50_ms")
    p99_ratio = _median_ratio(entry, "p99_ms")
    if not entry.reference_runs:
        return rps_ratio, p50_ratio, p99_ratio, "reference"
    misses = []
    if entry.page.max_p50_ratio is not None:
        if p50_ratio > entry.page.max_p50_ratio:
            misses.append(f"p50 > {entry.page.max_p50_ratio:g}x")
    else:
        if rps_ratio < MIN_RPS_RATIO:
            misses.append(f"req/s < {MIN_RPS_RATIO}x")
        if p99_ratio > MAX_P99_RATIO:
            misses.append(f"p99 > {MAX_P99_RATIO:g}x")
    target = f"p50 ≤ {entry.page.max_p50_ratio:g}× ref" if entry.page.max_p50_ratio is not None else "ratios"
    verdict = f"meets target ({target})" if not misses else "MISSES: " + ", ".join(misses)
    if entry.problems:
        verdict += f" ({entry.problems} errors or non-2xx/3xx responses)"
    return rps_ratio, p50_ratio, p99_ratio, verdict


HEADERS = ["page", "path", "req/s", "p50 ms", "p99 ms", "req/s ÷ ref", "p50 ÷ ref", "p99 ÷ ref", "target"]
NUMERIC = {2, 3, 4, 5, 6, 7}


def table_rows(figures: list[PageFigures]) -> list[list[str]]:
    rows = []
    for entry in figures:
        rps_ratio, p50_ratio, p99_ratio, verdict = _verdict(entry)
        rows.append(
            [
                entry.page.name,
                entry.page.path if entry.page.method == "GET" else f"{entry.page.method} {entry.page.path}",
                f"{entry.requests_per_second:.1f}",
                f"{entry.p50_ms:.2f}",
                f"{entry.p99_ms:.2f}",
                f"{rps_ratio:.2f}",
                f"{p50_ratio:.2f}",
                f"{p99_ratio:.2f}",
                verdict,
            ]
        )
    return rows


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in NUMERIC else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    print(line(HEADERS))
    print(line(["-" * width for width in widths]))
    for row in rows:
        print(line(row))


def describe_run(args: argparse.Namespace, dataset: Dataset) -> str:
    database = dataset.database_url.split(":", 1)[0]
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()} · {database} database with "
        f"{dataset.organizations} organizations and {dataset.people} people · gunicorn {args.workers} sync "
        f"workers per server · wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
        f"(after {args.warmup} s of warm-up), each page right after the reference · {args.rounds} round(s), "
        "medians; ratios are medians of the pairs"
    )


def write_markdown(rows: list[list[str]], description: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "last-run.md"
    lines = [
        f"Benchmark run: {description}.",
        "",
        f'Targets ("ratios"): at least {MIN_RPS_RATIO} of the reference page\'s requests/s and a p99 latency '
        f"at most {MAX_P99_RATIO:g} times the reference page's p99, unless a page names a p50 target.",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "| " + " | ".join("---:" if i in NUMERIC else "---" for i in range(len(HEADERS))) + " |",
    ]
    lines += [
        "| " + " | ".join(f"`{cell}`" if i == 1 else cell for i, cell in enumerate(row)) + " |"
        for row in rows
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _terminate(signum, _frame):
    # Unwinds through the `finally` blocks that stop the gunicorn servers.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    if shutil.which("wrk") is None:
        log("wrk is not installed (Debian package `wrk`)")
        return 1
    database_url = args.database_url or fresh_sqlite_url()
    server_env = {
        **os.environ,
        "FLASK_CONFIG": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        # Plain http on 127.0.0.1: a Secure cookie would never come back.
        "SESSION_COOKIE_SECURE": "0",
        # One address sends every request: the limiter would measure itself, not the pages.
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
    }
    server_env.pop("MAIL_SERVER", None)
    os.environ.update({key: server_env[key] for key in ("DATABASE_URL", "SECRET_KEY", "LOG_LEVEL")})
    sys.path.insert(0, str(REPO_DIR))

    try:
        started = time.monotonic()
        dataset = build_dataset(args.seed)
        targets = [target for target in dataset.targets if not args.only or args.only in target.name]
        if not targets:
            raise BenchError(f"no page's name contains {args.only!r}")
        log(
            f"dataset: {dataset.organizations} organizations, {dataset.people} people "
            f"in {time.monotonic() - started:.1f} s ({dataset.database_url})"
        )
        reference_env = {**server_env, "BENCH_DATABASE_URL": dataset.database_url}
        with (
            gunicorn(
                "reference", "reference_app:app", BENCH_DIR, reference_env, args.workers, "/"
            ) as ref_port,
            gunicorn("app", "wsgi:app", REPO_DIR, server_env, args.workers, "/healthz") as app_port,
        ):
            cookies = {}
            for target in targets:
                if target.user and target.user not in cookies:
                    cookies[target.user] = log_in(app_port, target.user, dataset.password)
            reference = Page("reference", ref_port, "/")
            pages = [
                Page(
                    target.name,
                    app_port,
                    target.path,
                    cookies.get(target.user),
                    expect_text=target.expect_text,
                    max_p50_ratio=target.max_p50_ratio,
                    method=target.method,
                    form=target.form,
                    csrf_from=target.csrf_from,
                )
                for target in targets
            ]
            figures = measure(reference, pages, args)
    except BenchError as error:
        log(f"failed: {error}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130

    rows = table_rows(figures)
    description = describe_run(args, dataset)
    print(description)
    print()
    print_table(rows)
    path = write_markdown(rows, description)
    print()
    print(f"Markdown table written to {path.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
