"""Forms of the feedback area (the respondent's answers are read by answers.py, not by WTForms,
because their fields depend on the form being answered)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateTimeLocalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coordination.feedback.models import Audience, OnePer, QuestionKind
from coordination.forms import BaseForm, CheckboxesField, blank_to_none

AUDIENCES = [
    (Audience.EVERYONE, _l("Everyone (all members of every organization)")),
    (Audience.ATTENDEES, _l("Attendees of the roundtable")),
    (Audience.ORGANIZATIONS, _l("Chosen organizations")),
]
ONE_PER = [
    (OnePer.PERSON, _l("One response per person")),
    (OnePer.ORGANIZATION, _l("One response per organization")),
]
KINDS = [
    (QuestionKind.RATING, _l("Rating (1 to 5)")),
    (QuestionKind.SINGLE, _l("Single choice")),
    (QuestionKind.MULTIPLE, _l("Multiple choice")),
    (QuestionKind.SHORT_TEXT, _l("Short text")),
    (QuestionKind.LONG_TEXT, _l("Long text")),
    (QuestionKind.YES_NO, _l("Yes or no")),
    (QuestionKind.SERVICE_AREA, _l("Service area")),
]
KIND_NAMES = dict(KINDS)


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def _translation(label):
    return TextAreaField(label, validators=[Optional(), Length(max=20000)], filters=[blank_to_none])


def _short_translation(label, limit):
    return StringField(label, validators=[Optional(), Length(max=limit)], filters=[blank_to_none])


class FeedbackFormForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    roundtable_id = SelectField(_l("Roundtable"), coerce=_optional_int, validators=[Optional()])
    introduction = TextAreaField(
        _l("Introduction"), validators=[Optional(), Length(max=20000)], description=_l("Markdown is allowed.")
    )
    privacy_notice = TextAreaField(
        _l("Purpose and privacy notice"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "Shown before the first question: why you ask, who reads the answers, how long they are kept."
        ),
    )
    opens_at = DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    audience = RadioField(_l("Audience"), choices=AUDIENCES, default=Audience.EVERYONE)
    organization_ids = CheckboxesField(_l("Organizations"), coerce=int)
    anonymous = BooleanField(
        _l("Anonymous"),
        description=_l(
            "Nobody, organizers included, can tell who gave which answers. Cannot change once answered."
        ),
    )
    one_per = RadioField(_l("Responses"), choices=ONE_PER, default=OnePer.PERSON)
    allow_edit = BooleanField(
        _l("Respondents may change their response until the form closes"),
        description=_l("Named forms only."),
    )
    # The texts in French and Arabic; empty ones fall back to the text as typed.
    title_fr = _short_translation(_l("Title in French"), 200)
    introduction_fr = _translation(_l("Introduction in French"))
    privacy_notice_fr = _translation(_l("Purpose and privacy notice in French"))
    title_ar = _short_translation(_l("Title in Arabic"), 200)
    introduction_ar = _translation(_l("Introduction in Arabic"))
    privacy_notice_ar = _translation(_l("Purpose and privacy notice in Arabic"))

    def __init__(self, *args, roundtables, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.roundtable_id.choices = [("", _l("None (standalone form)")), *roundtables]
        self.organization_ids.choices = organizations


class QuestionForm(BaseForm):
    kind = SelectField(_l("Type"), choices=KINDS)
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    help_text = TextAreaField(
        _l("Help text"), validators=[Optional(), Length(max=5000)], filters=[blank_to_none]
    )
    required = BooleanField(_l("An answer is required"))
    low_label = StringField(
        _l("Label of 1"), validators=[Optional(), Length(max=100)], filters=[blank_to_none],
        description=_l("Rating questions: for example “Not useful”."),
    )  # fmt: skip
    high_label = StringField(
        _l("Label of 5"), validators=[Optional(), Length(max=100)], filters=[blank_to_none],
        description=_l("Rating questions: for example “Very useful”."),
    )  # fmt: skip
    options = TextAreaField(
        _l("Options"),
        validators=[Optional(), Length(max=10000)],
        description=_l("Choice questions: one option per line."),
    )
    condition = SelectField(_l("Show this question"), validators=[Optional()])
    label_fr = _short_translation(_l("Question in French"), 500)
    help_text_fr = _translation(_l("Help text in French"))
    low_label_fr = _short_translation(_l("Label of 1 in French"), 100)
    high_label_fr = _short_translation(_l("Label of 5 in French"), 100)
    label_ar = _short_translation(_l("Question in Arabic"), 500)
    help_text_ar = _translation(_l("Help text in Arabic"))
    low_label_ar = _short_translation(_l("Label of 1 in Arabic"), 100)
    high_label_ar = _short_translation(_l("Label of 5 in Arabic"), 100)

    def __init__(self, *args, conditions, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition.choices = [("", _l("Always")), *conditions]


class CopyForm(BaseForm):
    roundtable_id = SelectField(_l("For the roundtable"), coerce=_optional_int, validators=[Optional()])

    def __init__(self, *args, roundtables, **kwargs):
        super().__init__(*args, **kwargs)
        self.roundtable_id.choices = [("", _l("None (standalone form)")), *roundtables]


class ImportForm(BaseForm):
    file = FileField(_l("Form file (JSON)"), validators=[FileRequired()])
