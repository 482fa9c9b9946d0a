"""Forms of the accounts area."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from coordination.forms import BaseForm

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class SetPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        # The length and the rest of the policy are checked by rules.choose_password, in one place.
        validators=[DataRequired(), Length(max=200)],
        description=_l(
            "At least 12 characters, not a common password, without your name or e-mail address. "
            "A few unrelated words make a strong password."
        ),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class ProfileForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=50)])
    preferred_language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
