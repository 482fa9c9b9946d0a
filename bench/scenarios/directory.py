"""The foundation's pages: the directory list, an organization's page and the login page."""

from sqlalchemy import func, select

from scenarios import BenchError, Context, Target

PEOPLE_ON_THE_ORGANIZATION_PAGE = 10


def build(context: Context) -> list[Target]:
    from coordination.auth.models import User
    from coordination.directory.models import Organization
    from coordination.extensions import db

    sizes = dict(
        db.session.execute(
            select(User.organization_id, func.count(User.id)).group_by(User.organization_id)
        ).all()
    )
    active = set(context.active_organization_ids)
    candidates = [
        oid
        for oid in context.organization_ids
        if oid in active and sizes.get(oid) == PEOPLE_ON_THE_ORGANIZATION_PAGE
    ]
    if not candidates:
        raise BenchError("no active organization with exactly 10 people: try another --seed")
    chosen = db.session.get(Organization, candidates[0])
    return [
        Target("directory list", "/organizations", user=context.organizer_email),
        Target(
            "organization page",
            f"/organizations/{chosen.id}",
            user=context.organizer_email,
            expect_text=chosen.name,
            max_cold_ratio=10,
        ),
        Target("login page", "/login"),
    ]
