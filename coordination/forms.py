"""Helpers shared by the areas' forms."""

from flask_wtf import FlaskForm

from coordination.errors import ValidationFailed


def attach_error(form: FlaskForm, error: ValidationFailed) -> None:
    """Show a rule's ValidationFailed on its field, or on the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def blank_to_none(value):
    """A WTForms filter: empty or white-space-only text becomes None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for confirmations and one-button actions."""
