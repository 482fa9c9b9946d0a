"""Two-step sign-in: enrolling an authenticator app (TOTP), checking its codes, recovery codes."""

import base64
import hashlib
import hmac
import re
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from coordination.audit.rules import record_event
from coordination.auth.models import User
from coordination.auth.second_factor_models import RecoveryCode, SecondFactor
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.timeutil import utcnow

RECOVERY_CODE_COUNT = 10
# Codes of the previous and next 30 seconds count too: phones' clocks drift.
_VALID_WINDOW = 1

WRONG_CODE = _l("This code is not correct. Type the 6 digits your authenticator app shows now.")


def _derived_key(purpose: bytes) -> bytes:
    """A key of its own for `purpose`, derived from SECRET_KEY (replacing SECRET_KEY voids enrolments)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"roundtable " + purpose).derive(
        current_app.config["SECRET_KEY"].encode()
    )


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived_key(b"second factor secret")))


def _hash_recovery_code(code: str) -> str:
    return hmac.new(_derived_key(b"recovery codes"), code.encode(), hashlib.sha256).hexdigest()


def _normalized_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def factor_of(user: User) -> SecondFactor | None:
    """The user's second factor, confirmed or still being enrolled, or None."""
    return db.session.scalar(db.select(SecondFactor).where(SecondFactor.user_id == user.id))


def is_enrolled(user: User) -> bool:
    """Whether signing in as `user` asks for a code after the password."""
    factor = factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def secret_of(factor: SecondFactor) -> str:
    """The base32 TOTP secret, decrypted; raises ValidationFailed if SECRET_KEY has changed since."""
    try:
        return _fernet().decrypt(factor.secret.encode()).decode()
    except InvalidToken as exc:
        raise ValidationFailed(
            _l("Your two-step sign-in can no longer be read. Ask the administrator of the site to reset it."),
            field="code",
        ) from exc


def _readable(factor: SecondFactor) -> bool:
    try:
        secret_of(factor)
    except ValidationFailed:
        return False
    return True


def start_enrolment(user: User) -> SecondFactor:
    """The unconfirmed factor `user` is enrolling (a new secret the first time); raises if already on."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise ValidationFailed(_l("Two-step sign-in is already on."))
    if factor is not None and not _readable(factor):
        db.session.delete(factor)  # an enrolment begun under another SECRET_KEY: begin afresh
        db.session.flush()
        factor = None
    if factor is None:
        secret = _fernet().encrypt(pyotp.random_base32().encode()).decode()
        factor = SecondFactor(user_id=user.id, secret=secret)
        db.session.add(factor)
        db.session.flush()
    return factor


def provisioning_uri(user: User, factor: SecondFactor) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret_of(factor)).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SITE_NAME"]
    )


def qr_code_svg(uri: str) -> str:
    """The QR code of `uri` as an inline SVG element (our own markup, no user text in it)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def _accept_totp(factor: SecondFactor, code: str) -> bool:
    """Whether `code` is a current code not used before; spends it if so."""
    code = re.sub(r"\s", "", code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(secret_of(factor))
    now_step = totp.timecode(utcnow())
    for step in range(now_step - _VALID_WINDOW, now_step + _VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            # One statement, so that two requests racing with the same code cannot both win.
            spent = db.session.execute(
                db.update(SecondFactor)
                .where(
                    SecondFactor.id == factor.id,
                    db.or_(SecondFactor.last_used_step.is_(None), SecondFactor.last_used_step < step),
                )
                .values(last_used_step=step)
                .execution_options(synchronize_session=False)
            )
            return spent.rowcount == 1
    return False


def _accept_recovery_code(user: User, code: str) -> bool:
    """Whether `code` is one of the user's unused recovery codes; spends it if so."""
    code = _normalized_recovery_code(code)
    if not code:
        return False
    recovery = db.session.scalar(
        db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    spent = db.session.execute(
        db.update(RecoveryCode)
        .where(RecoveryCode.id == recovery.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return False
    record_event(user, "auth.second_factor.recovery_code_used", user, left=unused_recovery_codes(user) - 1)
    return True


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones, returned in clear once."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(_normalized_recovery_code(code)))
        for code in codes
    )
    db.session.flush()
    return codes


def unused_recovery_codes(user: User) -> int:
    """How many recovery codes the user has left."""
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-step sign-in on once the app shows a right code; returns the new recovery codes.

    Raises ValidationFailed on a wrong code or when no enrolment was started.
    """
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is not None:
        raise ValidationFailed(_l("Start again: open the two-step sign-in page of your profile."))
    if not _accept_totp(factor, code):
        raise ValidationFailed(WRONG_CODE, field="code")
    factor.confirmed_at = utcnow()
    record_event(user, "auth.second_factor.enable", user)
    return _new_recovery_codes(user)


def check_second_step(user: User, code: str) -> None:
    """Accept a current code of the app or an unused recovery code; raises ValidationFailed otherwise."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        raise ValidationFailed(_l("Two-step sign-in is not on for this account."))
    if not (_accept_totp(factor, code) or _accept_recovery_code(user, code)):
        record_event(user, "auth.second_factor.failed", user)
        raise ValidationFailed(WRONG_CODE, field="code")


def disable(user: User, password: str, code: str) -> None:
    """Turn two-step sign-in off; needs the password and a code (of the app or a recovery code)."""
    if user.password_hash is None or not check_password_hash(user.password_hash, password):
        raise ValidationFailed(_l("Your password is not correct."), field="password")
    check_second_step(user, code)
    _remove(user)
    record_event(user, "auth.second_factor.disable", user)


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """Replace the recovery codes after a code of the app; the old ones stop working."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        raise ValidationFailed(_l("Two-step sign-in is not on for this account."))
    if not _accept_totp(factor, code):
        raise ValidationFailed(WRONG_CODE, field="code")
    record_event(user, "auth.second_factor.recovery_codes_renew", user)
    return _new_recovery_codes(user)


def reset(actor, user: User) -> None:
    """Remove a person's second factor, e.g. after they lost their phone and their recovery codes."""
    _remove(user)
    record_event(actor, "auth.second_factor.reset", user)


def _remove(user: User) -> None:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(db.delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.flush()
