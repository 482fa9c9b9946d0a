"""The password policy: what a person may choose as a password, and why not."""

import gzip
import re
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"

# Shorter parts of a name ("Al", "de") would refuse too many good passwords.
_MIN_PERSONAL_PART = 3


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, lower-cased; read once per process."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line.strip())


def _personal_parts(user) -> set[str]:
    """The parts of the person's name and e-mail address a password must not contain."""
    local_part = (getattr(user, "email", None) or "").partition("@")[0].lower()
    words = re.findall(r"\w+", f"{getattr(user, 'name', None) or ''} {local_part}".lower())
    parts = {word for word in words if len(word) >= _MIN_PERSONAL_PART}
    if len(local_part) >= _MIN_PERSONAL_PART:
        parts.add(local_part)
    return parts


def password_problems(user, password: str) -> list[str]:
    """Why `user` may not choose `password` (empty when it is acceptable)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("Use at least %(count)d characters.", count=minimum))
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        problems.append(
            _("This password is one of the most common or leaked passwords. Choose one nobody would guess.")
        )
    if any(part in lowered for part in _personal_parts(user)):
        problems.append(_("Do not use your name or your e-mail address in your password."))
    return problems
