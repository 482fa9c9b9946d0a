"""Sign-in tells nobody which addresses have accounts, and its limits slow an attacker without
locking the owner out: the same work for known and unknown addresses, limits per account and
client address (the client's, behind a proxy)."""

import hashlib
import re

import pytest

from coordination import create_app
from coordination.auth.rules import set_password
from coordination.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD

ATTACKER = {"REMOTE_ADDR": "198.51.100.66"}
OWNER = {"REMOTE_ADDR": "203.0.113.10"}
UNKNOWN = "nobody@nowhere.example"


@pytest.fixture
def hashing(monkeypatch):
    """Every password hash computed, with its method and cost: the real functions, counted."""
    calls: list[tuple] = []
    real_scrypt, real_pbkdf2 = hashlib.scrypt, hashlib.pbkdf2_hmac

    def scrypt(password, *, salt, n, r, p, **options):
        calls.append(("scrypt", n, r, p))
        return real_scrypt(password, salt=salt, n=n, r=r, p=p, **options)

    def pbkdf2_hmac(hash_name, password, salt, iterations, *args):
        calls.append(("pbkdf2", hash_name, iterations))
        return real_pbkdf2(hash_name, password, salt, iterations, *args)

    monkeypatch.setattr(hashlib, "scrypt", scrypt)
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", pbkdf2_hmac)
    return calls


@pytest.mark.parametrize("method", ["scrypt:4096:8:1", "pbkdf2:sha256:2000"])
def test_an_unknown_address_costs_the_same_hashing_as_a_known_one(
    app, client, member, hashing, method, monkeypatch
):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", method)
    set_password(member, PASSWORD)  # a hash of the configured kind, as every new password gets
    db.session.commit()
    client.post("/login", data={"email": UNKNOWN, "password": "warm-up"})  # made once per process
    hashing.clear()

    client.post("/login", data={"email": member.email, "password": "a wrong guess"})
    known = list(hashing)
    hashing.clear()
    client.post("/login", data={"email": UNKNOWN, "password": "a wrong guess"})
    unknown = list(hashing)
    hashing.clear()
    client.post("/login", data={"email": member.email.replace("@", "+x@"), "password": "a wrong guess"})

    assert len(known) == 1
    assert unknown == known == hashing  # the same method, at the same cost, the same number of times


def _statements(count_queries, client, email: str) -> tuple[list[str], object]:
    with count_queries() as statements:
        response = client.post("/password/forgot", data={"email": email})
    assert response.status_code == 302
    # The values differ (the address, the time), the statements must not.
    return [re.sub(r"\s+", " ", statement) for statement in statements], response


def test_forgot_password_answers_after_the_same_work_for_known_and_unknown_addresses(
    client, member, count_queries, smtp_server
):
    known, known_response = _statements(count_queries, client, member.email)
    unknown, unknown_response = _statements(count_queries, client, UNKNOWN)
    assert known == unknown
    assert smtp_server.messages == []  # nothing is mailed before the answer has gone out

    known_response.close()  # as every WSGI server does once the answer is sent
    unknown_response.close()
    [message] = smtp_server.wait_for(1)
    assert message["To"] == member.email
    smtp_server.wait_for(2, timeout=0.5)
    assert len(smtp_server.messages) == 1


def _fail(client, email: str, environ: dict, times: int) -> list[int]:
    return [
        client.post(
            "/login", data={"email": email, "password": "a wrong guess"}, environ_overrides=environ
        ).status_code
        for _ in range(times)
    ]


def test_wrong_passwords_slow_the_attacker_but_the_owner_still_signs_in(client, member):
    assert _fail(client, member.email, ATTACKER, 5) == [200] * 5
    blocked = client.post(
        "/login", data={"email": member.email, "password": PASSWORD}, environ_overrides=ATTACKER
    )
    assert blocked.status_code == 429  # even the right password, from the attacker's address
    assert "Too many failed sign-in attempts" in blocked.get_data(as_text=True)

    owner = client.application.test_client()
    response = owner.post(
        "/login", data={"email": member.email, "password": PASSWORD}, environ_overrides=OWNER
    )
    assert response.status_code == 302
    assert owner.get("/profile").status_code == 200


def test_guessing_across_accounts_from_one_address_is_limited_too(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "3 per 15 minutes")
    statuses = [_fail(client, f"guess{number}@example.org", ATTACKER, 1)[0] for number in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert _fail(client, "guess9@example.org", OWNER, 1) == [200]


@pytest.fixture
def proxied_app(app):
    """The application behind one reverse proxy (PROXY_COUNT=1), on the same database."""
    proxied = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT=1
    )
    yield proxied
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def _through_proxy(client_address: str, claimed: str | None = None) -> dict:
    """What the proxy at 10.0.0.2 passes on: the client's address appended to what it claimed."""
    forwarded = f"{claimed}, {client_address}" if claimed else client_address
    return {"environ_overrides": {"REMOTE_ADDR": "10.0.0.2"}, "headers": {"X-Forwarded-For": forwarded}}


def test_behind_a_proxy_two_clients_are_limited_apart(proxied_app, member):
    attacker, owner = proxied_app.test_client(), proxied_app.test_client()
    wrong = {"email": member.email, "password": "a wrong guess"}
    for number in range(5):  # a made-up first entry changes nothing: the proxy's is the one read
        assert (
            attacker.post(
                "/login", data=wrong, **_through_proxy("198.51.100.66", f"1.2.3.{number}")
            ).status_code
            == 200
        )
    right = {"email": member.email, "password": PASSWORD}
    assert (
        attacker.post("/login", data=right, **_through_proxy("198.51.100.66", "1.2.3.99")).status_code == 429
    )
    assert owner.post("/login", data=right, **_through_proxy("203.0.113.10")).status_code == 302


def test_without_the_proxy_setting_the_proxy_address_is_what_gets_limited(client, member):
    """Why PROXY_COUNT matters: unset, every client behind the proxy shares its address."""
    wrong = {"email": member.email, "password": "a wrong guess"}
    for _ in range(5):
        client.post("/login", data=wrong, **_through_proxy("198.51.100.66"))
    owner = client.application.test_client()
    right = {"email": member.email, "password": PASSWORD}
    assert owner.post("/login", data=right, **_through_proxy("203.0.113.10")).status_code == 429
    login(owner, member)  # from elsewhere, not through that proxy
