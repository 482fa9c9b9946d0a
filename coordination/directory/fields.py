"""A <select> of the active organizations for forms of other areas (a walk-in's organization).

With hundreds of organizations, rendering the options through WTForms was most of the check-in
page's cost; the options are kept as a fragment of the directory area instead, and the choice is
checked by a lookup rather than against a list loaded on every request.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import SelectField, ValidationError
from wtforms.widgets import html_params

from coordination.directory.freshness import AREA
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.fragments import fragments


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


def _options(rows) -> Markup:
    return Markup("".join(f'<option value="{row.id}">{escape(row.name)}</option>' for row in rows))  # noqa: S704


def _render_options() -> str:
    return _options(_active_organizations())


class OrganizationField(SelectField):
    """One active organization, required.

    A view may set `first` to (ids, heading): those organizations are then listed first under the
    heading (a roundtable's invited ones, on the check-in page), the others after them; or `only`
    to ids: those alone are offered (a check-in helper's choices).
    """

    first: tuple[set[int], str] | None = None
    only: set[int] | None = None

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=_organization_id, validate_choice=False, **kwargs)

    def iter_choices(self):
        for row in _active_organizations():
            yield (row.id, row.name, row.id == self.data, {})

    def pre_validate(self, form) -> None:
        found = self.data is not None and db.session.scalar(
            select(Organization.id).where(Organization.id == self.data, Organization.active.is_(True))
        )
        if not found:
            raise ValidationError(_l("Choose an active organization from the list."))

    def __call__(self, **kwargs) -> Markup:
        kwargs.setdefault("id", self.id)
        if self.only is not None:
            options = _options(row for row in _active_organizations() if row.id in self.only)
        elif self.first:
            options = self._grouped_options(*self.first)
        else:
            options = fragments.get_or_render(AREA, ("organization-options",), _render_options)
        if self.data is not None:
            chosen = f'<option value="{int(self.data)}">'
            options = options.replace(chosen, Markup(chosen[:-1] + " selected>"))  # noqa: S704
        return (
            # html_params escapes every value it writes.
            Markup("<select %s>") % Markup(html_params(name=self.name, **kwargs))  # noqa: S704
            + options
            + Markup("</select>")
        )

    def _grouped_options(self, ids: set[int], heading: str) -> Markup:
        rows = _active_organizations()
        group = Markup('<optgroup label="%s">%s</optgroup>')
        return group % (heading, _options(row for row in rows if row.id in ids)) + group % (
            _("Other organizations"),
            _options(row for row in rows if row.id not in ids),
        )
