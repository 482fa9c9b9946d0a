"""Forms of the follow-up of a roundtable: minutes, comments, action items and their notes."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from coordination.forms import BaseForm, blank_to_none
from coordination.roundtables.models import ActionItemStatus
from coordination.taxonomy import SDGS, SERVICE_AREAS


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MinutesForm(BaseForm):
    body = TextAreaField(
        _l("Minutes"),
        validators=[DataRequired(), Length(max=100000)],
        description=_l("Markdown is allowed. Every save is kept as a revision."),
        render_kw={"rows": 18},
    )
    chatham_house = BooleanField(
        _l("Chatham House rule"),
        description=_l(
            "The published minutes say so, statements are not attributed to organizations, "
            "and no attendance by organization is shown next to them."
        ),
    )


class CirculateForm(BaseForm):
    comment_deadline = DateTimeLocalField(
        _l("Comments until"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired()],
        description=_l("In the roundtable's time zone."),
    )


class CommentForm(BaseForm):
    text = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 4}
    )


class ActionItemForm(BaseForm):
    description = TextAreaField(
        _l("Action"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3}
    )
    owner_organization_id = SelectField(
        _l("Owner organization"), coerce=_int_or_none, validators=[Optional()]
    )
    owner_id = SelectField(
        _l("Owner person"),
        coerce=_int_or_none,
        validators=[Optional()],
        description=_l("Participants of the roundtable and organizers."),
    )
    due_on = DateField(_l("Due"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[(status.value, status.label) for status in ActionItemStatus],
        default=ActionItemStatus.OPEN.value,
    )
    sdg = SelectField(
        _l("Sustainable Development Goal"),
        coerce=_int_or_none,
        choices=[(None, "—"), *[(number, f"{number} · {name}") for number, name in SDGS.items()]],
        validators=[Optional()],
    )
    service_area = SelectField(
        _l("Service area"),
        choices=[("", "—"), *SERVICE_AREAS.items()],
        validators=[Optional()],
        filters=[blank_to_none],
    )

    def __init__(self, *args, people: list[tuple[int, str]], organizations: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = [(None, "—"), *people]
        self.owner_organization_id.choices = [(None, "—"), *organizations]


class NoteForm(BaseForm):
    text = TextAreaField(
        _l("Progress note"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 3}
    )
    status = SelectField(_l("Status"), validators=[Optional()], filters=[blank_to_none])

    def __init__(self, *args, statuses: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Unchanged")), *statuses]


class BoardFilterForm(BaseForm):
    """The board's filters, read from the address (GET: no CSRF token)."""

    class Meta:
        csrf = False

    roundtable = SelectField(_l("Roundtable"), coerce=_int_or_none, validators=[Optional()])
    organization = SelectField(_l("Owner organization"), coerce=_int_or_none, validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[("", _l("Any")), *((status.value, status.label) for status in ActionItemStatus)],
        validators=[Optional()],
    )

    def __init__(self, *args, roundtables, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.roundtable.choices = [(None, _l("Any")), *roundtables]
        self.organization.choices = [(None, _l("Any")), *organizations]
