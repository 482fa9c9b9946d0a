"""The suggestions area: the list of 2,000 suggestions (with supports and comments) and one suggestion.

2,000 suggestions from the directory's active organizations, spread over service areas, SDGs and
statuses; each is supported by 0–12 other organizations and has 0–6 comments. The pages are loaded
as a member of an embassy, who signs in with the benchmark password.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from scenarios import BenchError, Context, Target

SUGGESTIONS = 2000


def build(context: Context) -> list[Target]:
    from coordination.auth.models import Role, User
    from coordination.extensions import db
    from coordination.fragments import bump_token
    from coordination.suggestions.freshness import AREA
    from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionSupport
    from coordination.taxonomy import SERVICE_AREAS

    rng = context.rng
    active = context.active_organization_ids
    people_by_organization: dict[int, list[int]] = {}
    for person_id, organization_id in db.session.execute(
        select(User.id, User.organization_id).where(User.active.is_(True), User.role != Role.ORGANIZER)
    ):
        people_by_organization.setdefault(organization_id, []).append(person_id)
    proposing = [oid for oid in active if people_by_organization.get(oid)]
    if len(proposing) < 20:
        raise BenchError("too few active organizations with people to propose suggestions")

    now = datetime.now(UTC)
    areas = list(SERVICE_AREAS)
    topics = [
        "Legal counselling", "Health screening", "Vocational training", "Interpretation",
        "Shelter referrals", "Information sessions", "Reintegration grants", "Child protection",
    ]  # fmt: skip
    places = ["Giza", "Nasr City", "Alexandria", "6th of October City", "Maadi", "Ain Shams"]
    suggestions = []
    for number in range(1, SUGGESTIONS + 1):
        organization_id = rng.choice(proposing)
        status = rng.choices(["new", "under_review", "planned", "declined"], weights=[50, 25, 15, 10])[0]
        suggestions.append(
            {
                "title": f"{rng.choice(topics)} in {rng.choice(places)} ({number})",
                "description": "Migrants arriving in Cairo need **better access** to this service.\n\n"
                "- who: newly arrived families\n- where: community centres",
                "service_area": rng.choice(areas),
                "sdg": rng.choice([None, 3, 5, 8, 10, 16, 17]),
                "organization_id": organization_id,
                "proposer_id": rng.choice(people_by_organization[organization_id]),
                "status": status,
                "reply": "IOM will run weekly sessions from March."
                if status in ("planned", "declined")
                else None,
                "replied_at": now if status in ("planned", "declined") else None,
                "created_at": now - timedelta(minutes=number * 37),
                "updated_at": now,
            }
        )
    db.session.execute(insert(Suggestion), suggestions)
    rows = db.session.execute(select(Suggestion.id, Suggestion.organization_id)).all()
    supports, comments = [], []
    for row in rows:
        for organization_id in rng.sample(proposing, rng.randint(0, 12)):
            if organization_id != row.organization_id:
                supports.append(
                    {
                        "suggestion_id": row.id,
                        "organization_id": organization_id,
                        "user_id": rng.choice(people_by_organization[organization_id]),
                        "created_at": now,
                    }
                )
        for _ in range(rng.randint(0, 6)):
            author = rng.choice(people_by_organization[rng.choice(proposing)])
            comments.append(
                {
                    "suggestion_id": row.id,
                    "author_id": author,
                    "body": "We see the same need.",
                    "created_at": now,
                }
            )
    db.session.execute(insert(SuggestionSupport), supports)
    db.session.execute(insert(SuggestionComment), comments)
    # Bulk inserts bypass the flush hook that renews the area's token.
    bump_token(db.session.connection(), AREA)

    reader = db.session.scalar(
        select(User)
        .where(User.organization_id == proposing[0], User.active.is_(True), User.role == Role.MEMBER)
        .order_by(User.id)
    ) or db.session.get(User, people_by_organization[proposing[0]][0])
    reader.password_hash = context.password_hash
    reader.preferred_language = "en"  # so that the check finds the English heading
    busiest = rows[len(rows) // 2].id
    return [
        Target("suggestions list", "/suggestions", user=reader.email, expect_text="Suggestions"),
        Target(
            "suggestions list, most supported, filtered",
            "/suggestions?status=new&service_area=health&sort=supported&page=2",
            user=reader.email,
        ),
        Target("suggestion page", f"/suggestions/{busiest}", user=reader.email),
    ]
