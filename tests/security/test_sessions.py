"""Sessions end when they should: a cookie replayed after sign-out, a password change or a
deactivation finds the sign-in page; sign-in starts a new session; idle organizers are signed out."""

import re

import pytest

from coordination.auth.session import SEEN_AT
from tests.conftest import login
from tests.factories import PASSWORD

HOST = "roundtable.test"  # the suite's SERVER_NAME, where the test client keeps its cookies


def _cookie(client, name: str) -> str:
    cookie = client.get_cookie(name, domain=HOST)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _replay(app, **cookies):
    """An attacker's browser holding copies of the victim's cookies."""
    attacker = app.test_client()
    for name, value in cookies.items():
        attacker.set_cookie(name, value, domain=HOST)
    return attacker


def _signed_out(client) -> bool:
    response = client.get("/profile")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def _sign_in_remembered(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return {"session": _cookie(client, "session"), "remember_token": _cookie(client, "remember_token")}


def test_cookies_replayed_after_sign_out_find_the_sign_in_page(app, client, member):
    cookies = _sign_in_remembered(client, member)
    assert not _signed_out(_replay(app, **cookies))  # the copies work while the owner is signed in
    client.post("/logout")
    assert _signed_out(_replay(app, session=cookies["session"]))
    assert _signed_out(_replay(app, remember_token=cookies["remember_token"]))


def test_signing_out_on_one_device_signs_out_the_others(app, member):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, member)
    login(laptop, member)
    laptop.post("/logout")
    assert _signed_out(phone)
    login(phone, member)  # and signing in again works
    assert not _signed_out(phone)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, client, member):
    stolen = _sign_in_remembered(app.test_client(), member)
    login(client, member)
    response = client.post(
        "/profile/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert response.status_code == 302
    assert not _signed_out(client)
    assert _signed_out(_replay(app, session=stolen["session"]))
    assert _signed_out(_replay(app, remember_token=stolen["remember_token"]))


def test_deactivation_ends_every_session_for_good(app, client, organizer, member):
    stolen = _sign_in_remembered(app.test_client(), member)
    login(client, organizer)
    assert client.post(f"/people/{member.id}/deactivate", data={"confirm": "y"}).status_code == 302
    assert _signed_out(_replay(app, **stolen))
    assert client.post(f"/people/{member.id}/activate").status_code == 302
    assert _signed_out(_replay(app, session=stolen["session"]))
    assert _signed_out(_replay(app, remember_token=stolen["remember_token"]))


def _csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_sign_in_renews_the_session_and_its_csrf_token(csrf_app, member):
    client = csrf_app.test_client()
    before = _csrf_token(client, "/login")
    anonymous_cookie = _cookie(client, "session")
    response = client.post("/login", data={"email": member.email, "password": PASSWORD, "csrf_token": before})
    assert response.status_code == 302
    assert _cookie(client, "session") != anonymous_cookie

    profile = {"name": "Moses Member", "preferred_language": "en"}
    stale = client.post("/profile", data={**profile, "csrf_token": before})
    assert stale.status_code == 400  # a token known before sign-in (perhaps planted) is worth nothing
    after = _csrf_token(client, "/profile")
    assert after != before
    assert client.post("/profile", data={**profile, "csrf_token": after}).status_code == 302


def _idle_for(client, minutes: int) -> None:
    """Make the session look as if its last request was `minutes` ago."""
    with client.session_transaction() as session:
        session[SEEN_AT] -= minutes * 60


@pytest.mark.parametrize("minutes", [31, 24 * 60])
def test_an_idle_organizer_is_signed_out(client, organizer, minutes):
    login(client, organizer)
    assert not _signed_out(client)
    _idle_for(client, minutes)
    response = client.get("/organizations")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/organizations")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after 30 minutes without activity" in page
    assert _signed_out(client)


def test_an_organizer_at_work_stays_signed_in_and_others_have_no_idle_limit(app, client, organizer, member):
    login(client, organizer)
    for _ in range(3):  # 3 × 20 minutes, each with a request: never 30 minutes idle
        _idle_for(client, 20)
        assert client.get("/organizations").status_code == 200

    colleague = app.test_client()
    login(colleague, member)
    _idle_for(colleague, 24 * 60)
    assert not _signed_out(colleague)


def test_the_idle_limit_is_a_setting(app, client, organizer, monkeypatch):
    monkeypatch.setitem(app.config, "ORGANIZER_IDLE_MINUTES", 5)
    login(client, organizer)
    _idle_for(client, 6)
    assert _signed_out(client)


def test_an_organizer_gets_no_remember_cookie_to_outlive_the_idle_limit(client, organizer):
    response = client.post("/login", data={"email": organizer.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    assert "remember_token=" not in " ".join(response.headers.getlist("Set-Cookie"))
