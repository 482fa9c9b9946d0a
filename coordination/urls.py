"""Absolute links (mail, feeds, calendars) built from the configured BASE_URL, never from the request.

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
