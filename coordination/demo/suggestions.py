"""Demo suggestions: areas of intervention the embassies raised after the first roundtable."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionSupport

# (proposing embassy's country, title, description, service area, SDG, status, reply,
#  countries of the embassies supporting it, comments as (country, text))
SUGGESTIONS = [
    (
        "SD",
        "Legal counselling for newly arrived Sudanese families",
        "Many families arriving from Sudan do not know how to register with UNHCR or renew "
        "residence permits. **Weekly counselling sessions** at community centres in Giza and "
        "Nasr City, in Arabic, would help them reach IOM's services early.",
        "protection",
        16,
        "planned",
        "Thank you. From March, IOM and the Sudanese Community Association will hold weekly "
        "counselling sessions in Giza and Nasr City. Dates will be shared in the library.",
        ["SS", "ER", "TD"],
        [("SS", "South Sudanese families face the same problem; we would refer them too.")],
    ),
    (
        "ET",
        "Health screening before assisted voluntary return",
        "Migrants returning through AVRR sometimes travel with untreated conditions. A health check "
        "two weeks before departure, with a referral letter for the country of return, would make "
        "reintegration safer.",
        "health",
        3,
        "under_review",
        "",
        ["ER", "SO", "KE"],
        [],
    ),
    (
        "NG",
        "Information sessions on fraudulent job offers",
        "Young people are recruited on social media with fake job offers in the Gulf and Europe. "
        "Short sessions in schools and community centres on how to check an offer would prevent "
        "trafficking.",
        "counter_trafficking",
        8,
        "new",
        "",
        ["GH", "SL", "CM", "SN"],
        [("GH", "We can share the leaflets our consular section already uses.")],
    ),
    (
        "SY",
        "Vocational training recognised in the country of return",
        "Training certificates obtained in Egypt are often not recognised after return. Partnering "
        "with vocational institutes so that certificates are recognised would help reintegration.",
        "avrr",
        8,
        "new",
        "",
        ["IQ", "YE"],
        [],
    ),
    (
        "TD",
        "Interpretation in Chadian Arabic and French at IOM's service points",
        "Migrants from Chad and the Sahel often do not understand the Egyptian Arabic used at "
        "service points. Interpreters on fixed days would make the services accessible.",
        "localized_assistance",
        10,
        "declined",
        "We cannot fund permanent interpreters this year. Instead, IOM's hotline now answers in "
        "French, and the eligibility guide is available in French.",
        [],
        [],
    ),
    (
        "PH",
        "Support for domestic workers leaving abusive employers",
        "Domestic workers who leave abusive employers lose their residence status. A shelter referral "
        "path with IOM's protection team would give them time to regularise or return.",
        "protection",
        5,
        "new",
        "",
        ["LK", "BD"],
        [],
    ),
]


def seed_demo(now: datetime | None = None) -> int:
    """Add the demo suggestions that are missing; returns how many were added."""
    now = now or datetime(2026, 10, 15, 9, tzinfo=UTC)
    embassies = {
        organization.country: organization
        for organization in db.session.scalars(select(Organization).where(Organization.kind == "embassy"))
    }
    organizer = db.session.scalar(select(User).where(User.role == Role.ORGANIZER).order_by(User.id))
    added = 0
    for index, (country, title, text, area, sdg, status, reply, supporters, comments) in enumerate(
        SUGGESTIONS
    ):
        organization = embassies.get(country)
        if organization is None or db.session.scalar(select(Suggestion.id).where(Suggestion.title == title)):
            continue
        created = now - timedelta(days=3 * (len(SUGGESTIONS) - index))
        suggestion = Suggestion(
            title=title, description=text, service_area=area, sdg=sdg, status=status,
            organization=organization, proposer=_first_person(organization), created_at=created,
            reply=reply or None, replied_at=created + timedelta(days=2) if reply else None,
            replied_by=organizer if reply else None,
        )  # fmt: skip
        for supporter in supporters:
            if supporter in embassies:
                suggestion.supports.append(
                    SuggestionSupport(
                        organization=embassies[supporter], user=_first_person(embassies[supporter])
                    )
                )
        for author_country, body in comments:
            if author_country in embassies:
                suggestion.comments.append(
                    SuggestionComment(author=_first_person(embassies[author_country]), body=body)
                )
        db.session.add(suggestion)
        added += 1
    db.session.flush()
    return added


def _first_person(organization: Organization) -> User | None:
    return db.session.scalar(
        select(User).where(User.organization_id == organization.id, User.active.is_(True)).order_by(User.id)
    )
