"""Benchmark: Roundtable's pages against a bare Flask + SQLAlchemy page, with every cache off.

One run builds the large dataset in a fresh database (SQLite, or PostgreSQL with --postgresql),
then measures two things, each as a ratio to the reference page (bench/reference_app.py):
  - cold: CPU per request in this process (bench/cold.py), target ≤ 4× unless a page says otherwise;
  - load: requests/s through gunicorn under wrk at 8 connections, target ≥ 0.25× the reference's.
It prints both tables and writes them, with the run's description, as a dated section at the top
of bench/RESULTS.md (not with --no-write). It is a measurement, not a gate: it exits 0 once the
figures are written, whatever they are, and 1 when something failed to run (a page not 200 ...).

    .venv/bin/python bench/run.py [--postgresql] [--only TEXT] [--cold-only | --wrk-only] [--no-write]

A page loaded by many viewers (`Target.viewers`) is sent by wrk with their session cookies in
turn, through a Lua script; so is a POST (its CSRF token taken from the form's page).
"""

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import platform
import re
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
from datetime import UTC, datetime
from pathlib import Path

import cold
from dataset import (
    BENCH_DIR,
    REPO_DIR,
    RESULTS_DIR,
    BenchError,
    Dataset,
    build_dataset,
    database_version,
    describe_sizes,
    fresh_database_url,
    log,
    prepare_environment,
)
from scenarios import Target

RESULTS_FILE = BENCH_DIR / "RESULTS.md"
# House issue 12: with every cache off, at least this share of the reference page's requests/s.
MIN_RPS_RATIO = 0.25
HOST = "127.0.0.1"


@dataclass
class Viewer:
    """One signed-in user (or an anonymous client) as wrk sends them."""

    cookie: str | None
    # A POST's encoded body with this viewer's CSRF token, set before each load.
    body: str | None = None


@dataclass
class Page:
    name: str
    port: int
    path: str
    viewers: list[Viewer]
    expect_text: str | None = None
    method: str = "GET"
    # A POST's fields, without the CSRF token, and the page whose form gives the token.
    form: dict[str, str] | None = None
    csrf_from: str | None = None
    # wrk's Lua script (method, body, cookies in turn), written before each load when needed.
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

    @property
    def rps_ratio(self) -> float:
        """The median over rounds of this page's requests/s ÷ that of the reference run before it."""
        if not self.reference_runs:
            return 1.0
        return statistics.median(
            run.requests_per_second / reference.requests_per_second
            for run, reference in zip(self.runs, self.reference_runs, strict=True)
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cold.add_arguments(parser)
    parser.add_argument(
        "--rounds", type=int, default=3, help="measure every page N times, keep medians (default 3)"
    )
    halves = parser.add_mutually_exclusive_group()
    halves.add_argument("--cold-only", action="store_true", help="only the in-process CPU measurement")
    halves.add_argument("--wrk-only", action="store_true", help="only the load through gunicorn")
    parser.add_argument("--no-write", action="store_true", help="print the tables, leave bench/RESULTS.md")
    parser.add_argument(
        "--cache", action="store_true", help="wrk: serve with CACHE_ENABLED=1 (default: every cache off)"
    )
    parser.add_argument("--duration", type=int, default=10, help="wrk: seconds of load per page (default 10)")
    parser.add_argument(
        "--warmup", type=int, default=2, help="wrk: seconds of unmeasured load first (default 2)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk: concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk: threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (default 2)")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.duration > 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if args.warmup < 0 or args.warmup > 60:
        parser.error("--warmup must be between 0 and 60 seconds")
    if args.threads < 1 or args.connections < args.threads:
        parser.error("wrk needs at least one thread and no fewer connections than threads")
    if args.workers < 1 or args.rounds < 1 or args.requests < 1:
        parser.error("--workers, --rounds and --requests must be at least 1")
    return args


def run_directory(args: argparse.Namespace) -> Path:
    """Where this run keeps its servers' logs, wrk's scripts and its tables: one per database
    name, so that two runs at once keep apart."""
    directory = RESULTS_DIR / args.database_name
    directory.mkdir(parents=True, exist_ok=True)
    return directory


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
def gunicorn(
    name: str, app_spec: str, chdir: Path, env: dict[str, str], args: argparse.Namespace, ready_path: str
):
    """Serve `app_spec` on a free local port with sync workers; always stopped on the way out."""
    port = free_port()
    log_path = run_directory(args) / f"gunicorn-{name}.log"
    workers = args.workers
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
    """Fetch the form's page with each viewer's session: a fresh CSRF token in each one's body."""
    for viewer in page.viewers:
        status, headers, html = get(page.port, page.csrf_from or page.path, viewer.cookie)
        if status != 200:
            raise BenchError(f"{page.name}: GET {page.csrf_from} answered {status}, not 200: no CSRF token")
        token = csrf_token(html)
        if token is None:
            raise BenchError(f"{page.name}: no csrf_token field on {page.csrf_from}")
        viewer.cookie = _with_new_session(viewer.cookie, headers)
        viewer.body = urllib.parse.urlencode({**(page.form or {}), "csrf_token": token})


# Each wrk thread builds every viewer's request once, then sends them in turn, starting at its
# own place in the list; wrk.setup numbers the threads.
LUA_ROTATION = """
local requests = {}
local turn = 0
local threads = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

function init(args)
  for i, viewer in ipairs(viewers) do
    if viewer.cookie then wrk.headers["Cookie"] = viewer.cookie end
    requests[i] = wrk.format(nil, nil, nil, viewer.body)
  end
  turn = math.floor((number or 0) * #requests / THREADS)
end

function request()
  turn = turn % #requests + 1
  return requests[turn]
end
"""


def write_script(page: Page, args: argparse.Namespace) -> None:
    """wrk's Lua script for a POST or a signed-in page: the method, and each viewer's cookie and
    body in turn. An anonymous GET needs none."""
    if page.method == "GET" and not any(viewer.cookie for viewer in page.viewers):
        page.script = None
        return
    lines = [f'wrk.method = "{page.method}"', f"THREADS = {args.threads}"]
    if page.method != "GET":
        lines.append(f'wrk.headers["Content-Type"] = "{FORM_TYPE}"')
    lines.append("viewers = {")
    for viewer in page.viewers:
        cookie = f"cookie = {_lua_string(viewer.cookie)}, " if viewer.cookie else ""
        body = f"body = {_lua_string(viewer.body)}" if viewer.body is not None else ""
        lines.append(f"  {{{cookie}{body}}},")
    lines.append("}")
    page.script = run_directory(args) / f"wrk-{re.sub(r'[^a-z0-9]+', '-', page.name.lower()).strip('-')}.lua"
    page.script.write_text("\n".join(lines) + "\n" + LUA_ROTATION)


def check_page(page: Page) -> None:
    """Every viewer must get 200 (not a redirect to the login page) and the expected text, before
    and after the page is loaded; a POST is sent with its body, as wrk sends it."""
    request = f"{page.method} {page.path}"
    for number, viewer in enumerate(page.viewers, start=1):
        status, headers, body = send(page.port, page.method, page.path, viewer.cookie, viewer.body)
        who = f" (viewer {number} of {len(page.viewers)})" if len(page.viewers) > 1 else ""
        if status != 200:
            where = f" to {headers.get('Location')}" if headers.get("Location") else ""
            raise BenchError(f"{page.name}: {request}{who} answered {status}{where}, not 200: aborting")
        if page.expect_text and page.expect_text not in body:
            raise BenchError(f"{page.name}: {request}{who} does not show {page.expect_text!r}: aborting")


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
        command += ["--script", str(page.script)]
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
    write_script(page, args)
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


def measure_load(reference: Page, pages: list[Page], args: argparse.Namespace) -> list[PageFigures]:
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


def server_environment(args: argparse.Namespace) -> dict[str, str]:
    """The servers' settings: the in-process ones (prepare_environment), the cache as asked."""
    env = {**os.environ, "CACHE_ENABLED": "1" if args.cache else "0"}
    env.pop("MAIL_SERVER", None)
    return env


def wrk_load(dataset: Dataset, targets: list[Target], args: argparse.Namespace) -> list[PageFigures]:
    """Serve the application and the reference with gunicorn, sign every viewer in, load the pages."""
    env = server_environment(args)
    with (
        gunicorn("reference", "reference_app:app", BENCH_DIR, env, args, "/") as reference_port,
        gunicorn("app", "wsgi:app", REPO_DIR, env, args, "/healthz") as app_port,
    ):
        users = {user for target in targets for user in target.users if user}
        log(f"wrk: signing in {len(users)} users")
        cookies = {user: log_in(app_port, user, dataset.password) for user in sorted(users)}
        reference = Page("reference", reference_port, "/", [Viewer(None)])
        pages = [
            Page(
                target.name,
                app_port,
                target.path,
                [Viewer(cookies.get(user)) for user in target.users],
                expect_text=target.expect_text,
                method=target.method,
                form=target.form,
                csrf_from=target.csrf_from,
            )
            for target in targets
        ]
        for page in pages:  # every page answers before minutes of load go into the others
            if page.method != "GET":
                prepare_post(page)
            check_page(page)
        return measure_load(reference, pages, args)


def _verdict(entry: PageFigures) -> str:
    if not entry.reference_runs:
        return "reference"
    met = entry.rps_ratio >= MIN_RPS_RATIO
    verdict = f"meets target (≥ {MIN_RPS_RATIO:g}×)" if met else f"MISSES (< {MIN_RPS_RATIO:g}×)"
    if entry.problems:
        verdict += f" ({entry.problems} errors or non-2xx/3xx responses)"
    return verdict


def wrk_table(figures: list[PageFigures]) -> list[str]:
    headers = ["page", "path", "viewers", "req/s", "p50 ms", "p99 ms", "req/s ÷ ref", "target"]
    rows = [
        [
            entry.page.name,
            f"`{entry.page.path}`"
            if entry.page.method == "GET"
            else f"`{entry.page.method} {entry.page.path}`",
            str(len(entry.page.viewers)),
            f"{entry.requests_per_second:.1f}",
            f"{entry.p50_ms:.2f}",
            f"{entry.p99_ms:.2f}",
            f"{entry.rps_ratio:.2f}",
            _verdict(entry),
        ]
        for entry in figures
    ]
    return cold.markdown_table(headers, rows, {2, 3, 4, 5, 6})


def _processor() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown processor"


def describe_run(args: argparse.Namespace, dataset: Dataset, database: str) -> str:
    command = " ".join(["bench/run.py", *sys.argv[1:]]) if sys.argv[1:] else "bench/run.py"
    return (
        f"`{command}` · machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs "
        f"({_processor()}), Python {platform.python_version()} · database: {database} · dataset: "
        f"{describe_sizes(dataset.sizes)} (seed {args.seed})."
    )


def describe_load(args: argparse.Namespace) -> str:
    caches = "caches on (`CACHE_ENABLED=1`)" if args.cache else "every cache off (`CACHE_ENABLED=0`)"
    return (
        f"{caches}; gunicorn {args.workers} sync workers per server; `wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s` after {args.warmup} s of warm-up, each page right "
        f"after the reference, {args.rounds} round(s), medians; the ratio is the median of the pairs; "
        "a page of many viewers is sent with their cookies in turn."
    )


def results_section(
    args: argparse.Namespace,
    dataset: Dataset,
    database: str,
    cold_lines: list[str] | None,
    load_lines: list[str] | None,
) -> str:
    kind = database.split()[0]
    scope = f"Pages named *{args.only}*" if args.only else "All pages"
    lines = [
        f"## {scope}, {kind}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        describe_run(args, dataset, database),
        "",
    ]
    if cold_lines is not None:
        lines += [
            "**CPU per request, in one process** (target: at most 4× the reference's unless the row "
            f"says otherwise). {cold.describe(args.requests, args.rounds)}",
            "",
            *cold_lines,
            "",
        ]
    if load_lines is not None:
        lines += [
            f"**Requests/s under load** (target: at least {MIN_RPS_RATIO:g}× the reference's). "
            f"{describe_load(args)[0].upper()}{describe_load(args)[1:]}",
            "",
            *load_lines,
            "",
        ]
    return "\n".join(lines)


def write_results(section: str) -> None:
    """Put `section` at the top of bench/RESULTS.md, below its introduction (before the first
    section), leaving every earlier section as it is."""
    text = RESULTS_FILE.read_text(encoding="utf-8")
    first = re.search(r"^## ", text, re.MULTILINE)
    at = first.start() if first else len(text)
    before = text[:at] if text[:at].endswith("\n\n") else text[:at].rstrip("\n") + "\n\n"
    RESULTS_FILE.write_text(before + section + "\n" + text[at:], encoding="utf-8")


def _terminate(signum, _frame):
    # Unwinds through the `finally` blocks that stop the gunicorn servers.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    if not args.cold_only and shutil.which("wrk") is None:
        log("wrk is not installed (Debian package `wrk`)")
        return 1
    cold_lines = load_lines = None
    try:
        database_url = fresh_database_url(args.postgresql, args.database_name)
        prepare_environment(database_url)
        started = time.monotonic()
        dataset = build_dataset(args.seed)
        log(
            f"dataset: {describe_sizes(dataset.sizes)} in {time.monotonic() - started:.1f} s ({database_url})"
        )
        database = database_version(database_url)
        targets = cold.selected(dataset.targets, args.only)
        if not args.wrk_only:
            cold_figures = cold.measure(targets, dataset.password, args.requests, args.rounds)
            cold_lines = cold.table(cold_figures)
            print("CPU per request, in one process\n", *cold_lines, "", sep="\n", flush=True)
        if not args.cold_only:
            load_lines = wrk_table(wrk_load(dataset, targets, args))
            print("Requests/s under load\n", *load_lines, "", sep="\n", flush=True)
    except BenchError as error:
        log(f"failed: {error}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130

    section = results_section(args, dataset, database, cold_lines, load_lines)
    last_run = run_directory(args) / "last-run.md"
    last_run.write_text(section, encoding="utf-8")
    if args.no_write:
        print(f"--no-write: bench/RESULTS.md left as it was; this run is in {last_run.relative_to(REPO_DIR)}")
    else:
        write_results(section)
        print(f"Written at the top of {RESULTS_FILE.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
