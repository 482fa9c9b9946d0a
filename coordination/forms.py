"""Helpers shared by the areas' forms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import SelectMultipleField
from wtforms.validators import URL, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.markup import WEB_SCHEMES, is_safe_link


def attach_error(form: FlaskForm, error: ValidationFailed) -> None:
    """Show a rule's ValidationFailed on its field, or on the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def run_rule(form: FlaskForm, rule, *args, **kwargs) -> tuple[bool, object]:
    """Call `rule` and commit; its refusal, or the database's, becomes an error on `form`.

    Returns whether it succeeded and what the rule returned.
    """
    try:
        result = rule(*args, **kwargs)
        db.session.commit()
    except ValidationFailed as error:
        db.session.rollback()
        attach_error(form, error)
        return False, None
    except IntegrityError:
        db.session.rollback()
        form.form_errors.append(
            _("This conflicts with a record saved meanwhile. Check the values and save again.")
        )
        return False, None
    return True, result


def blank_to_none(value):
    """A WTForms filter: empty or white-space-only text becomes None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for confirmations and one-button actions."""


class SafeURL:
    """A WTForms validator: an http(s) address (or one of `schemes`) with a valid host name.

    WTForms' URL() alone takes any scheme, so `javascript://x.org/%0Aalert(1)` passed it and ran
    script for whoever clicked the link.
    """

    def __init__(self, schemes: tuple[str, ...] = WEB_SCHEMES, message=None):
        self.schemes = schemes
        self.message = message or _l("Give a web address starting with http:// or https://.")
        self._url = URL(message=self.message)

    def __call__(self, form, field):
        if not field.data:
            return
        if not is_safe_link(field.data, self.schemes):
            raise ValidationError(self.message)
        if not field.data.lower().startswith("mailto:"):
            self._url(form, field)


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes rather than a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
