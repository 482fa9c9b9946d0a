"""The demo dataset: 38 embassies in Cairo, partners, fictional people, and each area's demo data.

The demo depends on the areas and no area depends on it: `flask seed-demo` and the tests load it.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordination.auth.models import Role, User
from coordination.auth.rules import normalize_email, set_password
from coordination.demo import catalogue as catalogue_demo
from coordination.demo import follow_up as follow_up_demo
from coordination.demo import library as library_demo
from coordination.demo import suggestions as suggestions_demo
from coordination.demo.feedback import seed_demo as seed_feedback_demo
from coordination.directory.models import Organization, OrganizationKind
from coordination.extensions import db
from coordination.roundtables.models import AgendaItem, Roundtable, Series

DEMO_PASSWORD = "roundtable-demo-2026"  # noqa: S105 - printed by seed-demo for the demo accounts
ORGANIZER_EMAIL = "organizer@iom-egypt.example"
FOCAL_POINT_EMAIL = "focal.point@sd.embassy.example"

# (ISO code, name in English, working language): nationalities of migrants in Egypt first.
EMBASSIES = [
    ("SD", "Sudan", "ar"), ("SS", "South Sudan", "en"), ("ER", "Eritrea", "en"),
    ("ET", "Ethiopia", "en"), ("SY", "Syria", "ar"), ("YE", "Yemen", "ar"),
    ("SO", "Somalia", "ar"), ("NG", "Nigeria", "en"), ("IQ", "Iraq", "ar"),
    ("LY", "Libya", "ar"), ("TD", "Chad", "fr"), ("NE", "Niger", "fr"),
    ("ML", "Mali", "fr"), ("PS", "Palestine", "ar"), ("JO", "Jordan", "ar"),
    ("LB", "Lebanon", "ar"), ("MA", "Morocco", "fr"), ("TN", "Tunisia", "fr"),
    ("DZ", "Algeria", "fr"), ("KE", "Kenya", "en"), ("UG", "Uganda", "en"),
    ("CD", "the Democratic Republic of the Congo", "fr"), ("CM", "Cameroon", "fr"),
    ("SN", "Senegal", "fr"), ("GH", "Ghana", "en"), ("CI", "Côte d'Ivoire", "fr"),
    ("GN", "Guinea", "fr"), ("SL", "Sierra Leone", "en"), ("BI", "Burundi", "fr"),
    ("RW", "Rwanda", "en"), ("DJ", "Djibouti", "fr"), ("MR", "Mauritania", "ar"),
    ("BD", "Bangladesh", "en"), ("PK", "Pakistan", "en"), ("PH", "the Philippines", "en"),
    ("LK", "Sri Lanka", "en"), ("IT", "Italy", "en"), ("DE", "Germany", "en"),
]  # fmt: skip

PARTNERS = [
    ("IOM Egypt", OrganizationKind.IOM, "iom-egypt.example"),
    ("UNHCR Egypt", OrganizationKind.UN_AGENCY, "unhcr-egypt.example"),
    ("UNICEF Egypt", OrganizationKind.UN_AGENCY, "unicef-egypt.example"),
    ("WHO Egypt Country Office", OrganizationKind.UN_AGENCY, "who-egypt.example"),
    ("Caritas Egypt", OrganizationKind.NGO, "caritas-egypt.example"),
    ("Egyptian Red Crescent", OrganizationKind.NGO, "erc.example"),
    ("Sudanese Community Association in Cairo", OrganizationKind.COMMUNITY, "sudanese-community.example"),
    (
        "Ministry of Emigration and Egyptian Expatriates' Affairs",
        OrganizationKind.GOVERNMENT,
        "emigration.example",
    ),
]

FIRST_NAMES = {
    "ar": ["Amal", "Khaled", "Mona", "Omar", "Salma", "Tarek", "Hoda", "Youssef", "Rania", "Samir"],
    "fr": ["Aminata", "Jean-Pierre", "Fatou", "Moussa", "Claire", "Ibrahima", "Mariam", "Olivier"],
    "en": ["Grace", "Daniel", "Ruth", "Samuel", "Helen", "Joseph", "Mercy", "Peter", "Lina", "David"],
}
LAST_NAMES = {
    "ar": ["Haddad", "Nasser", "Saleh", "Farouk", "Mansour", "Karim", "Rahman", "Aziz"],
    "fr": ["Diallo", "Traoré", "Ndiaye", "Mbeki", "Koné", "Dupont", "Camara", "Sow"],
    "en": ["Okafor", "Mensah", "Tesfaye", "Achieng", "Wanjiru", "Kamara", "Bekele", "Taylor"],
}
POSITIONS = [
    "Consul",
    "First Secretary",
    "Consular Officer",
    "Second Secretary",
    "Welfare Attaché",
    "Labour Attaché",
]
PARTNER_POSITIONS = ["Programme Officer", "Protection Officer", "Project Coordinator", "Head of Unit"]


@dataclass
class SeedReport:
    organizations_added: int = 0
    people_added: int = 0
    roundtables_added: int = 0
    suggestions_added: int = 0


def is_empty() -> bool:
    """True when the database holds no organization and no user."""
    return not db.session.scalar(select(func.count(Organization.id))) and not db.session.scalar(
        select(func.count(User.id))
    )


def seed_demo() -> SeedReport:
    """Add what is missing of the demo dataset; running it twice adds nothing the second time."""
    rng = random.Random(2026)  # the same fictional people on every machine
    report = SeedReport()
    for code, country, language in EMBASSIES:
        organization = _organization(
            report,
            name=f"Embassy of {country}",
            kind=OrganizationKind.EMBASSY,
            country=code,
            city="Cairo",
            email=f"consular@{code.lower()}.embassy.example",
            phone=f"+20 2 {rng.randint(2000, 3999)} {rng.randint(1000, 9999)}",
        )
        for index in range(rng.randint(2, 4)):
            _person(
                report,
                organization,
                rng,
                language,
                domain=f"{code.lower()}.embassy.example",
                position=POSITIONS[index % len(POSITIONS)],
                role=Role.FOCAL_POINT if index == 0 else Role.MEMBER,
            )
    for name, kind, domain in PARTNERS:
        organization = _organization(
            report, name=name, kind=kind, country="EG", city="Cairo", email=f"info@{domain}"
        )
        for index in range(rng.randint(2, 3)):
            _person(
                report, organization, rng, rng.choice(["en", "ar", "fr"]), domain=domain,
                position=PARTNER_POSITIONS[index], role=Role.MEMBER,
            )  # fmt: skip
    iom = db.session.scalar(select(Organization).where(Organization.name == "IOM Egypt"))
    sudan = db.session.scalar(select(Organization).where(Organization.country == "SD"))
    _account(
        report,
        ORGANIZER_EMAIL,
        "Layla Demo-Organizer",
        Role.ORGANIZER,
        iom,
        "Migrant Protection and Assistance Officer",
    )
    _account(report, FOCAL_POINT_EMAIL, "Hamid Demo-Focal-Point", Role.FOCAL_POINT, sudan, "Consul")
    db.session.flush()
    _roundtables(report)
    report.suggestions_added = suggestions_demo.seed_demo()
    follow_up_demo.seed_demo()
    library_demo.seed_demo()
    seed_feedback_demo()
    catalogue_demo.seed_demo()
    return report


# The first roundtable, as the source document tells it, and the one that replicates it.
ROUNDTABLES = [
    {
        "title": "Roundtable with embassy representatives on IOM Egypt's services",
        "status": "completed",
        "starts_at": datetime(2026, 9, 24, 7, tzinfo=UTC),
        "ends_at": datetime(2026, 9, 24, 10, tzinfo=UTC),
        "description": (
            "IOM presented its migrant protection and assistance services: localized assistance, "
            "assisted voluntary return and reintegration (AVRR) and health services, their eligibility "
            "criteria and how migrants can access them. Embassies gave feedback and suggested areas of "
            "intervention."
        ),
    },
    {
        "title": "Second roundtable: following up the areas of cooperation",
        "status": "published",
        "starts_at": datetime(2027, 2, 10, 8, tzinfo=UTC),
        "ends_at": datetime(2027, 2, 10, 11, tzinfo=UTC),
        "description": "Progress on the areas of cooperation agreed at the first roundtable.",
    },
]
AGENDA = [
    ("Welcome and introductions", 15, None),
    ("Localized assistance: services and eligibility", 30, "localized_assistance"),
    ("Assisted voluntary return and reintegration (AVRR)", 30, "avrr"),
    ("Health services for migrants", 30, "health"),
    ("Feedback and suggestions from embassies", 45, None),
    ("Areas of cooperation and next steps", 30, None),
]


def _roundtables(report: SeedReport) -> None:
    series = db.session.scalar(select(Series).where(Series.name == "Roundtables with embassies"))
    if series is None:
        series = Series(name="Roundtables with embassies")
        db.session.add(series)
    for fields in ROUNDTABLES:
        if db.session.scalar(select(Roundtable.id).where(Roundtable.title == fields["title"])) is not None:
            continue
        roundtable = Roundtable(
            **fields, series=series, venue="IOM Egypt, Cairo", languages=["en", "ar", "fr"],
            capacity=80, seats_per_organization=3, sdgs=[3, 8, 10, 16],
            service_areas=["localized_assistance", "avrr", "health"],
        )  # fmt: skip
        moment = fields["starts_at"]
        for position, (title, minutes, area) in enumerate(AGENDA, start=1):
            roundtable.agenda.append(
                AgendaItem(
                    title=title,
                    position=position,
                    starts_at=moment,
                    duration_minutes=minutes,
                    service_area=area,
                )
            )
            moment += timedelta(minutes=minutes)
        db.session.add(roundtable)
        report.roundtables_added += 1
    db.session.flush()


def _organization(report: SeedReport, **fields) -> Organization:
    organization = db.session.scalar(select(Organization).where(Organization.name == fields["name"]))
    if organization is None:
        organization = Organization(**fields)
        db.session.add(organization)
        db.session.flush()
        report.organizations_added += 1
    return organization


def _person(report, organization, rng, language, *, domain, position, role) -> None:
    # Names are drawn before looking at the database, so a second run draws the same ones.
    first = rng.choice(FIRST_NAMES[language])
    last = rng.choice(LAST_NAMES[language])
    phone = f"+20 10 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    # The position's first word keeps two namesakes of one organization apart.
    local = f"{first}.{last}.{position.split()[0]}".replace("é", "e")
    email = normalize_email(f"{local}@{domain}")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        return
    db.session.add(
        User(
            name=f"{first} {last}",
            email=email,
            organization=organization,
            position=position,
            role=role,
            preferred_language=language,
            phone=phone,
        )
    )
    db.session.flush()
    report.people_added += 1


def _account(report, email, name, role, organization, position) -> None:
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        return
    user = User(
        name=name,
        email=email,
        role=role,
        organization=organization,
        position=position,
        preferred_language="en",
    )
    set_password(user, DEMO_PASSWORD)
    db.session.add(user)
    db.session.flush()
    report.people_added += 1
