"""Forms of the library."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coordination.forms import BaseForm
from coordination.library.filetypes import KINDS
from coordination.taxonomy import SDGS, SERVICE_AREAS, WORKING_LANGUAGES

VISIBILITY_CHOICES = [
    ("members", _l("All members")),
    ("organizers", _l("Organizers only (and my organization)")),
    ("organizations", _l("Chosen organizations (and my organization)")),
]


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CollectionForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    parent_id = SelectField(_l("Inside"), coerce=_int_or_none, validate_choice=False)
    members_may_contribute = BooleanField(_l("Members may contribute documents"), default=True)


class DocumentFieldsMixin:
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=20000)], description=_l("Markdown is allowed.")
    )
    tags = StringField(
        _l("Tags"), validators=[Optional(), Length(max=800)], description=_l("Separated by commas.")
    )
    service_area = SelectField(_l("Service area"), choices=[("", "—"), *SERVICE_AREAS.items()], default="")
    sdg = SelectField(
        _l("Sustainable Development Goal"),
        choices=[("", "—"), *((number, f"{number}. {name}") for number, name in SDGS.items())],
        coerce=_int_or_none,
    )
    roundtable_id = SelectField(_l("Linked roundtable"), coerce=_int_or_none, validate_choice=False)
    visibility = SelectField(_l("Who may see it"), choices=VISIBILITY_CHOICES, default="members")
    organizations = CheckboxesField(_l("Organizations"), coerce=int, validate_choice=False)


class UploadForm(DocumentFieldsMixin, BaseForm):
    files = MultipleFileField(
        _l("Files"),
        description=_l(
            "PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG or JPEG. Several at once."
        ),
    )
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=300)],
        description=_l("Empty: the file name. With several files, each takes its own name."),
    )
    language = SelectField(_l("Language"), choices=list(WORKING_LANGUAGES.items()), default="en")


class DocumentForm(DocumentFieldsMixin, BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])


class VersionForm(BaseForm):
    files = MultipleFileField(_l("File"))
    language = SelectField(_l("Language"), choices=list(WORKING_LANGUAGES.items()))
    note = StringField(_l("What changed"), validators=[Optional(), Length(max=500)])


class CommentForm(BaseForm):
    body = TextAreaField(
        _l("Comment"), validators=[DataRequired(), Length(max=10000)], description=_l("Markdown is allowed.")
    )


class FollowForm(BaseForm):
    collection_id = IntegerField(validators=[Optional()])
    tag = StringField(validators=[Optional(), Length(max=60)])


class DigestForm(BaseForm):
    frequency = SelectField(
        _l("Digest of new documents"),
        choices=[("daily", _l("Daily")), ("weekly", _l("Weekly")), ("never", _l("Never"))],
    )


class FilterForm(BaseForm):
    """The filters of the library's lists and search, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    collection = SelectField(_l("Collection"), coerce=_int_or_none, validate_choice=False)
    service_area = SelectField(_l("Service area"), choices=[("", _l("All")), *SERVICE_AREAS.items()])
    sdg = SelectField(
        _l("SDG"),
        choices=[("", _l("All")), *((n, f"{n}. {name}") for n, name in SDGS.items())],
        coerce=_int_or_none,
    )
    language = SelectField(_l("Language"), choices=[("", _l("All")), *WORKING_LANGUAGES.items()])
    kind = SelectField(_l("File type"), choices=[("", _l("All")), *((k, k.upper()) for k in KINDS)])
    organization = SelectField(_l("Organization"), coerce=_int_or_none, validate_choice=False)
    roundtable = SelectField(_l("Roundtable"), coerce=_int_or_none, validate_choice=False)
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=60)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    sort = SelectField(
        _l("Sort by"),
        choices=[
            ("newest", _l("Newest first")),
            ("oldest", _l("Oldest first")),
            ("title", _l("Title")),
            ("downloads", _l("Most downloaded")),
        ],
    )
