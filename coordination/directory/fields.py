"""A <select> of the active organizations for forms of other areas (a walk-in's organization).

A WTForms field rendered like any other (`{{ field(form.organization_id) }}`): its choices come
from one query when it is rendered, and the choice is checked by a lookup rather than against a
list loaded on every request.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import SelectField, ValidationError
from wtforms.widgets import Select

from coordination.directory.models import Organization
from coordination.extensions import db


def _organization_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _active_organizations() -> list:
    return db.session.execute(
        select(Organization.id, Organization.name)
        .where(Organization.active.is_(True))
        .order_by(Organization.name)
    ).all()


class LongSelect(Select):
    """WTForms' Select with a plain writer for options without extra attributes: half the cost of
    `html_params` on each of hundreds of organizations."""

    @classmethod
    def render_option(cls, value, label, selected, **kwargs):
        if kwargs:
            return super().render_option(value, label, selected, **kwargs)
        chosen = " selected" if selected else ""
        return Markup(f'<option value="{escape(value)}"{chosen}>{escape(label)}</option>')  # noqa: S704


class OrganizationField(SelectField):
    """One active organization, required.

    A view may set `first` to (ids, heading): those organizations are then listed first under the
    heading (a roundtable's invited ones, on the check-in page), the others after them; or `only`
    to ids: those alone are offered (a check-in helper's choices).
    """

    widget = LongSelect()
    first: tuple[set[int], str] | None = None
    only: set[int] | None = None

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=_organization_id, validate_choice=False, **kwargs)

    def _choices_of(self, rows):
        return self._choices_generator([(row.id, row.name) for row in rows])

    def iter_choices(self):
        rows = _active_organizations()
        if self.only is not None:
            rows = [row for row in rows if row.id in self.only]
        return self._choices_of(rows)

    def has_groups(self) -> bool:
        return bool(self.first) and self.only is None

    def iter_groups(self):
        ids, heading = self.first
        rows = _active_organizations()
        yield heading, self._choices_of(row for row in rows if row.id in ids)
        yield _("Other organizations"), self._choices_of(row for row in rows if row.id not in ids)

    def pre_validate(self, form) -> None:
        found = self.data is not None and db.session.scalar(
            select(Organization.id).where(Organization.id == self.data, Organization.active.is_(True))
        )
        if not found:
            raise ValidationError(_l("Choose an active organization from the list."))
