"""The feedback area's page: the results of an anonymous form with 20 questions and 10,000 responses.

Target (issue 4): p50 latency at most 30 times the reference page's p50 in the same run.
"""

import uuid

from sqlalchemy import insert, select

from scenarios import Context, Target

RESPONSES = 10_000
KINDS = ("embassy", "embassy", "embassy", "un_agency", "ngo", "community", "government")


def build(context: Context) -> list[Target]:
    from coordination.auth.models import User
    from coordination.extensions import db
    from coordination.feedback import rules
    from coordination.feedback.models import FeedbackAnswer, FeedbackResponse
    from coordination.timeutil import utcnow

    organizer = db.session.scalar(select(User).where(User.email == context.organizer_email))
    form = rules.create_form(organizer, title="Benchmark: feedback with 20 questions", anonymous=True)
    plan = (
        [("rating", None)] * 5
        + [("single", ["Very clear", "Clear", "Unclear", "Very unclear"])] * 4
        + [("multiple", ["Health", "AVRR", "Protection", "Labour mobility", "Documents"])] * 3
        + [("yes_no", None)] * 3
        + [("service_area", None)] * 2
        + [("short_text", None), ("long_text", None), ("long_text", None)]
    )
    questions = [
        rules.add_question(organizer, form, kind=kind, label=f"Question {number}", options=options)
        for number, (kind, options) in enumerate(plan, start=1)
    ]
    rules.publish_form(organizer, form)
    db.session.commit()

    rng, day = context.rng, utcnow().date()
    ids = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(RESPONSES)]
    db.session.execute(
        insert(FeedbackResponse),
        [
            {"id": rid, "form_id": form.id, "organization_kind": rng.choice(KINDS), "submitted_on": day}
            for rid in ids
        ],
    )
    areas = ["health", "avrr", "protection", "localized_assistance"]
    rows = []
    for rid in ids:
        for question in questions:
            if question.kind == "rating":
                value = rng.randint(1, 5)
                rows.append(
                    {"response_id": rid, "question_id": question.id, "code": str(value), "number": value}
                )
            elif question.kind == "single":
                rows.append(
                    {
                        "response_id": rid,
                        "question_id": question.id,
                        "code": rng.choice(question.options).code,
                    }
                )
            elif question.kind == "multiple":
                for option in rng.sample(question.options, rng.randint(0, 3)):
                    rows.append({"response_id": rid, "question_id": question.id, "code": option.code})
            elif question.kind == "yes_no":
                rows.append(
                    {"response_id": rid, "question_id": question.id, "code": rng.choice(["yes", "no"])}
                )
            elif question.kind == "service_area":
                rows.append({"response_id": rid, "question_id": question.id, "code": rng.choice(areas)})
            elif rng.random() < 0.3:
                rows.append(
                    {
                        "response_id": rid,
                        "question_id": question.id,
                        "text": "A comment " * rng.randint(1, 30),
                    }
                )
        if len(rows) > 50_000:
            db.session.execute(insert(FeedbackAnswer), _complete(rows))
            rows = []
    if rows:
        db.session.execute(insert(FeedbackAnswer), _complete(rows))
    db.session.commit()
    return [
        Target(
            "feedback results",
            f"/feedback/{form.id}/results",
            user=context.organizer_email,
            expect_text="10000 responses",
            max_p50_ratio=30,
        )
    ]


def _complete(rows: list[dict]) -> list[dict]:
    """Every row with every column, so that the rows go out in one executemany."""
    return [{"code": None, "number": None, "text": None} | row for row in rows]
