"""Forms of the suggestions area."""

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import Select

from coordination.forms import BaseForm, blank_to_none
from coordination.suggestions.models import SuggestionStatus
from coordination.taxonomy import SDGS, SERVICE_AREAS

SORT_LABELS = {"newest": _l("Newest first"), "supported": _l("Most supported first")}
STATUS_CHOICES = [(status.value, status.label) for status in SuggestionStatus]


def _optional_int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PlainOptionsSelect(Select):
    """WTForms' select, writing an option without attributes of its own in one string (the same
    HTML): the organization filter offers every organization that proposed something, hundreds of
    them, and the stock widget builds each option's attributes through a dictionary."""

    @classmethod
    def render_option(cls, value, label, selected, **kwargs):
        if kwargs or value is True:
            return super().render_option(value, label, selected, **kwargs)
        selected_attribute = "selected " if selected else ""
        # Both value and label are escaped; Markup.format would cost more than the stock widget.
        return Markup(f'<option {selected_attribute}value="{escape(value)}">{escape(label)}</option>')  # noqa: S704


def sdg_choices(blank_label) -> list:
    return [("", blank_label), *((number, f"{number}. {name}") for number, name in SDGS.items())]


class SuggestionForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[blank_to_none])
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(), Length(max=20000)],
        filters=[blank_to_none],
        description=_l("What should be done, for whom, and why. Markdown is allowed."),
    )
    service_area = SelectField(
        _l("Service area"),
        choices=[("", _l("Choose a service area")), *SERVICE_AREAS.items()],
        validators=[DataRequired(message=_l("Choose a service area."))],
    )
    sdg = SelectField(
        _l("Sustainable Development Goal"),
        choices=sdg_choices(_l("None in particular")),
        coerce=_optional_int,
        validators=[Optional()],
    )


class CommentForm(BaseForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l("Markdown is allowed."),
    )


class HideCommentForm(BaseForm):
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Members see this reason in place of the comment."),
    )


class TriageForm(BaseForm):
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    reply = TextAreaField(
        _l("Public reply"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "You said, we did: what IOM will do about it, or why not. Everyone sees it, and the "
            "proposer's organization gets it by mail. Markdown is allowed."
        ),
    )


class SuggestionFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"), choices=[("", _l("All statuses")), *STATUS_CHOICES], validators=[Optional()]
    )
    service_area = SelectField(
        _l("Service area"),
        choices=[("", _l("All service areas")), *SERVICE_AREAS.items()],
        validators=[Optional()],
    )
    sdg = SelectField(
        _l("SDG"), choices=sdg_choices(_l("All SDGs")), coerce=_optional_int, validators=[Optional()]
    )
    organization = SelectField(
        _l("Organization"),
        choices=[("", _l("All organizations"))],
        coerce=_optional_int,
        widget=PlainOptionsSelect(),
        validators=[Optional()],
    )
    sort = SelectField(
        _l("Sort"), choices=list(SORT_LABELS.items()), default="newest", validators=[Optional()]
    )
