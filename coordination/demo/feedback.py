"""Demo data of the feedback area: the embassies' feedback on the first roundtable (named, one
response per organization) and an anonymous survey of partners, each with realistic answers."""

import random

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from coordination.auth.models import Role, User
from coordination.directory.models import Organization, OrganizationKind
from coordination.extensions import db
from coordination.feedback import answers, rules
from coordination.feedback.models import FeedbackForm
from coordination.roundtables.models import Roundtable, RoundtableStatus

EMBASSY_FORM = "Your feedback on the first roundtable"
PARTNER_FORM = "Partners' survey: working together on migrant protection"
COMMENTS = [
    "More time for questions after each presentation.",
    "Please share the eligibility criteria in Arabic and French before the meeting.",
    "A contact list of IOM focal persons per service would help our consular staff.",
    "The AVRR part was very useful; we would like a session on reintegration support.",
    "Referral forms should be available online.",
    "We need clearer information on health services for migrants without documents.",
]


def seed_demo() -> int:
    """Add the demo forms and their responses if they are missing; returns the responses added."""
    organizer = db.session.scalar(select(User).where(User.role == Role.ORGANIZER).order_by(User.id))
    roundtable = db.session.scalar(
        select(Roundtable)
        .where(Roundtable.status == RoundtableStatus.COMPLETED)
        .order_by(Roundtable.starts_at)
    )
    if organizer is None:
        return 0
    rng = random.Random(4)
    added = 0
    if db.session.scalar(select(FeedbackForm.id).where(FeedbackForm.title == EMBASSY_FORM)) is None:
        added += _embassy_form(organizer, roundtable, rng)
    if db.session.scalar(select(FeedbackForm.id).where(FeedbackForm.title == PARTNER_FORM)) is None:
        added += _partner_form(organizer, rng)
    db.session.flush()
    return added


def _embassy_form(organizer, roundtable, rng) -> int:
    form = rules.create_form(
        organizer,
        title=EMBASSY_FORM,
        roundtable_id=roundtable.id if roundtable else None,
        introduction="Thank you for taking part. Your answers shape the next roundtable.",
        privacy_notice=(
            "IOM Egypt asks for this feedback to improve its services and the roundtables. Answers are "
            "read by IOM's organizers only, with the name of your organization, and kept for two years."
        ),
        audience="everyone",
        one_per="organization",
        translations={
            "fr": {
                "title": "Votre avis sur la première table ronde",
                "introduction": "Merci de votre participation. Vos réponses préparent la prochaine réunion.",
            },
            "ar": {
                "title": "رأيكم في المائدة المستديرة الأولى",
                "introduction": "شكرًا لمشاركتكم. تساعدنا إجاباتكم في إعداد المائدة المستديرة القادمة.",
            },
        },
    )
    useful = rules.add_question(
        organizer, form, kind="rating", label="How useful was the presentation of IOM's services?",
        required=True, low_label="Not useful", high_label="Very useful",
        translations={
            "fr": {"label": "La présentation des services de l'OIM vous a-t-elle été utile ?",
                   "low_label": "Pas utile", "high_label": "Très utile"},
            "ar": {"label": "ما مدى فائدة عرض خدمات المنظمة الدولية للهجرة؟",
                   "low_label": "غير مفيد", "high_label": "مفيد جدًا"},
        },
    )  # fmt: skip
    service = rules.add_question(
        organizer, form, kind="single", label="Which service matters most to your nationals in Egypt?",
        options=["Localized assistance", "Assisted voluntary return and reintegration", "Health services"],
    )  # fmt: skip
    topics = rules.add_question(
        organizer, form, kind="multiple", label="Which topics should the next roundtable cover?",
        options=["Eligibility criteria", "Referral pathways", "Documents needed", "Reintegration support",
                 "Mental health and psychosocial support"],
    )  # fmt: skip
    group = rules.add_question(
        organizer, form, kind="yes_no", label="Would your embassy join a working group on referrals?"
    )
    contact = rules.add_question(
        organizer, form, kind="short_text", label="Whom should we contact for the working group?",
        condition=f"{group.id}:yes",
    )  # fmt: skip
    comment = rules.add_question(organizer, form, kind="long_text", label="What should IOM change?")
    rules.publish_form(organizer, form)
    people = db.session.scalars(
        select(User)
        .join(Organization, Organization.id == User.organization_id)
        .where(
            Organization.kind == OrganizationKind.EMBASSY,
            Organization.country != "SD",  # the demo focal point's embassy still has to answer
            User.role == Role.FOCAL_POINT,
        )
        .order_by(User.id)
    ).all()
    added = 0
    for person in people[:22]:
        data = MultiDict()
        data.add(f"q{useful.id}", rng.choice("34455"))
        data.add(f"q{service.id}", rng.choice([o.code for o in service.options]))
        for option in rng.sample(topics.options, rng.randint(1, 3)):
            data.add(f"q{topics.id}", option.code)
        joins = rng.random() < 0.6
        data.add(f"q{group.id}", "yes" if joins else "no")
        if joins:
            data.add(f"q{contact.id}", person.name)
        if rng.random() < 0.5:
            data.add(f"q{comment.id}", rng.choice(COMMENTS))
        answers.submit_response(person, form, answers.raw_answers(form, data))
        added += 1
    return added


def _partner_form(organizer, rng) -> int:
    form = rules.create_form(
        organizer,
        title=PARTNER_FORM,
        introduction="A short anonymous survey of UN agencies, NGOs and community organizations.",
        privacy_notice="Anonymous: nobody, IOM included, can tell who gave which answers.",
        audience="everyone",
        anonymous=True,
    )
    rating = rules.add_question(
        organizer, form, kind="rating", label="How well do referrals to IOM work today?", required=True,
        low_label="Badly", high_label="Very well",
    )  # fmt: skip
    area = rules.add_question(organizer, form, kind="service_area", label="Where should we cooperate first?")
    rules.add_question(organizer, form, kind="long_text", label="Anything else?")
    rules.publish_form(organizer, form)
    people = db.session.scalars(
        select(User)
        .join(Organization, Organization.id == User.organization_id)
        .where(
            Organization.kind.in_(
                [OrganizationKind.UN_AGENCY, OrganizationKind.NGO, OrganizationKind.COMMUNITY]
            )
        )
        .order_by(User.id)
    ).all()
    for person in people:
        data = MultiDict(
            [
                (f"q{rating.id}", rng.choice("23345")),
                (f"q{area.id}", rng.choice(["health", "avrr", "protection", "localized_assistance"])),
            ]
        )
        answers.submit_response(person, form, answers.raw_answers(form, data))
    return len(people)
