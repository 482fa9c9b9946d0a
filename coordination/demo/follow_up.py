"""Demo follow-up of the first roundtable: its published minutes, the areas of cooperation agreed
there with their progress, and those still pending listed as "matters arising" of the second."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.roundtables.follow_up.actions import carry_matters_arising
from coordination.roundtables.models import (
    ActionItem,
    ActionItemNote,
    AgendaItem,
    MatterArising,
    Minutes,
    MinutesRevision,
    Roundtable,
)

DEMO_FOCAL_POINT = "focal.point@sd.embassy.example"  # coordination.demo.FOCAL_POINT_EMAIL
FIRST = "Roundtable with embassy representatives on IOM Egypt's services"
SECOND = "Second roundtable: following up the areas of cooperation"

DRAFT = """## Opening
IOM Egypt welcomed the representatives of 38 embassies and recalled the purpose of the meeting:
to present its migrant protection and assistance services and to hear the missions' views.

## Presentation of the services
- **Localized assistance**: case management, cash-based support and referrals for vulnerable migrants.
- **Assisted voluntary return and reintegration (AVRR)**: eligibility, travel documents,
  reintegration support.
- **Health**: primary care referrals, mental health and psychosocial support.
"""

FINAL = (
    DRAFT
    + """
## Discussion
Participants asked how migrants without valid documents can reach the services, and how consular
staff can refer cases. Several missions asked for information material in Arabic, French and
Tigrinya. One participant stressed the waiting times for travel documents in AVRR cases.

## Areas of cooperation agreed
1. A referral focal point in each mission, with a shared referral form.
2. Information sessions on AVRR for consular staff.
3. Translated leaflets on eligibility criteria.
4. Regular communication through a platform for information and expertise sharing.

## Next steps
IOM Egypt will replicate the roundtable, also with migrant communities, and report on the areas of
cooperation at the next meeting. The work contributes to SDGs 3, 8, 10 and 16.
"""
)

# (description, owner organization, owner is its focal point, due date, status, SDG, service area, notes)
ACTIONS = [
    (
        "Name a referral focal point in the mission and share the referral form with IOM",
        "Embassy of Sudan", True, date(2026, 11, 15), "in_progress", 16, "protection",
        ["Focal point named; the referral form is with the consular section for review."],
    ),
    (
        "Hold an information session on AVRR eligibility for consular staff",
        "IOM Egypt", False, date(2026, 12, 3), "open", 10, "avrr", [],
    ),
    (
        "Translate the eligibility leaflet into Arabic, French and Tigrinya",
        "IOM Egypt", False, date(2026, 10, 30), "done", 3, "health",
        ["Arabic and French versions printed.", "Tigrinya version checked by the Eritrean community."],
    ),
    (
        "Share the mission's list of honorary consuls in upper Egypt for referrals",
        "Embassy of Ethiopia", True, date(2027, 1, 20), "open", 16, "localized_assistance", [],
    ),
    (
        "Map labour-migration pathways and share them with the missions",
        "Embassy of the Philippines", True, date(2027, 2, 1), "open", 8, "labour_mobility", [],
    ),
    (
        "Set up the information and expertise-sharing platform for members",
        "IOM Egypt", False, date(2026, 10, 1), "done", 17, None,
        ["The Roundtable platform is open to the missions."],
    ),
]  # fmt: skip


def seed_demo() -> None:
    """Add the follow-up of the demo roundtables; running it again adds nothing."""
    first = db.session.scalar(select(Roundtable).where(Roundtable.title == FIRST))
    organizer = db.session.scalar(select(User).where(User.role == Role.ORGANIZER).order_by(User.id))
    if first is None or organizer is None:
        return
    if db.session.scalar(select(Minutes.id).where(Minutes.roundtable_id == first.id)) is None:
        _minutes(first, organizer)
    if db.session.scalar(select(ActionItem.id).where(ActionItem.roundtable_id == first.id)) is None:
        _actions(first, organizer)
    second = db.session.scalar(select(Roundtable).where(Roundtable.title == SECOND))
    if second is not None:
        _matters_arising(first, second)
    db.session.flush()


def _minutes(roundtable: Roundtable, organizer: User) -> None:
    minutes = Minutes(
        roundtable=roundtable,
        body=FINAL.strip(),
        status="published",
        chatham_house=True,
        comment_deadline=datetime(2026, 10, 8, 15, tzinfo=UTC),
        circulated_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
        adopted_at=datetime(2026, 10, 12, 9, tzinfo=UTC),
        published_at=datetime(2026, 10, 12, 10, tzinfo=UTC),
    )
    db.session.add(minutes)
    db.session.flush()
    for number, (body, moment) in enumerate(
        ((DRAFT, datetime(2026, 9, 25, 14, tzinfo=UTC)), (FINAL, datetime(2026, 9, 30, 11, tzinfo=UTC))),
        start=1,
    ):
        db.session.add(
            MinutesRevision(
                minutes_id=minutes.id,
                number=number,
                body=body.strip(),
                chatham_house=True,
                author_id=organizer.id,
                created_at=moment,
            )
        )


def _actions(roundtable: Roundtable, organizer: User) -> None:
    for description, owner_name, by_focal_point, due_on, status, sdg, area, notes in ACTIONS:
        organization = db.session.scalar(select(Organization).where(Organization.name == owner_name))
        if organization is None:
            continue
        owner = None
        if by_focal_point:
            owner = db.session.scalar(
                select(User)
                .where(User.organization_id == organization.id, User.role == Role.FOCAL_POINT)
                # The demo focal point's account, where there is one, so that it has commitments.
                .order_by((User.email == DEMO_FOCAL_POINT).desc(), User.id)
            )
        item = ActionItem(
            roundtable=roundtable,
            description=description,
            owner_organization=organization,
            owner=owner,
            due_on=due_on,
            status=status,
            sdg=sdg,
            service_area=area,
            created_by_id=organizer.id,
        )
        for text in notes:
            item.notes.append(ActionItemNote(text=text, author=owner or organizer))
        db.session.add(item)


def _matters_arising(first: Roundtable, second: Roundtable) -> None:
    already = db.session.scalar(
        select(MatterArising.agenda_item_id)
        .join(AgendaItem, AgendaItem.id == MatterArising.agenda_item_id)
        .where(AgendaItem.roundtable_id == second.id)
        .limit(1)
    )
    if already is not None:
        return
    db.session.flush()
    carry_matters_arising(second)
