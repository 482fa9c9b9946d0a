"""Helpers shared by the areas' forms, and their base: input the database cannot hold is a form error."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import FileField, MultipleFileField, SelectMultipleField
from wtforms.validators import URL, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coordination import i18n, inputs
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.markup import WEB_SCHEMES, is_safe_link

DATE_RANGE_MESSAGE = _l(
    "Enter a date between the years %(min)d and %(max)d.", min=inputs.MIN_YEAR, max=inputs.MAX_YEAR
)
NUMBER_RANGE_MESSAGE = _l(
    "Enter a number between %(min)d and %(max)d.", min=-inputs.MAX_INTEGER, max=inputs.MAX_INTEGER
)


class BaseForm(FlaskForm):
    """Every form's base: what was sent and cannot be stored or computed with becomes a field error.

    Checked right after the fields read the request, before any validator or view sees the data:
    text with control characters (PostgreSQL refuses NUL, spreadsheets the others) loses them,
    numbers beyond the database's integer and dates outside MIN_YEAR..MAX_YEAR become empty. Each
    also gets an error, so the form is re-shown rather than saved.
    """

    class Meta:
        def get_translations(self, form):
            return i18n.wtforms_translations

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data, extra_filters, **kwargs)
        for field in self:
            if field.raw_data and not isinstance(field, (FileField, MultipleFileField)):
                _bound(field)


def _bound(field) -> None:
    value = field.data
    if isinstance(value, str):
        if inputs.has_control_characters(value):
            field.data = inputs.without_control_characters(value)
            field.process_errors.append(inputs.CONTROL_CHARACTERS_MESSAGE)
    elif isinstance(value, int) and not isinstance(value, bool):
        if not inputs.integer_in_range(value):
            field.data = None
            field.process_errors.append(NUMBER_RANGE_MESSAGE)
    elif isinstance(value, date):  # a datetime is a date too
        if not inputs.date_in_range(value):
            field.data = None
            field.process_errors.append(DATE_RANGE_MESSAGE)
    elif isinstance(value, list | tuple):
        kept = [item for item in value if _storable(item)]
        if len(kept) != len(value):
            field.data = kept
            field.process_errors.append(_l("Not a valid choice."))
    raw_texts = [raw for raw in field.raw_data if isinstance(raw, str)]
    if (
        any(map(inputs.has_control_characters, raw_texts))
        and inputs.CONTROL_CHARACTERS_MESSAGE not in field.process_errors
    ):
        field.process_errors.append(inputs.CONTROL_CHARACTERS_MESSAGE)


def _storable(item) -> bool:
    if isinstance(item, str):
        return not inputs.has_control_characters(item)
    if isinstance(item, int) and not isinstance(item, bool):
        return inputs.integer_in_range(item)
    return True


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


class ConfirmForm(BaseForm):
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
