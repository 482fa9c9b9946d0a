"""Who a feedback form is for: everyone, the attendees of its roundtable, or chosen organizations.

Organizers run the forms and are never in an audience. Inactive people are left out.
"""

from sqlalchemy import Select, exists, select

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.models import Audience, FeedbackForm, feedback_form_organizations
from coordination.roundtables.models import Registration, RegistrationStatus


def audience_users(form: FeedbackForm) -> Select:
    """The select of the users a form is for."""
    query = (
        select(User)
        .join(Organization, Organization.id == User.organization_id)
        .where(User.active.is_(True), User.role != Role.ORGANIZER, Organization.active.is_(True))
    )
    if form.audience == Audience.ATTENDEES:
        query = query.where(
            exists().where(
                Registration.user_id == User.id,
                Registration.roundtable_id == form.roundtable_id,
                Registration.status == RegistrationStatus.ATTENDING,
            )
        )
    elif form.audience == Audience.ORGANIZATIONS:
        query = query.where(
            exists().where(
                feedback_form_organizations.c.form_id == form.id,
                feedback_form_organizations.c.organization_id == User.organization_id,
            )
        )
    return query


def includes(form: FeedbackForm, user) -> bool:
    """True when `user` is in the form's audience (one query)."""
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(select(audience_users(form).where(User.id == user.id).exists())) or False
