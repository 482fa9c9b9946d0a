"""Who a feedback form is for: everyone, the attendees of its roundtable, or chosen organizations.

Organizers run the forms and are never in an audience. Inactive people are left out.
"""

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.models import (
    Audience,
    FeedbackForm,
    FeedbackRespondent,
    feedback_form_organizations,
)
from coordination.roundtables.models import Registration, RegistrationStatus


def audience_users(form: FeedbackForm) -> Select:
    """The select of the users a form is for.

    The rule of `reaches`, written for one form whose audience is known here: each audience is a
    plain semi-join that both databases plan as one (an OR of the three inside a correlated EXISTS
    is evaluated person by person). tests/feedback/test_audience_properties.py holds the two
    statements to each other.
    """
    people = (
        select(User)
        .join(Organization, Organization.id == User.organization_id)
        .where(User.active.is_(True), User.role != Role.ORGANIZER, Organization.active.is_(True))
    )
    if form.audience == Audience.EVERYONE:
        return people
    if form.audience == Audience.ATTENDEES:
        if form.roundtable_id is None:
            return people.where(false())
        return people.where(
            User.id.in_(
                select(Registration.user_id).where(
                    Registration.roundtable_id == form.roundtable_id,
                    Registration.status == RegistrationStatus.ATTENDING,
                )
            )
        )
    if form.audience == Audience.ORGANIZATIONS:
        return people.where(
            User.organization_id.in_(
                select(feedback_form_organizations.c.organization_id).where(
                    feedback_form_organizations.c.form_id == form.id
                )
            )
        )
    return people.where(false())


def includes(form: FeedbackForm, user) -> bool:
    """True when `user` is in the form's audience (one query)."""
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(select(audience_users(form).where(User.id == user.id).exists())) or False


def forms_for(user) -> Select:
    """The select of published forms whose audience includes `user` (the same rule as `includes`,
    for every form at once, so that a person's list of forms costs one query)."""
    if not includes_anyone_like(user):
        return select(FeedbackForm).where(false())
    return select(FeedbackForm).where(
        FeedbackForm.published_at.is_not(None), reaches(user.id, user.organization_id)
    )


def includes_anyone_like(user) -> bool:
    """Whether `user` can be in an audience: active, not an organizer, of an active organization."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.active
        and user.role != Role.ORGANIZER
        and user.organization is not None
        and user.organization.active
    )


def reaches(user_id, organization_id) -> ColumnElement[bool]:
    """SQL: the FeedbackForm row of the query is meant for the person with these ids (columns of
    an outer query, or plain values): the one statement of the audience rule. The person's own
    conditions (active, not an organizer, active organization) are the caller's."""
    # Everything but their own table comes from the enclosing queries, however deep they nest.
    attends = (
        exists()
        .where(
            Registration.user_id == user_id,
            Registration.roundtable_id == FeedbackForm.roundtable_id,
            Registration.status == RegistrationStatus.ATTENDING,
        )
        .correlate_except(Registration)
    )
    chosen = (
        exists()
        .where(
            feedback_form_organizations.c.form_id == FeedbackForm.id,
            feedback_form_organizations.c.organization_id == organization_id,
        )
        .correlate_except(feedback_form_organizations)
    )
    return or_(
        FeedbackForm.audience == Audience.EVERYONE,
        and_(FeedbackForm.audience == Audience.ATTENDEES, attends),
        and_(FeedbackForm.audience == Audience.ORGANIZATIONS, chosen),
    )


def answered_by(user_id, organization_id) -> ColumnElement[bool]:
    """SQL: the person with these ids has answered the FeedbackForm row of the query, or (for a
    form answered once per organization) someone of their organization has."""
    return exists().where(
        FeedbackRespondent.form_id == FeedbackForm.id,
        or_(
            FeedbackRespondent.user_id == user_id,
            and_(
                FeedbackForm.one_per == "organization",
                FeedbackRespondent.organization_key == organization_id,
            ),
        ),
    )
