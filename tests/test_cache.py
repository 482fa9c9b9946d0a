"""The one cache for data (coordination.cache), tested through applications: in memory, and in a real
Redis shared by two applications as two hosts would share it (database 11, a prefix of each test's
own, emptied afterwards)."""

import uuid

import pytest
import redis
from flask import jsonify
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import insert, select

from coordination import create_app
from coordination.cache import kept
from coordination.catalogue import rules
from coordination.catalogue.models import Service
from coordination.extensions import db
from tests.catalogue.conftest import make_service
from tests.conftest import login

REDIS_URL = "redis://127.0.0.1:6379/11"
computed: list[str] = []


@kept(depends_on=(Service,), vary_by=("language",))
def service_names(language: str) -> list[str]:
    computed.append(language)
    names = db.session.scalars(select(Service.texts).order_by(Service.id))
    return [texts["name"].get(language) or texts["name"]["en"] for texts in names]


@kept(depends_on=(Service,), vary_by=("user_id", "organizer"))
def greeting(user_id: int, organizer: bool) -> dict:
    computed.append(f"greeting {user_id}")
    return {"user_id": user_id, "organizer": organizer, "services": len(service_names("en"))}


@kept(depends_on=(Service,), vary_by=())
def with_csrf_token() -> str:
    return f"token {generate_csrf()}"


def _build(base, **settings):
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=base.config["SQLALCHEMY_DATABASE_URI"],
        SERVER_NAME="roundtable.test",
        BASE_URL="http://roundtable.test",
        **settings,
    )

    @application.get("/test/names/<language>")
    def names(language):
        return jsonify(service_names(language))

    @application.get("/test/greeting")
    def greet():
        return jsonify(greeting(current_user.id, current_user.role == "organizer"))

    @application.get("/test/csrf")
    def csrf():
        return with_csrf_token()

    return application


@pytest.fixture(autouse=True)
def _forget_computed():
    computed.clear()


@pytest.fixture
def redis_prefix():
    prefix = f"rt-h-catalogue-test:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def two_hosts(app, redis_prefix):
    settings = {"CACHE_ENABLED": True, "CACHE_REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": redis_prefix}
    return _build(app, **settings), _build(app, **settings)


@pytest.fixture
def in_memory(app):
    return _build(app, CACHE_ENABLED=True)


def test_a_change_is_seen_on_the_next_request_from_another_host(two_hosts, organizer):
    first, second = two_hosts
    service = make_service(organizer, "Health")
    assert first.test_client().get("/test/names/en").json == ["Health"]
    assert second.test_client().get("/test/names/en").json == ["Health"]
    assert computed == ["en"]  # the second host was served what the first kept

    with first.app_context():  # an organizer renames it on the first host
        changed = db.session.get(Service, service.id)
        rules.save_service(
            db.session.merge(organizer),
            changed,
            texts={"name": {"en": "Health assistance"}},
            service_area=changed.service_area,
            links=[],
        )
        db.session.commit()
    assert second.test_client().get("/test/names/en").json == ["Health assistance"]
    assert computed == ["en", "en"]


def test_a_rolled_back_change_keeps_what_was_kept(two_hosts, organizer):
    first, second = two_hosts
    service = make_service(organizer, "Health")
    assert first.test_client().get("/test/names/en").json == ["Health"]
    with second.app_context():
        db.session.get(Service, service.id).texts = {"name": {"en": "Never saved"}}
        db.session.flush()
        db.session.rollback()
    assert first.test_client().get("/test/names/en").json == ["Health"]
    assert computed == ["en"]


def test_a_bulk_insert_is_seen_at_once_in_memory(in_memory, organizer):
    make_service(organizer, "Health")
    client = in_memory.test_client()
    assert client.get("/test/names/en").json == ["Health"]
    assert client.get("/test/names/en").json == ["Health"]
    with in_memory.app_context():
        db.session.execute(
            insert(Service), [{"key": "avrr", "service_area": "avrr", "texts": {"name": {"en": "AVRR"}}}]
        )
        db.session.commit()
    assert client.get("/test/names/en").json == ["Health", "AVRR"]
    assert computed == ["en", "en"]


def test_what_a_value_varies_by_keeps_its_values_apart(in_memory, organizer, member):
    rules.save_service(
        organizer, None, texts={"name": {"en": "Health", "fr": "Santé"}}, service_area="health", links=[]
    )
    db.session.commit()
    client = in_memory.test_client()
    assert client.get("/test/names/fr").json == ["Santé"]
    assert client.get("/test/names/en").json == ["Health"]
    for person, organizing in ((member, False), (organizer, True), (member, False)):
        client = in_memory.test_client()
        login(client, person)
        assert client.get("/test/greeting").json == {
            "user_id": person.id,
            "organizer": organizing,
            "services": 1,
        }
    assert computed == ["fr", "en", f"greeting {member.id}", f"greeting {organizer.id}"]


def test_switched_off_it_computes_every_time(app, organizer):
    make_service(organizer, "Health")
    client = _build(app, CACHE_ENABLED=False, CACHE_REDIS_URL=REDIS_URL).test_client()
    for _ in range(3):
        assert client.get("/test/names/en").json == ["Health"]
    assert computed == ["en", "en", "en"]


def test_a_value_holding_the_session_s_csrf_token_is_refused(in_memory, caplog):
    client = in_memory.test_client()
    for _ in range(2):  # never kept, so refused every time
        assert client.get("/test/csrf").status_code == 500
    assert "would keep the session's CSRF token" in caplog.text


def test_every_parameter_must_be_named_and_plain(in_memory):
    with pytest.raises(TypeError, match="vary_by"):

        @kept(depends_on=(Service,), vary_by=("language",))
        def forgets_the_viewer(language, viewer):
            return language

    @kept(depends_on=(Service,), vary_by=("viewer",))
    def given_a_record(viewer):
        return 1

    with in_memory.app_context(), pytest.raises(TypeError, match="plain value"):
        given_a_record(object())


def test_an_unreachable_redis_costs_speed_not_the_page(app, organizer):
    make_service(organizer, "Health")
    client = _build(app, CACHE_ENABLED=True, CACHE_REDIS_URL="redis://127.0.0.1:1/0").test_client()
    assert client.get("/test/names/en").json == ["Health"]
    assert client.get("/test/names/en").json == ["Health"]
    assert computed == ["en", "en"]
