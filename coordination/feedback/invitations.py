"""Mailing a form's audience: the invitation, the reminder to those who have not answered, and the
invitation sent when the form's roundtable is marked completed."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from coordination.audit.rules import record_event
from coordination.auth.models import User
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.feedback.audience import audience_users
from coordination.feedback.models import FeedbackForm, FeedbackRespondent
from coordination.feedback.rules import timezone_of
from coordination.mail.outbox import queue_mail
from coordination.policy import require
from coordination.roundtables.models import Roundtable
from coordination.timeutil import utcnow


def non_respondents(form: FeedbackForm):
    """The select of audience members who have not responded (nor, for a one-per-organization
    form, anyone of their organization)."""
    # Two NOT EXISTS rather than one around an OR: each is an anti-join on one of the respondents'
    # unique keys, where the OR made PostgreSQL test every respondent against every person.
    by_person = exists().where(FeedbackRespondent.form_id == form.id, FeedbackRespondent.user_id == User.id)
    by_organization = exists().where(
        FeedbackRespondent.form_id == form.id, FeedbackRespondent.organization_key == User.organization_id
    )
    return audience_users(form).where(~by_person, ~by_organization)


def _mail(form: FeedbackForm, people: list[User], template: str) -> list[str]:
    zone = timezone_of(form)
    for person in people:
        queue_mail(person.email, template, person.preferred_language, person=person, form=form, zone=zone)
    return [person.email for person in people]


def _check_published(form: FeedbackForm) -> None:
    if not form.published or form.state(utcnow()) == "closed":
        raise ValidationFailed(_l("Only a published form that has not closed can be mailed."))


def invite_audience(actor, form: FeedbackForm) -> list[str]:
    """Mail the form to every audience member who has not responded; returns the addresses."""
    require(actor, "feedback_form.manage", form)
    _check_published(form)
    sent = _mail(
        form, list(db.session.scalars(non_respondents(form).order_by(User.id))), "feedback_invitation"
    )
    form.invited_at = utcnow()
    record_event(actor, "feedback.invite", form, recipients=len(sent))
    return sent


def remind_non_respondents(actor, form: FeedbackForm) -> list[str]:
    """Mail only the audience members without a submitted response; returns the addresses."""
    require(actor, "feedback_form.manage", form)
    _check_published(form)
    sent = _mail(form, list(db.session.scalars(non_respondents(form).order_by(User.id))), "feedback_reminder")
    form.reminded_at = utcnow()
    record_event(actor, "feedback.remind", form, recipients=len(sent))
    return sent


def invite_when_roundtable_completed(actor, roundtable: Roundtable) -> None:
    """A roundtable's published forms not mailed yet go to their audience when it is marked completed."""
    forms = db.session.scalars(
        select(FeedbackForm).where(
            FeedbackForm.roundtable_id == roundtable.id,
            FeedbackForm.published_at.is_not(None),
            FeedbackForm.invited_at.is_(None),
        )
    ).all()
    for form in forms:
        if form.state(utcnow()) != "closed":
            invite_audience(actor, form)
