"""Pages loaded by many viewers in turn, on the other scenarios' data: the home page, the library
home and the event page by 50 people of 50 organizations (focal points and members, half of them
from the embassies invited to the event), the dashboard by 50 organizers. A page kept per viewer
would rarely be reused, as with real traffic, so these show what the queries cost."""

from sqlalchemy import insert, select, update

from scenarios import BenchError, Context, Target
from scenarios.roundtables import TITLE

VIEWERS = 50


def build(context: Context) -> list[Target]:
    from coordination.auth.models import Role, User
    from coordination.directory.models import Organization
    from coordination.extensions import db
    from coordination.roundtables.models import Invitation, Roundtable

    event = db.session.scalar(select(Roundtable).where(Roundtable.title == TITLE))
    if event is None:
        raise BenchError(f"no roundtable {TITLE!r}: the roundtables scenario must run first")
    invited = db.session.scalars(
        select(Invitation.organization_id)
        .where(Invitation.roundtable_id == event.id)
        .order_by(Invitation.organization_id)
    ).all()
    others = sorted(set(context.active_organization_ids) - set(invited))
    organizations = invited[: VIEWERS // 2] + context.rng.sample(
        others, VIEWERS - len(invited[: VIEWERS // 2])
    )

    people: dict[int, list] = {}
    for person in db.session.execute(
        select(User.id, User.email, User.role, User.organization_id)
        .where(User.organization_id.in_(organizations), User.active.is_(True))
        .order_by(User.id)
    ):
        people.setdefault(person.organization_id, []).append(person)
    viewers = []
    for number, organization_id in enumerate(organizations):
        # Focal points and members in turn, where the organization has both.
        wanted = Role.FOCAL_POINT if number % 2 == 0 else Role.MEMBER
        candidates = people.get(organization_id, [])
        chosen = next((p for p in candidates if p.role == wanted), candidates[0] if candidates else None)
        if chosen is not None:
            viewers.append(chosen)
    if len(viewers) < VIEWERS * 0.9:
        raise BenchError(f"only {len(viewers)} organizations of {VIEWERS} have an active person")
    db.session.execute(
        update(User)
        .where(User.id.in_([viewer.id for viewer in viewers]))
        .values(password_hash=context.password_hash, preferred_language="en")
    )

    missions = (
        db.session.scalars(
            select(Organization.id).where(Organization.kind == "iom").order_by(Organization.id)
        ).all()
        or context.organization_ids[:1]
    )
    organizers = [f"bench.organizer.{number:02d}@roundtable.example" for number in range(1, VIEWERS + 1)]
    db.session.execute(
        insert(User),
        [
            {
                "email": email,
                "name": f"Benchmark Organizer {number}",
                "role": Role.ORGANIZER,
                "preferred_language": "en",
                "organization_id": missions[number % len(missions)],
                "password_hash": context.password_hash,
            }
            for number, email in enumerate(organizers, start=1)
        ],
    )

    emails = tuple(viewer.email for viewer in viewers)
    count = f"{len(emails)} viewers"
    return [
        Target(f"home page, {count}", "/", viewers=emails, expect_text="Coming roundtables"),
        Target(
            f"dashboard, {len(organizers)} organizers",
            "/dashboard",
            viewers=tuple(organizers),
            expect_text="Engagement dashboard",
            max_cold_ratio=10,
        ),
        Target(f"library home, {count}", "/library", viewers=emails, expect_text="Shared library"),
        Target(f"event page, {count}", f"/roundtables/{event.id}", viewers=emails, expect_text=TITLE),
    ]
