"""Forms of two-step sign-in."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from coordination.forms import BaseForm


class SecondStepForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The 6 digits your authenticator app shows, or one of your recovery codes."),
    )


class EnrolForm(BaseForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The 6 digits the app shows for this account after you added it."),
    )


class RecoveryCodesForm(BaseForm):
    code = StringField(_l("Code from the app"), validators=[DataRequired(), Length(max=40)])


class DisableSecondFactorForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    code = StringField(
        _l("Code from the app, or a recovery code"), validators=[DataRequired(), Length(max=40)]
    )
