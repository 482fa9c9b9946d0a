"""Headers on every response: what the browser may run and load, framing, referrers, HTTPS, and
no caching of anything but static files."""

from flask import Flask, Response, current_app, request

# Scripts come only from our own files (no inline script, no eval), so text a user typed can never
# run even if it slipped through escaping. Inline styles stay allowed: templates still carry a few
# style attributes, and CSS cannot run script. Bootstrap draws its icons from data: images.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def register(app: Flask) -> None:
    """Add the headers to every response of `app`."""
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    """Set the security headers on `response`; a view's own stricter policy (library files) stays."""
    headers = response.headers
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    # The full address only to our own pages (Flask-WTF compares the Referer over HTTPS); other
    # sites learn nothing, not even that their visitor came from here.
    headers["Referrer-Policy"] = "same-origin"
    if current_app.config["STRICT_TRANSPORT_SECURITY"]:
        headers["Strict-Transport-Security"] = current_app.config["STRICT_TRANSPORT_SECURITY"]
    # Nearly every page shows people's names, contacts, registrations or answers, and the guide's
    # result a migrant's situation: nothing but static files is kept by the browser or a proxy, so
    # a shared computer's back button or cache shows nothing to the next person.
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response
