"""Flask-Login's user loader: the session id carries a stamp that a new password changes."""

from coordination.auth.models import User
from coordination.extensions import db


def load_user(session_id: str) -> User | None:
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.login_stamp != stamp:
        return None
    return user
