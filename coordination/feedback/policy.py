"""Who may do what with feedback forms: organizers build them and read the results (named answers
included); the audience sees a published form and answers it, and never sees anyone's answers."""

from coordination.auth.models import User
from coordination.feedback import audience
from coordination.feedback.models import FeedbackForm
from coordination.policy import is_organizer, rule, signed_in


@rule("feedback.create")
def may_create_form(user: User) -> bool:
    return is_organizer(user)


@rule("feedback_form.manage")
@rule("feedback_form.view_results")
def runs_forms(user: User, form: FeedbackForm) -> bool:
    return is_organizer(user)


@rule("feedback_form.answer")
def may_answer(user: User, form: FeedbackForm) -> bool:
    """A published form's audience answers it; organizers only preview."""
    return signed_in(user) and form.published and audience.includes(form, user)


@rule("feedback_form.view")
def may_view_form(user: User, form: FeedbackForm) -> bool:
    return is_organizer(user) or may_answer(user, form)
