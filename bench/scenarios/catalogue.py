"""The catalogue area: the service catalogue, one service, and the eligibility guide.

40 services in three languages (a fifth lack their Arabic texts, so that the "not yet translated"
mark is drawn too), 12 criteria, each service asking 3 to 6 of them, 3 revisions per service.
The pages are loaded as a member of an embassy, who signs in with the benchmark password.

The guide is measured at its first question (a GET) and at its result page, the referral sheet:
a POST only (the answers stay out of addresses and logs), sent with an answer to every criterion
and the CSRF token of the guide's form.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from scenarios import BenchError, Context, Target

SERVICES = 40
CRITERIA = 12
ANSWERS = ("yes", "no", "unknown")


def _texts(rng, number: int, with_arabic: bool) -> dict:
    def three(en, fr, ar):
        return {"en": en, "fr": fr, **({"ar": ar} if with_arabic else {})}

    return {
        "name": three(
            f"Assistance service {number}", f"Service d'assistance {number}", f"خدمة المساعدة {number}"
        ),
        "summary": three(
            "Direct help for **vulnerable migrants** stranded in Egypt: case management and referrals.",
            "Aide directe aux **migrants vulnérables** bloqués en Égypte : suivi et orientation.",
            "مساعدة مباشرة **للمهاجرين المستضعفين** العالقين في مصر: إدارة الحالات والإحالات.",
        ),
        "unit": three(
            "Migrant Protection and Assistance Unit", "Unité de protection", "وحدة حماية المهاجرين"
        ),
        "access_steps": three(
            "1. Refer the person.\n2. IOM screens the case.\n3. A plan is agreed.",
            "1. Orientez la personne.\n2. L'OIM examine le cas.\n3. Un plan est convenu.",
            "1. أحِل الشخص.\n2. تدرس المنظمة الحالة.\n3. يُتفق على خطة.",
        ),
        "hours": three("Sunday to Thursday, 9:00–15:00", "Du dimanche au jeudi", "من الأحد إلى الخميس"),
        "contact": three(
            "IOM Egypt, +20 2 2736 5140", "OIM Égypte, +20 2 2736 5140", "المنظمة، ‎+20 2 2736 5140"
        ),
    }


def build(context: Context) -> list[Target]:
    from coordination.auth.models import Role, User
    from coordination.catalogue.models import Criterion, Service, ServiceCriterion, ServiceRevision
    from coordination.extensions import db
    from coordination.taxonomy import SERVICE_AREAS

    rng = context.rng
    now = datetime.now(UTC)
    organizer_id = db.session.scalar(select(User.id).where(User.email == context.organizer_email))
    db.session.execute(
        insert(Criterion),
        [
            {
                "key": f"criterion-{number}",
                "texts": {
                    "question": {
                        "en": f"Is the person in situation number {number}?",
                        "fr": f"La personne est-elle dans la situation {number} ?",
                        "ar": f"هل الشخص في الوضع رقم {number}؟",
                    }
                },
                "position": number,
                "created_at": now,
                "updated_at": now,
            }
            for number in range(CRITERIA)
        ],
    )
    criteria = db.session.scalars(select(Criterion.id).order_by(Criterion.id)).all()
    areas = list(SERVICE_AREAS)
    db.session.execute(
        insert(Service),
        [
            {
                "key": f"service-{number}",
                "service_area": rng.choice(areas),
                "texts": _texts(rng, number, with_arabic=number % 5 != 0),
                "position": number,
                "revision_count": 3,
                "reviewed_at": now - timedelta(days=rng.randint(0, 90)),
                "reviewed_by_id": organizer_id,
                "created_at": now,
                "updated_at": now,
            }
            for number in range(SERVICES)
        ],
    )
    services = db.session.execute(select(Service.id, Service.texts).order_by(Service.id)).all()
    links, revisions = [], []
    outcomes = ["qualifies", "disqualifies", "ask"]
    for service in services:
        for position, criterion_id in enumerate(rng.sample(criteria, rng.randint(3, 6))):
            links.append(
                {
                    "service_id": service.id,
                    "criterion_id": criterion_id,
                    "on_yes": "qualifies",
                    "on_no": rng.choice(outcomes),
                    "on_unknown": "ask",
                    "position": position,
                }
            )
        for number in (1, 2, 3):
            revisions.append(
                {
                    "service_id": service.id,
                    "number": number,
                    "snapshot": {"texts": service.texts, "criteria": []},
                    "author_id": organizer_id,
                    "created_at": now - timedelta(days=10 * (3 - number)),
                }
            )
    db.session.execute(insert(ServiceCriterion), links)
    db.session.execute(insert(ServiceRevision), revisions)

    reader = db.session.scalar(
        select(User)
        .where(User.active.is_(True), User.role == Role.MEMBER, User.organization_id.is_not(None))
        .order_by(User.id)
    )
    if reader is None:
        raise BenchError("no active member to read the catalogue")
    reader.password_hash = context.password_hash
    reader.preferred_language = "en"
    middle = services[len(services) // 2].id
    return [
        Target("catalogue: list", "/services", user=reader.email, expect_text="Service catalogue"),
        Target(
            "catalogue: service page",
            f"/services/{middle}",
            user=reader.email,
            expect_text="Eligibility criteria",
        ),
        Target("catalogue: eligibility guide", "/guide", user=reader.email, expect_text="Question 1 of"),
        Target(
            "catalogue: guide result (referral sheet)",
            "/guide",
            user=reader.email,
            expect_text="Services that may apply",
            method="POST",
            form={
                "step": str(len(criteria)),
                "action": "result",
                **{f"answer-{criterion_id}": rng.choice(ANSWERS) for criterion_id in criteria},
            },
            csrf_from="/guide",
        ),
    ]
