"""Helpers shared by the areas' forms."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from coordination.errors import ValidationFailed
from coordination.extensions import db


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
