"""Routes of the reports: the engagement dashboard, its exports, an organization's own record."""

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.directory.countries import country_name
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.inputs import page_number
from coordination.policy import can, require
from coordination.reports import bp, engagement, record
from coordination.roundtables.models import ActionItemStatus
from coordination.spreadsheets import to_csv, to_xlsx
from coordination.taxonomy import SDGS
from coordination.timeutil import utcnow

PER_PAGE = 50
STATUS_ORDER = ("published", "completed", "cancelled")
ACTION_STATUSES = ("open", "in_progress", "done", "dropped")


class ListPage:
    """A page of an already computed list, shaped like Flask-SQLAlchemy's pagination for the macro."""

    def __init__(self, items: list, page: int, per_page: int):
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        self.items = items[(self.page - 1) * per_page : self.page * per_page]
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1

    def iter_pages(self, left_edge=1, left_current=2, right_current=2, right_edge=1):
        shown = None
        for number in range(1, self.pages + 1):
            if (
                number <= left_edge
                or number > self.pages - right_edge
                or self.page - left_current <= number <= self.page + right_current
            ):
                if shown is not None and number > shown + 1:
                    yield None
                shown = number
                yield number


def _sort() -> tuple[str, bool]:
    columns = {"name", *(measure.key for measure in engagement.MEASURES)}
    sort = request.args.get("sort", "name")
    return (sort if sort in columns else "name"), request.args.get("dir") == "desc"


@bp.get("/dashboard")
@login_required
def dashboard():
    require(current_user, "dashboard.view")
    sort, descending = _sort()
    page = page_number()
    now = utcnow()
    organizations = ListPage(engagement.organization_table(sort, descending), page, PER_PAGE)
    recent, to_follow = engagement.not_engaged()
    roundtables = engagement.roundtable_table()
    history = engagement.series_history(roundtables)
    chart = [
        {
            "name": series["name"],
            "labels": [row.starts_at.date().isoformat() for row in series["roundtables"]],
            "datasets": [
                {"label": _("Organizations invited"), "data": [row.invited for row in series["roundtables"]]},
                {"label": _("People registered"), "data": [row.registered for row in series["roundtables"]]},
                {"label": _("People checked in"), "data": [row.attended for row in series["roundtables"]]},
            ],
        }
        for series in history
    ]
    return render_template(
        "reports/dashboard.html",
        as_of=now,
        measures=engagement.MEASURES,
        organizations=organizations,
        sort=sort,
        descending=descending,
        roundtables=roundtables,
        recent=recent,
        to_follow=to_follow,
        history=history,
        chart=chart,
        sdgs=engagement.sdg_table(),
        sdg_names=SDGS,
        statuses=STATUS_ORDER,
        action_statuses=ACTION_STATUSES,
        action_status_labels={status.value: status.label for status in ActionItemStatus},
        country_name=country_name,
    )


def _export_rows(table: str) -> list[list]:
    if table == "organizations":
        header = [_("Organization"), _("Kind"), _("Country"), *(str(m.label) for m in engagement.MEASURES)]
        return [header] + [
            [row.name, str(row.kind.label), country_name(row.country),
             *(row.counts[m.key] for m in engagement.MEASURES)]
            for row in engagement.organization_table()
        ]  # fmt: skip
    if table == "roundtables":
        header = [_("Roundtable"), _("Date"), _("Status"), _("Invited"), _("Answered"), _("Registered"),
                  _("Checked in"), _("Attendance rate"), _("Feedback responses"), _("Feedback audience"),
                  _("Action items"), _("Action items done")]  # fmt: skip
        return [header] + [
            [row.title, row.starts_at.date().isoformat(), row.status, row.invited, row.answered,
             row.registered, row.attended,
             round(row.attendance_rate, 3) if row.attendance_rate is not None else "",
             row.responded, row.audience, row.actions, row.actions_done]
            for row in engagement.roundtable_table()
        ]  # fmt: skip
    header = [
        _("Goal"), _("Title"),
        *(f"{_('Roundtables')}: {status}" for status in STATUS_ORDER),
        *(f"{_('Action items')}: {status}" for status in ACTION_STATUSES),
    ]  # fmt: skip
    return [header] + [
        [goal, str(SDGS[goal]),
         *(counts["roundtables"].get(status, 0) for status in STATUS_ORDER),
         *(counts["actions"].get(status, 0) for status in ACTION_STATUSES)]
        for goal, counts in engagement.sdg_table().items()
    ]  # fmt: skip


@bp.get("/dashboard/<any(organizations, roundtables, sdgs):table>.<any(csv, xlsx):fmt>")
@login_required
def export(table: str, fmt: str):
    require(current_user, "dashboard.view")
    rows = _export_rows(table)
    if fmt == "csv":
        body, mimetype = to_csv(rows), "text/csv"
    else:
        body, mimetype = (
            to_xlsx(rows, table),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{table}.{fmt}"'}
    )


@bp.get("/organizations/<int:organization_id>/record")
@login_required
def organization_record(organization_id: int):
    organization = db.session.scalar(select(Organization).where(Organization.id == organization_id))
    # Another organization's record is not even said to exist.
    if organization is None or not can(current_user, "organization.view_record", organization):
        abort(404)
    return render_template(
        "reports/record.html",
        organization=organization,
        measures=engagement.MEASURES,
        counts={
            key: by_org.get(organization.id, 0)
            for key, by_org in engagement.measure_counts(organization.id).items()
        },
        participation=record.participation(organization),
        suggestions=record.suggestions(organization),
        commitments=record.open_commitments(organization),
        documents=record.documents_shared(current_user, organization),
        pending_forms=record.pending_forms(organization),
    )
