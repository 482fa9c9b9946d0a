"""A feedback form's audience is asked three ways: the people of one form (audience_users: the
invitations, the reminders, the response rate), the forms of one person (forms_for: their list)
and one pair (includes: the permission to answer). For random small worlds of organizations,
people of each role, roundtables with registrations and forms of every audience, the three agree
with each other and with the rule as the module states it, written here in Python."""

from datetime import timedelta

from flask_login import AnonymousUserMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.audience import audience_users, forms_for, includes
from coordination.feedback.models import Audience, FeedbackForm
from coordination.roundtables.models import Registration, RegistrationStatus, Roundtable
from coordination.timeutil import utcnow
from tests.conftest import forget_everything

ORGANIZATIONS = 3
ROUNDTABLES = 2
NONE = -1  # no organization, or no roundtable

organizations = st.lists(st.booleans(), min_size=ORGANIZATIONS, max_size=ORGANIZATIONS)  # active
people = st.lists(
    st.tuples(st.sampled_from(list(Role)), st.booleans(), st.integers(NONE, ORGANIZATIONS - 1)),
    min_size=1,
    max_size=5,
)
forms = st.lists(
    st.fixed_dictionaries(
        {
            "audience": st.sampled_from(list(Audience)),
            "roundtable": st.integers(NONE, ROUNDTABLES - 1),
            "published": st.booleans(),
            "chosen": st.sets(st.integers(0, ORGANIZATIONS - 1), max_size=ORGANIZATIONS),
        }
    ),
    min_size=1,
    max_size=4,
)


def registrations(people_count: int):
    """{(person, roundtable): status}: at most one registration of a person to a roundtable."""
    return st.dictionaries(
        st.tuples(st.integers(0, people_count - 1), st.integers(0, ROUNDTABLES - 1)),
        st.sampled_from(list(RegistrationStatus)),
        max_size=people_count * ROUNDTABLES,
    )


worlds = st.tuples(organizations, people).flatmap(
    lambda world: st.tuples(st.just(world[0]), st.just(world[1]), registrations(len(world[1])), forms)
)


def meant_for(form: FeedbackForm, user: User, attending: set[tuple[int, int]]) -> bool:
    """The rule of coordination.feedback.audience, in Python: active people of an active
    organization, never organizers, whom the form's audience names."""
    if not user.active or user.role == Role.ORGANIZER:
        return False
    if user.organization is None or not user.organization.active:
        return False
    if form.audience == Audience.EVERYONE:
        return True
    if form.audience == Audience.ATTENDEES:
        return (user.id, form.roundtable_id) in attending
    return user.organization_id in {organization.id for organization in form.organizations}


def build(active_organizations, persons, registered, specs):
    organizations = [
        Organization(name=f"Embassy {number}", kind="embassy", country="SD", active=active)
        for number, active in enumerate(active_organizations)
    ]
    users = [
        User(
            name=f"Person {number}",
            email=f"person{number}@example.org",
            role=role,
            active=active,
            organization=organizations[organization] if organization != NONE else None,
        )
        for number, (role, active, organization) in enumerate(persons)
    ]
    start = (utcnow() - timedelta(days=2)).replace(microsecond=0)
    roundtables = [
        Roundtable(title=f"Roundtable {number}", starts_at=start, ends_at=start + timedelta(hours=3))
        for number in range(ROUNDTABLES)
    ]
    db.session.add_all([*organizations, *users, *roundtables])
    db.session.flush()
    db.session.add_all(
        Registration(
            roundtable_id=roundtables[roundtable].id,
            user_id=users[person].id,
            organization_id=users[person].organization_id,
            status=status,
        )
        for (person, roundtable), status in registered.items()
    )
    records = [
        FeedbackForm(
            title=f"Form {number}",
            audience=spec["audience"],
            roundtable_id=roundtables[spec["roundtable"]].id if spec["roundtable"] != NONE else None,
            published_at=utcnow() if spec["published"] else None,
            organizations=[organizations[index] for index in spec["chosen"]],
        )
        for number, spec in enumerate(specs)
    ]
    db.session.add_all(records)
    db.session.commit()
    attending = {
        (users[person].id, roundtables[roundtable].id)
        for (person, roundtable), status in registered.items()
        if status == RegistrationStatus.ATTENDING
    }
    return users, records, attending


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_the_audience_of_a_form_its_people_their_forms_and_each_pair_agree(app, world):
    try:
        users, records, attending = build(*world)
        audiences = {
            form.id: {user.id for user in db.session.scalars(audience_users(form))} for form in records
        }
        lists = {user.id: {form.id for form in db.session.scalars(forms_for(user))} for user in users}
        for form in records:
            for user in users:
                expected = meant_for(form, user, attending)
                where = f"{user!r}, {form.audience} form {form.id}"
                assert (user.id in audiences[form.id]) == expected, f"audience_users: {where}"
                assert includes(form, user) == expected, f"includes: {where}"
                assert (form.id in lists[user.id]) == (expected and form.published_at is not None), (
                    f"forms_for: {where}"
                )
            assert not includes(form, AnonymousUserMixin())
    finally:
        forget_everything()
