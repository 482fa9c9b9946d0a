"""Completing a sign-in: at once after the password, or after the second step's code."""

import time

from flask import current_app, redirect, session, url_for

from coordination.auth import rules
from coordination.auth.models import User
from coordination.auth.session import start_session
from coordination.extensions import db
from coordination.urls import safe_next

PENDING_KEY = "second_step"


def finish_sign_in(user: User, remember: bool, next_url: str | None):
    """Sign `user` in on a new session (the password and any second step passed; the pending
    state goes with the old session) and go where they were heading."""
    rules.record_login(user)
    db.session.commit()
    start_session(user, remember=remember)
    session["language"] = user.preferred_language
    return redirect(safe_next(next_url) or url_for("main.index"))


def ask_for_second_step(user: User, remember: bool, next_url: str | None):
    """Remember who passed the password, for a short while, and ask for their code.

    The person is not signed in until the code is right; a new password (new stamp) voids this.
    """
    session[PENDING_KEY] = {
        "user": user.id,
        "stamp": user.login_stamp,
        "remember": bool(remember),
        "next": safe_next(next_url),
        "until": int(time.time()) + current_app.config["SECOND_STEP_MAX_AGE"],
    }
    return redirect(url_for("auth.second_step"))


def pending_user() -> tuple[User | None, dict]:
    """The user who passed the password and still owes their code, with the pending state."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None, {}
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or user.login_stamp != pending.get("stamp"):
        return None, {}
    return user, pending
