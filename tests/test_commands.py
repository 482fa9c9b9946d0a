"""Command-line tools: the demo dataset and the first organizer."""

from coordination.auth.models import Role, User
from coordination.demo import DEMO_PASSWORD, FOCAL_POINT_EMAIL, ORGANIZER_EMAIL
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.roundtables.models import Roundtable


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_seed_demo_loads_38_embassies_partners_and_people_once(runner, client):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert ORGANIZER_EMAIL in first.output and DEMO_PASSWORD in first.output
    embassies = db.session.scalars(db.select(Organization).where(Organization.kind == "embassy")).all()
    assert len(embassies) == 38
    assert {"SD", "SS", "ER", "ET", "SY", "YE", "SO", "NG"} <= {e.country for e in embassies}
    assert {"iom", "un_agency", "ngo", "community"} <= set(db.session.scalars(db.select(Organization.kind)))
    organizations, people = _count(Organization), _count(User)
    per_org = (
        db.session.execute(
            db.select(db.func.count(User.id))
            .where(User.role != Role.ORGANIZER)
            .group_by(User.organization_id)
        )
        .scalars()
        .all()
    )
    assert min(per_org) >= 2
    assert set(db.session.scalars(db.select(User.preferred_language))) == {"en", "fr", "ar"}

    statuses = sorted(db.session.scalars(db.select(Roundtable.status)))
    assert statuses == ["completed", "published"]

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert (_count(Organization), _count(User), _count(Roundtable)) == (organizations, people, 2)

    assert (
        client.post("/login", data={"email": ORGANIZER_EMAIL, "password": DEMO_PASSWORD}).status_code == 302
    )
    client.post("/logout")
    assert (
        client.post("/login", data={"email": FOCAL_POINT_EMAIL, "password": DEMO_PASSWORD}).status_code == 302
    )


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, organization):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already holds data" in result.output
    assert _count(Organization) == 1


def test_create_organizer_prints_a_one_time_link(runner, client):
    result = runner.invoke(args=["create-organizer", "Head.Of.Unit@IOM.example"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "head.of.unit@iom.example"))
    assert user.role == Role.ORGANIZER and user.password_hash is None
    path = "/invitation/" + result.output.strip().rsplit("/invitation/", 1)[1]
    assert (
        client.post(path, data={"password": "organizer secret!", "confirm": "organizer secret!"}).status_code
        == 302
    )
    client.post("/logout")
    assert client.get(path).status_code == 400
