"""The follow-up pages: the event page and the minutes page of a held roundtable with published
minutes and 20 action items, the organizers' board over 260 items, and a member's commitments."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from scenarios import BenchError, Context, Target

MEMBER_EMAIL = "bench.member@roundtable.example"
TITLE = "Benchmark roundtable with minutes"
PARAGRAPH = (
    "Participants discussed how migrants reach localized assistance, AVRR and health services, "
    "the documents they need and the waiting times; they asked for referral focal points and "
    "translated leaflets, and agreed to meet again to review progress.\n\n"
)
STATUSES = ("open", "in_progress", "done", "dropped")
AREAS = ("localized_assistance", "avrr", "health", "protection", None)


def build(context: Context) -> list[Target]:
    from coordination.auth.models import Role, User
    from coordination.extensions import db
    from coordination.roundtables.models import ActionItem, Minutes, Roundtable

    organizations = context.active_organization_ids
    if len(organizations) < 40:
        raise BenchError("the follow-up pages need at least 40 active organizations")
    start = datetime(2026, 9, 24, 7, tzinfo=UTC)
    roundtables = []
    for number in range(5):
        moment = start + timedelta(days=60 * number)
        roundtable = Roundtable(
            title=TITLE if number == 0 else f"Benchmark roundtable {number}",
            starts_at=moment,
            ends_at=moment + timedelta(hours=3),
            venue="IOM Egypt, Cairo",
            status="completed",
            sdgs=[3, 8, 10, 16],
        )
        db.session.add(roundtable)
        roundtables.append(roundtable)
    db.session.flush()
    db.session.add(
        Minutes(
            roundtable=roundtables[0],
            body="## Discussion\n\n" + PARAGRAPH * 12,
            status="published",
            chatham_house=True,
            published_at=start + timedelta(days=14),
        )
    )
    member = User(
        email=MEMBER_EMAIL,
        name="Benchmark Member",
        role=Role.MEMBER,
        preferred_language="en",
        organization_id=organizations[1],
        password_hash=context.password_hash,
    )
    db.session.add(member)
    rng = context.rng
    rows = []
    for index, roundtable in enumerate(roundtables):
        # The first roundtable agreed 20 actions (the seed document's had a handful), the others 60.
        for n in range(20 if index == 0 else 60):
            rows.append(
                {
                    "roundtable_id": roundtable.id,
                    "description": f"Agreed action {index}-{n}: referral pathway and leaflet for case {n}",
                    # The member's organization owns a few items of every roundtable.
                    "owner_organization_id": organizations[1] if n % 15 == 0 else rng.choice(organizations),
                    "due_on": date(2026, 10, 1) + timedelta(days=rng.randint(0, 240)),
                    "status": STATUSES[n % 4],
                    "sdg": rng.choice((3, 8, 10, 16)),
                    "service_area": AREAS[n % 5],
                }
            )
    db.session.execute(insert(ActionItem), rows)
    db.session.flush()
    first = roundtables[0]
    return [
        Target(
            "follow-up: event page with minutes",
            f"/roundtables/{first.id}",
            user=MEMBER_EMAIL,
            expect_text="Agreed action 0-1:",
        ),
        Target(
            "follow-up: minutes page",
            f"/roundtables/{first.id}/minutes",
            user=MEMBER_EMAIL,
            expect_text="Chatham House",
        ),
        Target(
            "follow-up: action items board",
            "/action-items",
            user=context.organizer_email,
            expect_text="260 action items",
        ),
        Target("follow-up: my commitments", "/commitments", user=MEMBER_EMAIL, expect_text="My commitments"),
    ]
