"""Two-step sign-in: enrolling an authenticator app, the code after the password, recovery codes,
turning it off, and organizers made to enrol when ORGANIZER_SECOND_FACTOR_REQUIRED is on."""

import re
import time

import pyotp
import pytest

from coordination.audit.models import AuditEvent
from coordination.auth.second_factor import secret_of
from coordination.auth.second_factor_models import RecoveryCode, SecondFactor
from coordination.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD


def _factor(user) -> SecondFactor | None:
    return db.session.scalar(db.select(SecondFactor).where(SecondFactor.user_id == user.id))


def _code(user, steps_from_now: int = 0) -> str:
    """The code the person's app shows now (or `steps_from_now` periods of 30 s away)."""
    totp = pyotp.TOTP(secret_of(_factor(user)))
    return totp.generate_otp(totp.timecode(time.time()) + steps_from_now)


@pytest.fixture(autouse=True)
def _away_from_a_step_boundary():
    """A code computed in the last second of its 30 s would be checked in the next period."""
    if time.time() % 30 > 28:
        time.sleep(2.1)


def _actions(user) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.target_id == user.id).order_by(AuditEvent.id)
        )
    )


def _enrol(client, user) -> list[str]:
    """Turn two-step sign-in on through the profile (the user signed in); the recovery codes shown."""
    assert client.get("/profile/two-step").status_code == 200
    # The previous period's code: the sign-ins of the test use the current and next ones.
    response = client.post("/profile/two-step/enable", data={"code": _code(user, -1)})
    assert response.status_code == 200
    codes = re.findall(r"<li class=\"col\">([0-9a-f]{6}-[0-9a-f]{6})</li>", response.get_data(as_text=True))
    assert len(codes) == 10
    assert response.headers["Cache-Control"] == "no-store"
    return codes


def _password_step(client, user):
    return client.post("/login", data={"email": user.email, "password": PASSWORD})


def _signed_in(client) -> bool:
    return client.get("/profile").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_key_and_stores_the_secret_encrypted(client, member):
    login(client, member)
    page = client.get("/profile/two-step").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    shown_key = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    stored = _factor(member)
    assert secret_of(stored) == shown_key
    assert shown_key not in stored.secret  # the database holds it encrypted
    assert stored.confirmed_at is None
    assert client.get("/profile/two-step").headers["Cache-Control"] == "no-store"


def test_enrolment_with_a_wrong_code_fails(client, member):
    login(client, member)
    client.get("/profile/two-step")
    wrong = "000000" if _code(member) != "000000" else "111111"
    response = client.post("/profile/two-step/enable", data={"code": wrong})
    assert response.status_code == 200
    assert "This code is not correct" in response.get_data(as_text=True)
    assert _factor(member).confirmed_at is None
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
    # Not on: signing in again asks for the password only.
    client.post("/logout")
    assert _password_step(client, member).headers["Location"] == "/"


def test_enrolment_with_the_right_code_turns_it_on_with_ten_hashed_recovery_codes(client, member):
    login(client, member)
    codes = _enrol(client, member)
    assert _factor(member).confirmed_at is not None
    stored = list(
        db.session.scalars(db.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == member.id))
    )
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert "auth.second_factor.enable" in _actions(member)
    assert "Two-step sign-in is on since" in client.get("/profile/two-step").get_data(as_text=True)


def test_sign_in_of_an_enrolled_user_needs_a_valid_current_code(client, member):
    login(client, member)
    _enrol(client, member)
    client.post("/logout")

    response = _password_step(client, member)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    assert not _signed_in(client)  # the password alone signs nobody in

    page = client.get("/login/code")
    assert "authenticator app" in page.get_data(as_text=True)
    for wrong in ("123", "abcdef", str((int(_code(member)) + 1) % 1_000_000).zfill(6)):
        refused = client.post("/login/code", data={"code": wrong})
        assert refused.status_code == 200
        assert "This code is not correct" in refused.get_data(as_text=True)
        assert not _signed_in(client)

    assert client.post("/login/code", data={"code": _code(member)}).status_code == 302
    assert _signed_in(client)
    assert "auth.second_factor.failed" in _actions(member)


def test_a_code_is_good_for_one_sign_in_only(client, member):
    login(client, member)
    _enrol(client, member)
    client.post("/logout")
    code = _code(member)
    _password_step(client, member)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")

    _password_step(client, member)
    replay = client.post("/login/code", data={"code": code})
    assert replay.status_code == 200 and "This code is not correct" in replay.get_data(as_text=True)
    assert not _signed_in(client)
    assert client.post("/login/code", data={"code": _code(member, 1)}).status_code == 302


def test_a_recovery_code_works_once(client, member):
    login(client, member)
    codes = _enrol(client, member)
    client.post("/logout")

    _password_step(client, member)
    assert client.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    assert _signed_in(client)
    assert "9 unused recovery codes" in client.get("/profile/two-step").get_data(as_text=True)
    client.post("/logout")

    _password_step(client, member)
    again = client.post("/login/code", data={"code": codes[3]})
    assert again.status_code == 200 and "This code is not correct" in again.get_data(as_text=True)
    assert not _signed_in(client)
    assert "auth.second_factor.recovery_code_used" in _actions(member)


def test_the_code_step_expires(app, client, member):
    login(client, member)
    _enrol(client, member)
    client.post("/logout")
    app.config["SECOND_STEP_MAX_AGE"] = -1
    try:
        _password_step(client, member)
        late = client.post("/login/code", data={"code": _code(member)})
    finally:
        app.config["SECOND_STEP_MAX_AGE"] = 300
    assert late.status_code == 302 and late.headers["Location"] == "/login"
    assert not _signed_in(client)


def test_code_attempts_are_limited_per_account(client, member):
    login(client, member)
    _enrol(client, member)
    client.post("/logout")
    _password_step(client, member)
    for _attempt in range(5):
        assert client.post("/login/code", data={"code": "999999x"}).status_code == 200
    blocked = client.post("/login/code", data={"code": _code(member)})
    assert blocked.status_code == 429
    assert not _signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(client, member):
    login(client, member)
    old_codes = _enrol(client, member)
    refused = client.post("/profile/two-step/recovery-codes", data={"code": old_codes[0]})
    assert "This code is not correct" in refused.get_data(as_text=True)

    response = client.post("/profile/two-step/recovery-codes", data={"code": _code(member)})
    new_codes = re.findall(
        r"<li class=\"col\">([0-9a-f]{6}-[0-9a-f]{6})</li>", response.get_data(as_text=True)
    )
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post("/logout")

    _password_step(client, member)
    assert client.post("/login/code", data={"code": old_codes[1]}).status_code == 200
    assert client.post("/login/code", data={"code": new_codes[1]}).status_code == 302


def test_turning_it_off_needs_the_password_and_a_code(client, member):
    login(client, member)
    _enrol(client, member)

    no_password = client.post("/profile/two-step/disable", data={"password": "not it", "code": _code(member)})
    assert "Your password is not correct" in no_password.get_data(as_text=True)
    no_code = client.post("/profile/two-step/disable", data={"password": PASSWORD, "code": "000001x"})
    assert "This code is not correct" in no_code.get_data(as_text=True)
    assert _factor(member).confirmed_at is not None

    done = client.post("/profile/two-step/disable", data={"password": PASSWORD, "code": _code(member)})
    assert done.status_code == 302
    assert _factor(member) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
    assert "auth.second_factor.disable" in _actions(member)
    client.post("/logout")
    assert _password_step(client, member).headers["Location"] == "/"


def test_every_user_may_turn_it_on_from_the_profile(client, member):
    login(client, member)
    profile = client.get("/profile").get_data(as_text=True)
    assert "Two-step sign-in" in profile and 'href="/profile/two-step"' in profile


def test_the_command_line_resets_a_lost_second_factor(runner, client, member):
    login(client, member)
    _enrol(client, member)
    client.post("/logout")
    result = runner.invoke(args=["auth", "reset-second-factor", member.email])
    assert result.exit_code == 0, result.output
    assert _factor(member) is None
    assert _password_step(client, member).headers["Location"] == "/"


def _pages_without_arguments(app) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


@pytest.fixture
def second_factor_required(app):
    app.config["ORGANIZER_SECOND_FACTOR_REQUIRED"] = True
    yield
    app.config["ORGANIZER_SECOND_FACTOR_REQUIRED"] = False


def test_required_organizer_is_sent_to_enrol_from_every_page(app, client, organizer, second_factor_required):
    response = _password_step(client, organizer)
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/profile/two-step"

    reachable = {"/profile/two-step", "/healthz", "/login/code"}
    for path in _pages_without_arguments(app):
        if path in reachable:
            continue
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/profile/two-step", path
    # Actions too, not only pages.
    posted = client.post("/profile", data={"name": "Changed", "preferred_language": "en"})
    assert posted.headers["Location"] == "/profile/two-step"
    assert db.session.get(type(organizer), organizer.id).name == "Olga Organizer"

    _enrol(client, organizer)
    assert client.get("/").status_code == 200
    assert client.get("/audit").status_code == 200


def test_required_only_for_organizers_and_only_when_set(
    app, client, organizer, member, second_factor_required
):
    login(client, member)
    assert client.get("/").status_code == 200
    client.post("/logout")

    app.config["ORGANIZER_SECOND_FACTOR_REQUIRED"] = False
    login(client, organizer)
    assert client.get("/").status_code == 200


def test_an_unreadable_secret_is_a_clear_message_not_an_error_page(client, member):
    login(client, member)
    _enrol(client, member)
    client.post("/logout")
    # As after SECRET_KEY was replaced: the stored secret no longer decrypts.
    db.session.execute(db.update(SecondFactor).values(secret="not-a-fernet-token"))
    db.session.commit()
    _password_step(client, member)
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 200
    assert "Ask the administrator of the site to reset it" in response.get_data(as_text=True)
    assert not _signed_in(client)
