"""Forms of the directory: organizations, people and the list filters."""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TelField, URLField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from coordination.auth.forms import LANGUAGE_CHOICES
from coordination.auth.models import Role
from coordination.directory.countries import CountryField
from coordination.directory.models import OrganizationKind
from coordination.forms import BaseForm, SafeURL, blank_to_none
from coordination.i18n import lazy_gettext as _l

# The kinds and their labels, in the enum's order (other areas' filters import this name).
KIND_LABELS = {kind.value: kind.label for kind in OrganizationKind}


class OrganizationForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[blank_to_none])
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    country = CountryField(
        _l("Country"),
        validators=[Optional()],
        description=_l("For an embassy, the country it represents."),
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)], filters=[blank_to_none])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)], filters=[blank_to_none])
    email = EmailField(
        _l("Email"), validators=[Optional(), Email(), Length(max=254)], filters=[blank_to_none]
    )
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=50)], filters=[blank_to_none])
    website = URLField(
        _l("Website"), validators=[Optional(), SafeURL(), Length(max=300)], filters=[blank_to_none]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "embassy" and not self.country.data:
            self.country.errors.append(_l("An embassy represents a country: choose it."))
            valid = False
        return valid


class PersonForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)], filters=[blank_to_none])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=50)], filters=[blank_to_none])
    role = SelectField(_l("Role"))
    preferred_language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    invitation_contact = BooleanField(
        _l("Receives roundtable invitations"),
        description=_l("Focal points always receive them; tick this for other contacts of the organization."),
    )
    send_invitation = BooleanField(_l("Send an invitation to set a password"), default=True)

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, Role(role).label) for role in roles]


class OrganizationFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    kind = SelectField(
        _l("Kind"), choices=[("", _l("All kinds")), *KIND_LABELS.items()], validators=[Optional()]
    )
    country = CountryField(_l("Country"), validators=[Optional()], blank_label=_l("All countries"))
    status = SelectField(
        _l("Status"),
        choices=[("active", _l("Active")), ("inactive", _l("Inactive")), ("all", _l("All"))],
        default="active",
        validators=[Optional()],
    )


class ImportForm(BaseForm):
    what = SelectField(
        _l("What the file holds"),
        choices=[("organizations", _l("Organizations")), ("people", _l("People"))],
    )
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])


class ConfirmImportForm(BaseForm):
    """The "Confirm import" button of a preview: names the kept upload by its signed token."""

    token = HiddenField(validators=[DataRequired(), Length(max=500)])
    what = HiddenField(validators=[AnyOf(["organizations", "people"])])
