"""Browser-test fixtures: the application served on a free local port, and Debian's chromium.

The live server runs a second application built from the same settings and pointed at the SAME
database as the session `app`, so that what the factories commit is what the browser sees, and
the tables emptied after each test are the ones it reads. A second application rather than the
session one because that one is built with SERVER_NAME="roundtable.test" for the other tests,
and links must point to the port the browser talks to. CSRF protection is on, as in production.
"""

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from coordination import create_app
from coordination.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietRequestHandler(WSGIRequestHandler):
    """Keeps the request log out of pytest's captured output; errors are still logged."""

    def log_request(self, code="-", size="-") -> None:
        pass


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The base URL of the application served in a background thread; stopped after the session."""
    live_app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
        WTF_CSRF_ENABLED=True,
    )
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietRequestHandler)
    live_app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # where mailed links point
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with live_app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """pytest-playwright's pages resolve relative URLs against the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """Debian's chromium, never a browser downloaded by `playwright install`."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args) -> dict:
    """English first, whatever the machine's locale, so that each test chooses its language."""
    return {**browser_context_args, "locale": "en-GB"}
