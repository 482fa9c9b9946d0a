"""How much a 200 MB upload raises the peak memory of the worker that receives it (printed).

Serves the application with gunicorn (one sync worker, production settings, a fresh SQLite
database and upload folder in a temporary directory), signs in through the login form, sends one
small upload to warm the worker, reads its peak resident size (VmHWM in /proc), streams a 200 MB
file to a collection's upload form from a generator (the client never holds it whole), waits for
the text to be read after the answer, and reads the peak again.

    .venv/bin/python bench/upload_memory.py [--megabytes 200]
"""

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PASSWORD = secrets.token_urlsafe(16)  # a throwaway account in a throwaway database
BOUNDARY = "----roundtable-bench-" + secrets.token_hex(8)
LINE = b"service,clinic,referral,hotline,cairo,giza,assistance,eligibility,shelter,return\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(database_url: str) -> int:
    """Schema, one member and one collection; returns the collection's id."""
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(REPO_DIR))
    from flask_migrate import upgrade

    from coordination import create_app
    from coordination.auth.models import User
    from coordination.auth.rules import set_password
    from coordination.directory.models import Organization
    from coordination.extensions import db
    from coordination.library.models import Collection

    app = create_app("production")
    with app.app_context():
        upgrade()
        organization = Organization(name="Embassy of Sudan", kind="embassy", country="SD")
        user = User(email="bench.upload@roundtable.example", name="Bench Upload", organization=organization)
        set_password(user, PASSWORD)
        collection = Collection(name="Service guides")
        db.session.add_all([organization, user, collection])
        db.session.commit()
        return collection.id


def peak_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))


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
    body = urllib.parse.urlencode(
        {"csrf_token": token, "email": "bench.upload@roundtable.example", "password": PASSWORD}
    )
    connection.request(
        "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";")[0]


def upload(port: int, cookie: str, collection_id: int, size: int) -> int:
    """Stream a `size`-byte CSV file through the upload form; returns the HTTP status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", f"/library/collections/{collection_id}/upload", headers={"Cookie": cookie})
    page = connection.getresponse().read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    fields = {
        "csrf_token": token,
        "language": "en",
        "visibility": "members",
        "title": f"File of {size} bytes",
    }
    head = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.csv"\r\n'
    head += "Content-Type: text/csv\r\n\r\n"
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    lines, rest = divmod(size, len(LINE))

    def body():
        yield head.encode()
        chunk = LINE * 8192
        full, remainder = divmod(lines, 8192)
        for _ in range(full):
            yield chunk
        yield LINE * remainder + b"x" * rest
        yield tail

    length = len(head.encode()) + size + len(tail)
    connection.putrequest("POST", f"/library/collections/{collection_id}/upload")
    for name, value in (
        ("Cookie", cookie),
        ("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),
        ("Content-Length", str(length)),
    ):
        connection.putheader(name, value)
    connection.endheaders()
    for part in body():
        connection.send(part)
    response = connection.getresponse()
    response.read()
    return response.status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    size = args.megabytes * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="roundtable-upload-") as folder:
        database_url = f"sqlite:///{folder}/bench.db"
        env = {
            **os.environ,
            "FLASK_CONFIG": "production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SESSION_COOKIE_SECURE": "0",
            "RATELIMIT_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
            "UPLOAD_FOLDER": f"{folder}/uploads",
            "MAX_CONTENT_LENGTH": str(size + 1024 * 1024),
        }
        os.environ.update(env)
        collection_id = prepare(database_url)
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
            assert upload(port, cookie, collection_id, 100_000) == 302
            time.sleep(1)
            before = peak_kb(worker)
            started = time.monotonic()
            status = upload(port, cookie, collection_id, size)
            elapsed = time.monotonic() - started
            time.sleep(2)  # the text is read after the answer, in the same worker
            after = peak_kb(worker)
            stored = sorted(p.stat().st_size for p in Path(f"{folder}/uploads/library").iterdir())
        finally:
            master.terminate()
            master.wait(timeout=30)
    print(f"upload of {args.megabytes} MB: HTTP {status} in {elapsed:.1f} s; stored files: {stored}")
    print(f"worker peak memory (VmHWM): {before / 1024:.1f} MB before, {after / 1024:.1f} MB after")
    print(f"raised by {(after - before) / 1024:.1f} MB (target: less than 50 MB)")
    return 0 if status == 302 else 1


if __name__ == "__main__":
    sys.exit(main())
