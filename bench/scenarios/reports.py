"""The engagement dashboard over 30 held roundtables of one series with 40 invited embassies each
(registrations, check-ins), and the home page of an embassy's focal point."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from scenarios import BenchError, Context, Target

FOCAL_EMAIL = "bench.home@roundtable.example"
ROUNDTABLES = 30
INVITED = 40


def build(context: Context) -> list[Target]:
    from coordination.auth.models import Role, User
    from coordination.extensions import db
    from coordination.roundtables.models import Invitation, Registration, Roundtable, Series

    rng = context.rng
    embassies = context.active_organization_ids[:INVITED]
    if len(embassies) < INVITED:
        raise BenchError(f"the dashboard needs {INVITED} active organizations")
    people = {}
    for oid, uid in db.session.execute(
        select(User.organization_id, User.id).where(User.organization_id.in_(embassies))
    ):
        people.setdefault(oid, []).append(uid)
    focal = User(
        email=FOCAL_EMAIL,
        name="Benchmark Focal Point",
        role=Role.FOCAL_POINT,
        preferred_language="en",
        organization_id=embassies[0],
        password_hash=context.password_hash,
    )
    series = Series(name="Benchmark series of embassy roundtables")
    db.session.add_all([focal, series])
    start = datetime(2024, 1, 10, 7, tzinfo=UTC)
    roundtables = []
    for number in range(ROUNDTABLES + 2):
        moment = start + timedelta(days=30 * number)
        held = number < ROUNDTABLES
        roundtable = Roundtable(
            title=f"History roundtable {number + 1}",
            series=series,
            starts_at=moment if held else datetime.now(UTC) + timedelta(days=10 * number - 290),
            ends_at=(moment if held else datetime.now(UTC) + timedelta(days=10 * number - 290))
            + timedelta(hours=3),
            status="completed" if held else "published",
            sdgs=rng.sample([3, 8, 10, 16], 2),
        )
        db.session.add(roundtable)
        roundtables.append(roundtable)
    db.session.flush()
    invitations, registrations = [], []
    for roundtable in roundtables:
        for oid in embassies:
            invitations.append(
                {
                    "roundtable_id": roundtable.id,
                    "organization_id": oid,
                    "status": rng.choice(["invited", "accepted", "accepted", "declined"]),
                    "token": f"bench-h-{roundtable.id}-{oid}",
                }
            )
            for uid in (people.get(oid) or [])[: rng.randint(0, 3)]:
                came = roundtable.status == "completed" and rng.random() < 0.7
                registrations.append(
                    {
                        "roundtable_id": roundtable.id,
                        "user_id": uid,
                        "organization_id": oid,
                        "status": "attending",
                        "checked_in_at": roundtable.starts_at if came else None,
                    }
                )
    db.session.execute(insert(Invitation), invitations)
    db.session.execute(insert(Registration), registrations)
    return [
        Target(
            "dashboard",
            "/dashboard",
            user=context.organizer_email,
            expect_text="Engagement dashboard",
            max_p50_ratio=10,
            max_cold_ratio=10,
        ),
        Target("home page", "/", user=FOCAL_EMAIL, expect_text="Coming roundtables"),
    ]
