"""Credentials: passwords, signed single-use links (invitations to set a password, resets), sessions
and sign-in. The records of people (create, edit, move, (de)activate) belong to the directory."""

import functools
import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from coordination.audit.rules import record_event
from coordination.auth.models import User, new_login_stamp
from coordination.auth.passwords import password_problems
from coordination.errors import InvalidToken, ValidationFailed
from coordination.extensions import db
from coordination.mail.outbox import queue_mail
from coordination.records import apply_changes
from coordination.timeutil import utcnow

INVITATION = "invitation"
RESET = "reset"


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked against when the address is unknown: made the way real hashes are, it costs the
    same to check, so the time of an answer does not tell whether the address has an account."""
    return generate_password_hash("not a real password", method=method)


def normalize_email(email: str) -> str:
    """The form in which addresses are stored and compared: trimmed and lower-cased."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this address, whatever its case, or None."""
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def set_password(user: User, password: str) -> None:
    """Hash and store `password`; signs out the user's other sessions and spends their links."""
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise ValidationFailed(_l("Use at least 12 characters."), field="password")
    user.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
    user.login_stamp = new_login_stamp()


def choose_password(user: User, password: str) -> None:
    """Set a password the person chose; raises ValidationFailed if the password policy refuses it."""
    problems = password_problems(user, password)
    if problems:
        raise ValidationFailed(" ".join(problems), field="password")
    set_password(user, password)


def authenticate(email: str, password: str) -> User | None:
    """The active account matching these credentials, or None."""
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def record_login(user: User) -> None:
    """Stamp the last login (keeping the one before) and audit it."""
    user.previous_login_at = user.last_login_at
    user.last_login_at = utcnow()
    record_event(user, "auth.login", user)


def end_sessions(user: User) -> None:
    """Sign `user` out on every device: their session and remember cookies stop working."""
    user.session_generation += 1


def revoke_access(user: User) -> None:
    """Spend everything that lets `user` in: sessions, remember cookies and unused links."""
    user.login_stamp = new_login_stamp()


def record_failed_login(email: str) -> None:
    """Audit a failed sign-in against the address typed (which may match no account)."""
    record_event(None, "auth.login_failed", None, email=normalize_email(email)[:254])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="roundtable.accounts")


def _state(user: User) -> str:
    """Changes when the password is set, which makes every earlier link unusable."""
    return hashlib.sha256(f"{user.login_stamp}:{user.password_hash}".encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    """A signed link token for `purpose` that stops working once the password is (re)set."""
    return _serializer().dumps({"u": user.id, "p": purpose, "s": _state(user)})


def load_token(token: str, purpose: str) -> User:
    """The user a valid token names; raises InvalidToken if forged, expired or already used."""
    max_age = current_app.config[
        "INVITATION_TOKEN_MAX_AGE" if purpose == INVITATION else "RESET_TOKEN_MAX_AGE"
    ]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidToken(_l("This link has expired.")) from exc
    except BadSignature as exc:
        raise InvalidToken(_l("This link is not valid.")) from exc
    if not isinstance(data, dict) or data.get("p") != purpose:
        raise InvalidToken(_l("This link is not valid."))
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active:
        raise InvalidToken(_l("This link is not valid."))
    if data.get("s") != _state(user):
        raise InvalidToken(_l("This link has already been used."))
    return user


def send_invitation(actor, user: User) -> None:
    """Mail `user` a link, valid 7 days and usable once, to set their password."""
    user.invited_at = utcnow()
    user.invited_by_id = actor.id if getattr(actor, "is_authenticated", False) else None
    queue_mail(
        user.email,
        "invitation",
        user.preferred_language,
        user=user,
        inviter=actor if user.invited_by_id else None,
        token=make_token(user, INVITATION),
        days=current_app.config["INVITATION_TOKEN_MAX_AGE"] // 86400,
    )
    record_event(actor, "auth.invitation.send", user)


def accept_invitation(user: User, password: str) -> None:
    """Set the invitee's first password; the link is spent by it."""
    choose_password(user, password)
    record_event(user, "auth.invitation.accept", user)


def request_password_reset(email: str) -> int | None:
    """Audit a reset request; returns the id of the active account to mail (see send_reset_link),
    or None. The same work either way: the mail is for after the answer."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        record_event(None, "auth.reset.unknown_address", None, email=normalize_email(email)[:254])
        return None
    record_event(None, "auth.reset.request", user)
    return user.id


def send_reset_link(user_id: int | None) -> None:
    """Queue the mail with a link to choose a new password, for the account request_password_reset
    found (nothing for None, or if it has been deactivated since)."""
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        return
    queue_mail(
        user.email,
        "reset_password",
        user.preferred_language,
        user=user,
        token=make_token(user, RESET),
        hours=current_app.config["RESET_TOKEN_MAX_AGE"] // 3600,
    )


def reset_password(user: User, password: str) -> None:
    """Set a new password from a reset link; the link is spent by it."""
    choose_password(user, password)
    record_event(user, "auth.reset.complete", user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a signed-in user's password; raises ValidationFailed if `current_password` is wrong."""
    if user.password_hash is None or not check_password_hash(user.password_hash, current_password):
        raise ValidationFailed(_l("Your current password is not correct."), field="current_password")
    choose_password(user, new_password)
    record_event(user, "auth.password.change", user)


def update_profile(user: User, **fields) -> None:
    """Save the user's own profile fields (name, position, phone, preferred language)."""
    changed = apply_changes(user, fields)
    if changed:
        record_event(user, "auth.profile.update", user, fields=changed)
