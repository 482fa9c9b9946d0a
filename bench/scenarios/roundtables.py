"""A roundtable with 38 invited embassies and 120 registrations: its event page, as the focal point
of an invited embassy sees it, and the check-in page searched by name, as the organizer uses it."""

from datetime import timedelta

from sqlalchemy import insert, select, update

from scenarios import BenchError, Context, Target

INVITED = 38
REGISTRATIONS = 120
TITLE = "Benchmark roundtable on return and reintegration"


def build(context: Context) -> list[Target]:
    from coordination.auth.models import Role, User
    from coordination.directory.models import Organization
    from coordination.extensions import db
    from coordination.roundtables.models import AgendaItem, Invitation, Registration, Roundtable
    from coordination.timeutil import utcnow

    embassies = db.session.scalars(
        select(Organization.id)
        .where(Organization.kind == "embassy", Organization.active.is_(True))
        .order_by(Organization.id)
        .limit(INVITED)
    ).all()
    if len(embassies) < INVITED:
        raise BenchError(f"fewer than {INVITED} active embassies in the dataset")
    start = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    roundtable = Roundtable(
        title=TITLE,
        description="Coordination of **assisted voluntary return** with the embassies.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue="IOM Egypt, Cairo",
        online_url="https://meet.example/roundtable",
        languages=["en", "fr", "ar"],
        capacity=200,
        seats_per_organization=5,
        sdgs=[3, 8, 10, 16],
        service_areas=["avrr", "health"],
        status="published",
    )
    for position, title in enumerate(["Welcome", "Services of IOM", "Eligibility", "Discussion"], 1):
        roundtable.agenda.append(AgendaItem(title=title, position=position, duration_minutes=30))
    db.session.add(roundtable)
    db.session.flush()
    db.session.execute(
        insert(Invitation),
        [
            {
                "roundtable_id": roundtable.id,
                "organization_id": oid,
                "status": "accepted",
                "token": f"bench-{oid}",
            }
            for oid in embassies
        ],
    )
    people = db.session.execute(
        select(User.id, User.organization_id)
        .where(User.organization_id.in_(embassies), User.active.is_(True))
        .order_by(User.organization_id, User.id)
    ).all()
    # Round-robin over the embassies, as delegations of a few people each.
    waiting: dict[int, list] = {}
    for person in people:
        waiting.setdefault(person.organization_id, []).append(person)
    rows = []
    while len(rows) < REGISTRATIONS and any(waiting.values()):
        for queue in waiting.values():
            if queue and len(rows) < REGISTRATIONS:
                rows.append(queue.pop(0))
    now = utcnow()
    db.session.execute(
        insert(Registration),
        [
            {
                "roundtable_id": roundtable.id,
                "user_id": row.id,
                "organization_id": row.organization_id,
                "status": "attending",
                "registered_at": now - timedelta(minutes=index),
            }
            for index, row in enumerate(rows)
        ],
    )
    if len(rows) < REGISTRATIONS:
        raise BenchError(f"only {len(rows)} people to register in the invited embassies")

    focal = db.session.scalar(
        select(User)
        .where(User.organization_id == embassies[0], User.role == Role.FOCAL_POINT, User.active.is_(True))
        .limit(1)
    )
    if focal is None:
        focal = db.session.scalar(select(User).where(User.organization_id == embassies[0]).limit(1))
        focal.role = Role.FOCAL_POINT
        focal.active = True
    db.session.execute(
        update(User)
        .where(User.id == focal.id)
        .values(password_hash=context.password_hash, preferred_language="en")
    )
    searched = db.session.scalar(select(User.name).where(User.id == rows[len(rows) // 2].id))
    return [
        Target(
            "event page",
            f"/roundtables/{roundtable.id}",
            user=focal.email,
            expect_text="Your delegation",
        ),
        Target(
            "check-in search",
            f"/roundtables/{roundtable.id}/check-in?q={searched.split()[0].lower()}",
            user=context.organizer_email,
            expect_text=searched,
        ),
    ]
