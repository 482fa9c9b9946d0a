"""Links the platform builds: absolute ones (mail, feeds, calendars) from the configured BASE_URL,
never from the request; and the redirect targets it accepts from a request (`safe_next`).

A request's Host header is whatever the client sent; a reset link built from it would send the
token to an attacker's site wherever a proxy passes the header on.
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` under BASE_URL, whatever host the current request names."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
