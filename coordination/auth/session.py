"""Sessions: the user loader checks the stamps in the session id, sign-in starts a fresh session,
and an organizer's session ends after ORGANIZER_IDLE_MINUTES without a request."""

import time

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from coordination.auth.models import User
from coordination.extensions import db

SEEN_AT = "seen_at"


def load_user(session_id: str) -> User | None:
    """The user a session or remember cookie names, if its stamps are still the user's."""
    user_id, _, stamps = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or stamps != f"{user.login_stamp}:{user.session_generation}":
        return None
    return user


def start_session(user: User, remember: bool = False) -> None:
    """Sign `user` in on a new session: nothing of the one before carries over, the CSRF token
    included, so that a token or cookie planted before sign-in is worth nothing after it; only the
    language chosen on the way is kept."""
    language = session.get("language")
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's copy for this request
    if language:
        session["language"] = language
    # An organizer's session must end when idle; a 30-day cookie would bring it back.
    login_user(user, remember=remember and not user.is_organizer)
    session[SEEN_AT] = int(time.time())


def end_idle_organizer_session():
    """Before each request: sign an organizer out after ORGANIZER_IDLE_MINUTES without one."""
    # No endpoint: a 404, or a Host outside TRUSTED_HOSTS, which gets its 400 and nothing else.
    if request.endpoint in (None, "static"):
        return None
    if not current_user.is_authenticated or not current_user.is_organizer:
        return None
    now = int(time.time())
    seen = session.get(SEEN_AT)
    minutes = current_app.config["ORGANIZER_IDLE_MINUTES"]
    if not isinstance(seen, int) or now - seen > minutes * 60:
        logout_user()
        flash(_("You were signed out after %(minutes)d minutes without activity.", minutes=minutes), "info")
        return redirect(
            url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
        )
    if now - seen >= 60:  # rewrite the cookie at most once a minute
        session[SEEN_AT] = now
    return None
