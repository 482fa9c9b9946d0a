"""Forms of the roundtables area."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from coordination.auth.forms import LANGUAGE_CHOICES
from coordination.directory.fields import OrganizationField
from coordination.forms import BaseForm, CheckboxesField, SafeURL, blank_to_none
from coordination.taxonomy import SDGS, SERVICE_AREAS, WORKING_LANGUAGES

TIMEZONES = [
    "Africa/Cairo", "Africa/Khartoum", "Africa/Addis_Ababa", "Africa/Nairobi", "Africa/Lagos",
    "Asia/Amman", "Asia/Beirut", "Europe/Geneva", "Europe/Brussels", "Europe/Rome", "UTC",
]  # fmt: skip


class RoundtableForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    series_name = StringField(
        _l("Series"),
        validators=[Optional(), Length(max=200)],
        description=_l("Roundtables of one series follow on from each other."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=20000)], description=_l("Markdown is allowed.")
    )
    timezone = SelectField(
        _l("Time zone"), choices=[(zone, zone) for zone in TIMEZONES], default="Africa/Cairo"
    )
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)], filters=[blank_to_none])
    online_url = URLField(
        _l("Online link"), validators=[Optional(), SafeURL(), Length(max=500)], filters=[blank_to_none]
    )
    languages = CheckboxesField(
        _l("Working languages"), choices=list(WORKING_LANGUAGES.items()), default=["en"]
    )
    capacity = IntegerField(
        _l("Total capacity"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        description=_l("Empty: no limit."),
    )
    seats_per_organization = IntegerField(
        _l("Seats per organization"), validators=[Optional(), NumberRange(min=1, max=1000)]
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registrations close"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    sdgs = CheckboxesField(
        _l("Sustainable Development Goals"), choices=list(SDGS.items()), coerce=int, default=[3, 8, 10, 16]
    )
    service_areas = CheckboxesField(_l("Service areas"), choices=list(SERVICE_AREAS.items()))


class CancelForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Mailed to everyone registered."),
    )


class AgendaItemForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Start"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[InputRequired(), NumberRange(min=1, max=600)], default=30
    )
    presenter_id = SelectField(
        _l("Presenter"), coerce=lambda value: int(value) if value else None, validators=[Optional()]
    )
    presenter_name = StringField(
        _l("Or presenter's name"), validators=[Optional(), Length(max=200)], filters=[blank_to_none]
    )
    service_area = SelectField(
        _l("Service area"), choices=[("", "—"), *SERVICE_AREAS.items()], validators=[Optional()]
    )

    def __init__(self, *args, presenters: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.presenter_id.choices = [("", "—"), *presenters]


class InviteForm(BaseForm):
    organizations = CheckboxesField(_l("Organizations"), coerce=int)
    kind = SelectField(_l("Or every active organization of a kind"), validators=[Optional()])

    def __init__(self, *args, organizations: list[tuple[int, str]], kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations.choices = organizations
        self.kind.choices = [("", "—"), *kinds]


class WalkInForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    organization_id = OrganizationField(_l("Organization"))


class NewPersonForm(BaseForm):
    """A colleague not yet in the directory, registered by their focal point."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    preferred_language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)


class CheckInHelperForm(BaseForm):
    email = EmailField(
        _l("Email of the person who will help"),
        validators=[DataRequired(), Email(), Length(max=254)],
        description=_l("Anyone in the directory; they are mailed the link to this page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="helper", **kwargs)
