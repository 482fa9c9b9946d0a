"""The feedback area's pages: the results of an anonymous form with 20 questions and 10,000
responses, and of a named form with the same questions and 4,000 respondents from the directory.

Targets: CPU per request with every cache off at most 10 times the reference's (bench/cold.py).
"""

import uuid

from sqlalchemy import insert, select

from scenarios import Context, Target

RESPONSES = 10_000
NAMED_RESPONSES = 4_000
KINDS = ("embassy", "embassy", "embassy", "un_agency", "ngo", "community", "government")
PLAN = (
    [("rating", None)] * 5
    + [("single", ["Very clear", "Clear", "Unclear", "Very unclear"])] * 4
    + [("multiple", ["Health", "AVRR", "Protection", "Labour mobility", "Documents"])] * 3
    + [("yes_no", None)] * 3
    + [("service_area", None)] * 2
    + [("short_text", None), ("long_text", None), ("long_text", None)]
)
AREAS = ["health", "avrr", "protection", "localized_assistance"]


def build(context: Context) -> list[Target]:
    from coordination.auth.models import Role, User
    from coordination.directory.models import Organization
    from coordination.extensions import db
    from coordination.feedback import tallies
    from coordination.feedback.models import FeedbackRespondent, FeedbackResponse
    from coordination.timeutil import utcnow

    organizer = db.session.scalar(select(User).where(User.email == context.organizer_email))
    rng, day = context.rng, utcnow().date()

    anonymous, questions = _form(organizer, "Benchmark: feedback with 20 questions", anonymous=True)
    ids = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(RESPONSES)]
    db.session.execute(
        insert(FeedbackResponse),
        [{"id": rid, "form_id": anonymous.id, "organization_kind": rng.choice(KINDS)} for rid in ids],
    )
    _answers(rng, ids, questions)
    tallies.recount(anonymous.id)  # the rows above went around the rules, which keep the tallies
    db.session.commit()

    named, questions = _form(organizer, "Benchmark: named feedback with 20 questions", anonymous=False)
    people = db.session.execute(
        select(User.id, User.organization_id, Organization.kind)
        .join(Organization, Organization.id == User.organization_id)
        .where(User.active.is_(True), User.role != Role.ORGANIZER, Organization.active.is_(True))
        .order_by(User.id)
    ).all()
    respondents = rng.sample(people, NAMED_RESPONSES)
    ids = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in respondents]
    db.session.execute(
        insert(FeedbackResponse),
        [
            {"id": rid, "form_id": named.id, "organization_kind": person.kind, "submitted_on": day}
            for rid, person in zip(ids, respondents, strict=True)
        ],
    )
    db.session.execute(
        insert(FeedbackRespondent),
        [
            {
                "form_id": named.id,
                "user_id": person.id,
                "organization_id": person.organization_id,
                "organization_key": None,
                "response_id": rid,
                "responded_on": day,
            }
            for rid, person in zip(ids, respondents, strict=True)
        ],
    )
    _answers(rng, ids, questions)
    tallies.recount(named.id)
    db.session.commit()
    return [
        Target(
            "feedback results",
            f"/feedback/{anonymous.id}/results",
            user=context.organizer_email,
            expect_text="10000 responses",
            max_cold_ratio=10,
        ),
        Target(
            "feedback results of a named form",
            f"/feedback/{named.id}/results",
            user=context.organizer_email,
            expect_text=f"{NAMED_RESPONSES} responses",
            max_cold_ratio=10,
        ),
    ]


def _form(organizer, title: str, anonymous: bool):
    from coordination.extensions import db
    from coordination.feedback import rules

    form = rules.create_form(organizer, title=title, anonymous=anonymous)
    questions = [
        rules.add_question(organizer, form, kind=kind, label=f"Question {number}", options=options)
        for number, (kind, options) in enumerate(PLAN, start=1)
    ]
    rules.publish_form(organizer, form)
    db.session.commit()
    return form, questions


def _answers(rng, response_ids: list[str], questions) -> None:
    """Answers to every question of each response (a text answer three times in ten), in bulk."""
    from coordination.extensions import db
    from coordination.feedback.models import FeedbackAnswer

    rows = []
    for rid in response_ids:
        for question in questions:
            row = {"response_id": rid, "question_id": question.id}
            if question.kind == "rating":
                value = rng.randint(1, 5)
                rows.append(row | {"code": str(value), "number": value})
            elif question.kind == "single":
                rows.append(row | {"code": rng.choice(question.options).code})
            elif question.kind == "multiple":
                rows += [
                    row | {"code": option.code} for option in rng.sample(question.options, rng.randint(0, 3))
                ]
            elif question.kind == "yes_no":
                rows.append(row | {"code": rng.choice(["yes", "no"])})
            elif question.kind == "service_area":
                rows.append(row | {"code": rng.choice(AREAS)})
            elif rng.random() < 0.3:
                rows.append(row | {"text": "A comment " * rng.randint(1, 30)})
        if len(rows) > 50_000:
            db.session.execute(insert(FeedbackAnswer), _complete(rows))
            rows = []
    if rows:
        db.session.execute(insert(FeedbackAnswer), _complete(rows))


def _complete(rows: list[dict]) -> list[dict]:
    """Every row with every column, so that the rows go out in one executemany."""
    return [{"code": None, "number": None, "text": None} | row for row in rows]
