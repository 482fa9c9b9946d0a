"""How much an upload raises the peak memory of the worker that receives it (printed), for a large
CSV file and for compressed-file bombs.

Serves the application with gunicorn (one sync worker, production settings, a fresh SQLite
database and upload folder in a temporary directory), signs in through the login form as an
organizer, sends one small library upload and one small directory import to warm the worker,
resets its peak resident size to the current one ("idle": VmRSS, VmHWM in /proc; the reset is
Linux's clear_refs, which needs to own the process), streams one case's file from a generator (the
client never holds what it inflates to), waits for the text to be read after the answer, and reads
the peak again: how far it rose above idle. Each case gets a fresh worker. The cases:

- csv: a 200 MB CSV file shared in the library (`--megabytes`);
- odt-mimetype: an OpenDocument text of about 400 KB whose `mimetype` entry inflates to 400 MB;
- docx-parts: a DOCX of about 900 KB whose 20 headers inflate to 45 MB each (900 MB in all);
- docx-held: a DOCX of 64 parts just under 1 MB of text-less markup each: it passes the upload's
  checks (under 100 MB, small parts) and reading its text stops at the 50 MB cap, holding it;
- xlsx-import: a workbook for the directory's import whose shared strings inflate to 45 MB of
  2.8 million one-letter strings (under the import's former 50 MB check);
- xlsx-row: a workbook of about 1 MB whose sheet's first row holds 400,000 cells (10 MB, compressed
  10 times: nothing a ratio check sees).

    .venv/bin/python bench/upload_memory.py [--megabytes 200] [--cases odt-mimetype,xlsx-import]
"""

import argparse
import http.client
import io
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PASSWORD = secrets.token_urlsafe(16)  # a throwaway account in a throwaway database
EMAIL = "bench.upload@roundtable.example"
BOUNDARY = "----roundtable-bench-" + secrets.token_hex(8)
LINE = b"service,clinic,referral,hotline,cairo,giza,assistance,eligibility,shelter,return\n"
MB = 1024 * 1024
TARGET_MB = 50
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


@dataclass
class Case:
    name: str
    filename: str
    content_type: str
    size: int
    chunks: object  # a function returning an iterable of bytes, `size` of them in all
    path: str = "library"  # or "import"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(database_url: str) -> int:
    """Schema, one organizer and one collection; returns the collection's id."""
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(REPO_DIR))
    from flask_migrate import upgrade

    from coordination import create_app
    from coordination.auth.models import Role, User
    from coordination.auth.rules import set_password
    from coordination.directory.models import Organization
    from coordination.extensions import db
    from coordination.library.models import Collection

    app = create_app("production")
    with app.app_context():
        upgrade()
        organization = Organization(name="IOM Egypt", kind="iom", country="EG")
        user = User(email=EMAIL, name="Bench Upload", organization=organization, role=Role.ORGANIZER)
        set_password(user, PASSWORD)
        collection = Collection(name="Service guides")
        db.session.add_all([organization, user, collection])
        db.session.commit()
        return collection.id


def memory_kb(pid: int, field: str = "VmHWM") -> int:
    """The worker's peak (VmHWM) or current (VmRSS) resident size."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1))


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("no gunicorn worker")


def sign_in(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    connection.request(
        "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";")[0]


def send(port: int, cookie: str, collection_id: int, case: Case) -> tuple[int, str]:
    """Stream `case`'s file through its form; returns the HTTP status and the page."""
    form = f"/library/collections/{collection_id}/upload" if case.path == "library" else "/directory/import"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", form, headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    # Sign-in starts a session without a CSRF token (a fresh one): the form's page adds it.
    if response.getheader("Set-Cookie"):
        cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    if case.path == "library":
        fields = {"csrf_token": token, "language": "en", "visibility": "members", "title": case.name}
        file_field = "files"
    else:
        fields = {"csrf_token": token, "what": "people"}
        file_field = "file"
    head = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{case.filename}"\r\n'
    )
    head += f"Content-Type: {case.content_type}\r\n\r\n"
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head.encode()) + case.size + len(tail)
    connection.putrequest("POST", form)
    for name, value in (
        ("Cookie", cookie),
        ("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),
        ("Content-Length", str(length)),
    ):
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(head.encode())
    sent = 0
    for chunk in case.chunks():
        connection.send(chunk)
        sent += len(chunk)
    assert sent == case.size, (sent, case.size)
    connection.send(tail)
    response = connection.getresponse()
    page = response.read().decode(errors="replace")
    return response.status, page


# The files.


def csv_case(size: int) -> Case:
    lines, rest = divmod(size, len(LINE))

    def chunks():
        block = LINE * 8192
        full, remainder = divmod(lines, 8192)
        for _ in range(full):
            yield block
        yield LINE * remainder + b"x" * rest

    return Case(f"CSV of {size // MB} MB", "big.csv", "text/csv", size, chunks)


def _member(archive: zipfile.ZipFile, name: str, chunks) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        for chunk in chunks:
            out.write(chunk)


def _repeat(piece: bytes, size: int):
    block = piece * max(min(MB, size) // len(piece), 1)
    for _ in range(max(size // len(block), 1)):
        yield block


def _zip_case(name: str, filename: str, content_type: str, build, path: str = "library") -> Case:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        build(archive)
    data = out.getvalue()
    return Case(name, filename, content_type, len(data), lambda: [data], path)


def _docx_part(chunks):
    yield f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode()
    yield from chunks
    yield b"</w:body></w:document>"


def odt_mimetype_case() -> Case:
    def build(archive):
        _member(archive, "mimetype", [b"application/vnd.oasis.opendocument.text", *_repeat(b" ", 400 * MB)])
        archive.writestr("content.xml", "<office:document-content/>")

    return _zip_case("ODT, mimetype of 400 MB", "guide.odt", "application/octet-stream", build)


def docx_parts_case() -> Case:
    def build(archive):
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "word/document.xml", b"".join(_docx_part([b"<w:p><w:r><w:t>Guide</w:t></w:r></w:p>"]))
        )
        paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
        for number in range(1, 21):
            _member(archive, f"word/header{number}.xml", _docx_part(_repeat(paragraph, 45 * MB)))

    return _zip_case("DOCX, 20 parts of 45 MB", "guide.docx", "application/octet-stream", build)


def docx_held_case() -> Case:
    def build(archive):
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        markup = b"<w:p><w:pPr><w:spacing w:after='0'/></w:pPr><w:r><w:rPr><w:b/></w:rPr></w:r></w:p>"
        for number in range(64):
            name = "word/document.xml" if number == 0 else f"word/header{number}.xml"
            _member(archive, name, _docx_part(_repeat(markup, MB - 1024)))

    return _zip_case("DOCX, 64 parts of 1 MB", "guide.docx", "application/octet-stream", build)


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook_with(part: str, chunks) -> object:
    """A people workbook whose `part` (its declared shared strings, or its sheet) is `chunks`."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["name", "email", "organization"])
    source_bytes = io.BytesIO()
    workbook.save(source_bytes)

    def build(archive):
        with zipfile.ZipFile(source_bytes) as source:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "[Content_Types].xml" and part == "xl/sharedStrings.xml":
                    data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
                if info.filename != part:
                    archive.writestr(info.filename, data)
        if part == "xl/sharedStrings.xml":
            head, tail = f'<?xml version="1.0"?><sst xmlns="{SPREADSHEET}">'.encode(), b"</sst>"
        else:
            head = f'<?xml version="1.0"?><worksheet xmlns="{SPREADSHEET}"><sheetData><row r="1">'.encode()
            tail = b"</row></sheetData></worksheet>"
        _member(archive, part, [head, *chunks, tail])

    return build


def xlsx_import_case() -> Case:
    build = _workbook_with("xl/sharedStrings.xml", _repeat(b"<si><t>x</t></si>", 45 * MB))
    return _zip_case(
        "XLSX import, 45 MB of shared strings", "people.xlsx", "application/octet-stream", build, "import"
    )


def xlsx_row_case() -> Case:
    cells = (
        "".join(f'<c t="n"><v>{block}{n}</v></c>' for n in range(10_000)).encode() for block in range(40)
    )
    build = _workbook_with("xl/worksheets/sheet1.xml", cells)
    return _zip_case(
        "XLSX import, a row of 400,000 cells", "people.xlsx", "application/octet-stream", build, "import"
    )


def xlsx_import_case_small() -> Case:
    """A good import file (one person), to warm the directory's import."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["name", "email", "organization"])
    workbook.active.append(["Amal Haddad", "amal@embassy.example", "IOM Egypt"])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    return Case(
        "XLSX import, one person",
        "people.xlsx",
        "application/octet-stream",
        len(data),
        lambda: [data],
        "import",
    )


CASES = {
    "csv": None,  # sized by --megabytes
    "odt-mimetype": odt_mimetype_case,
    "docx-parts": docx_parts_case,
    "docx-held": docx_held_case,
    "xlsx-import": xlsx_import_case,
    "xlsx-row": xlsx_row_case,
}


def outcome(status: int, page: str, database: str) -> str:
    """What the user was told, or what became of the document."""
    if status == 302:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT d.status, v.extraction FROM documents d "
                "JOIN document_versions v ON v.document_id = d.id ORDER BY v.id DESC LIMIT 1"
            ).fetchone()
        return f"shared, document {row[0]}, text {row[1]}"
    messages = re.findall(
        r"(The file [^<]*refused[^<]*|This workbook cannot be imported[^<]*|Unknown columns[^<]*)", page
    )
    return " ".join(messages[0].split()) if messages else f"HTTP {status}"


def wait_for_extraction(database: str, timeout: float = 300) -> bool:
    """The text is read after the answer, in the same worker: wait until nothing is pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            pending = connection.execute(
                "SELECT count(*) FROM document_versions WHERE extraction = 'pending'"
            ).fetchone()[0]
        if not pending:
            return True
        time.sleep(0.5)
    return False


def measure(case: Case, env: dict, database: str, collection_id: int, warm: list[Case]) -> tuple:
    port = free_port()
    master = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
            "wsgi:app",
        ],
        cwd=REPO_DIR,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        worker = worker_pid(master.pid)
        cookie = sign_in(port)
        for small in warm:
            send(port, cookie, collection_id, small)
        wait_for_extraction(database)
        time.sleep(1)
        # Start the peak afresh from what the worker holds now (Linux: "5" resets VmHWM to VmRSS).
        Path(f"/proc/{worker}/clear_refs").write_text("5")
        idle, before = memory_kb(worker, "VmRSS"), memory_kb(worker)
        started = time.monotonic()
        status, page = send(port, cookie, collection_id, case)
        elapsed = time.monotonic() - started
        time.sleep(1)
        finished = wait_for_extraction(database)
        time.sleep(1)
        after = memory_kb(worker)
    finally:
        master.terminate()
        try:
            master.wait(timeout=30)
        except subprocess.TimeoutExpired:  # its worker is still busy with the file
            for child in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split():
                os.kill(int(child), signal.SIGKILL)
            master.kill()
            master.wait(timeout=30)
    return status, page, elapsed, idle, before, after, finished


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    args = parser.parse_args()
    names = [name.strip() for name in args.cases.split(",") if name.strip()]
    size = args.megabytes * MB
    results = []
    with tempfile.TemporaryDirectory(prefix="roundtable-upload-") as folder:
        database = f"{folder}/bench.db"
        env = {
            **os.environ,
            "FLASK_CONFIG": "production",
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SESSION_COOKIE_SECURE": "0",
            "RATELIMIT_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
            "UPLOAD_FOLDER": f"{folder}/uploads",
            "MAX_CONTENT_LENGTH": str(size + MB),
        }
        os.environ.update(env)
        collection_id = prepare(env["DATABASE_URL"])
        warm = [csv_case(100_000), xlsx_import_case_small()]
        for name in names:
            case = csv_case(size) if name == "csv" else CASES[name]()
            status, page, elapsed, idle, before, after, finished = measure(
                case, env, database, collection_id, warm
            )
            raised = (after - idle) / 1024
            told = outcome(status, page, database)
            if not finished:
                told += " (its text still being read after 300 s)"
            results.append((case, told, elapsed, idle, after, raised))
            print(
                f"{case.name} ({case.size / 1024:,.0f} KB sent): {told} in {elapsed:.1f} s; worker "
                f"idle {idle / 1024:.1f} MB (peak so far {before / 1024:.1f} MB), "
                f"peak after {after / 1024:.1f} MB: {raised:.1f} MB above idle",
                flush=True,
            )
    print()
    print("| case | sent | outcome | idle RSS | peak after | above idle | target |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for case, told, elapsed, idle, after, raised in results:
        print(
            f"| {case.name} | {case.size / 1024:,.0f} KB | {told} ({elapsed:.1f} s) | {idle / 1024:.1f} MB | "
            f"{after / 1024:.1f} MB | {raised:.1f} MB | "
            f"{'met' if raised < TARGET_MB else 'MISSED'} (< {TARGET_MB} MB) |"
        )
    return 0 if all(raised < TARGET_MB for *_rest, raised in results) else 1


if __name__ == "__main__":
    sys.exit(main())
