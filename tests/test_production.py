"""The production configuration: secure cookies, CSRF on, and login limits shared through Redis."""

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import uuid

import redis

from coordination import create_app
from coordination.auth.rules import authenticate
from coordination.extensions import db
from tests.factories import PASSWORD, make_user

REDIS_URL = "redis://127.0.0.1:6379/0"

SCRIPT = textwrap.dedent(
    """
    import json, re, sys
    from coordination import create_app

    app = create_app("production", SQLALCHEMY_DATABASE_URI=sys.argv[1])
    statuses = []
    client = app.test_client()
    for password in ["wrong one 1", "wrong one 2", "wrong one 3", "right"]:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"csrf_token": token, "email": sys.argv[2],
                                               "password": sys.argv[3] if password == "right" else password})
        statuses.append(response.status_code)
    no_token = client.post("/login", data={"email": sys.argv[2], "password": sys.argv[3]}).status_code
    print(json.dumps({"statuses": statuses, "no_token": no_token,
                      "secure": app.config["SESSION_COOKIE_SECURE"]}))
    """
)


def test_production_app_keeps_login_limits_in_redis(app, member):
    prefix = f"roundtable-test-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS="3 per 15 minutes",
        SECRET_KEY="production test secret",
        BASE_URL="http://localhost",  # the test client's host, which production must trust
    )
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT, database_url, member.email, PASSWORD],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        keys = redis.Redis.from_url(REDIS_URL).keys(f"*{prefix}*")
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)
    assert result["statuses"] == [200, 200, 200, 429]  # the right password comes too late
    assert result["no_token"] == 400
    assert result["secure"] is True
    assert keys, "the limiter wrote nothing to Redis"


def test_production_hashes_with_scrypt_and_an_unknown_address_costs_a_scrypt_too(app, monkeypatch):
    """The one place the suite pays for the production hash (the testing settings use a cheap one):
    passwords are stored as scrypt, and signing in with an unknown address runs scrypt as well, so
    that its answer takes as long as a wrong password's and does not tell which addresses exist."""
    monkeypatch.setenv("SECRET_KEY", "production test secret")
    production = create_app("production", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    runs = []
    real_scrypt = hashlib.scrypt

    def counted_scrypt(*args, **kwargs):
        runs.append(1)
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted_scrypt)
    with production.app_context():
        user = make_user(email="scrypt@example.org")
        assert user.password_hash.startswith("scrypt:")
        assert authenticate("scrypt@example.org", PASSWORD).id == user.id
        assert authenticate("scrypt@example.org", "a wrong password") is None
        assert authenticate("nobody@example.org", PASSWORD) is None
        runs.clear()
        assert authenticate("nobody@example.org", PASSWORD) is None  # the same work as a wrong one
        assert runs == [1]
        db.session.remove()
        db.engine.dispose()
