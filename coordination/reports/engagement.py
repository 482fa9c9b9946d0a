"""Engagement figures, computed in SQL: one grouped query per measure, whatever the number of
organizations and roundtables.

A measure counts, per organization, something it did across roundtables. Each is defined once
here and used by the dashboard, the organization's own record and the exports. Roundtables still
in draft count for nothing: nobody outside IOM has seen them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, distinct, func, select

from coordination.auth.models import Role, User
from coordination.directory.models import Organization, OrganizationKind
from coordination.extensions import db
from coordination.feedback.audience import reaches
from coordination.feedback.models import FeedbackForm, FeedbackRespondent
from coordination.library.models import Document
from coordination.roundtables.models import (
    ActionItem,
    Invitation,
    Registration,
    Roundtable,
    RoundtableStatus,
)
from coordination.suggestions.models import Suggestion

SHOWN = Roundtable.status != RoundtableStatus.DRAFT
HOLDING = Registration.status.in_(("attending", "waitlisted"))


@dataclass(frozen=True)
class Measure:
    key: str
    label: object  # a lazy string
    # select(organization_id, counts…) grouped by organization, with a count labelled `key`;
    # measures of the same rows share their query (one scan, counts filtered apart).
    query: Callable[[], Select]


def _invitations() -> Select:
    return (
        select(
            Invitation.organization_id,
            func.count(Invitation.id).label("invited"),
            func.count(Invitation.id).filter(Invitation.status != "invited").label("answered"),
        )
        .join(Roundtable, Invitation.roundtable_id == Roundtable.id)
        .where(SHOWN)
        .group_by(Invitation.organization_id)
    )


def _registrations() -> Select:
    roundtables = distinct(Registration.roundtable_id)
    return (
        select(
            Registration.organization_id,
            func.count(roundtables).filter(HOLDING).label("registered"),
            func.count(roundtables).filter(Registration.checked_in_at.is_not(None)).label("attended"),
        )
        .join(Roundtable, Registration.roundtable_id == Roundtable.id)
        .where(SHOWN)
        .group_by(Registration.organization_id)
    )


def _suggested() -> Select:
    return select(Suggestion.organization_id, func.count(Suggestion.id).label("suggestions")).group_by(
        Suggestion.organization_id
    )


def _feedback_given() -> Select:
    # Who responded is kept apart from the answers, anonymous forms included: counting forms
    # answered per organization reveals nothing of what was answered.
    return select(
        FeedbackRespondent.organization_id, func.count(distinct(FeedbackRespondent.form_id)).label("feedback")
    ).group_by(FeedbackRespondent.organization_id)


def _documents_shared() -> Select:
    return (
        select(Document.organization_id, func.count(Document.id).label("documents"))
        .where(Document.deleted_at.is_(None), Document.status == "published")
        .group_by(Document.organization_id)
    )


def _action_items() -> Select:
    return (
        select(
            ActionItem.owner_organization_id,
            func.count(ActionItem.id).label("actions_owned"),
            func.count(ActionItem.id).filter(ActionItem.status == "done").label("actions_done"),
        )
        .where(ActionItem.status != "dropped")
        .group_by(ActionItem.owner_organization_id)
    )


MEASURES: list[Measure] = [
    Measure("invited", _l("Invited"), _invitations),
    Measure("answered", _l("Answered"), _invitations),
    Measure("registered", _l("Registered"), _registrations),
    Measure("attended", _l("Attended"), _registrations),
    Measure("feedback", _l("Feedback given"), _feedback_given),
    Measure("suggestions", _l("Suggestions made"), _suggested),
    Measure("documents", _l("Documents shared"), _documents_shared),
    Measure("actions_owned", _l("Action items owned"), _action_items),
    Measure("actions_done", _l("Action items done"), _action_items),
]


@cache
def _measure_statement(query: Callable[[], Select]) -> Select:
    # Built once: building the statements cost more than the database took to answer them.
    return query()


@dataclass
class OrganizationRow:
    id: int
    name: str
    kind: OrganizationKind
    country: str | None
    measured: dict[str, dict[int, int]] = field(repr=False)  # measure_counts() of every organization

    @cached_property
    def counts(self) -> dict[str, int]:
        """Measure key → this organization's count: worked out for the rows shown, not all."""
        return {measure.key: self.measured[measure.key].get(self.id, 0) for measure in MEASURES}


def measure_counts(organization_id: int | None = None) -> dict[str, dict[int, int]]:
    """measure key → {organization id → count}, for every organization or one."""
    counts: dict[str, dict[int, int]] = {measure.key: {} for measure in MEASURES}
    for query in dict.fromkeys(measure.query for measure in MEASURES):
        statement = _measure_statement(query)
        if organization_id is not None:
            statement = statement.where(statement.selected_columns[0] == organization_id)
        keys = [column.name for column in statement.selected_columns][1:]
        for oid, *values in db.session.execute(statement).tuples():
            if oid is not None:
                for key, value in zip(keys, values, strict=True):
                    counts[key][oid] = value
    return counts


def organization_table(sort: str = "name", descending: bool = False) -> list[OrganizationRow]:
    """Every active organization with its count for each measure, sorted by one column."""
    counts = measure_counts()
    organizations = db.session.execute(
        select(Organization.id, Organization.name, Organization.kind, Organization.country)
        .where(Organization.active.is_(True))
        .order_by(Organization.name)
    )
    rows = [OrganizationRow(o.id, o.name, o.kind, o.country, counts) for o in organizations]
    if sort in counts:
        by_sort = counts[sort]
        rows.sort(key=lambda row: (by_sort.get(row.id, 0), row.name.casefold()), reverse=descending)
    elif descending:
        rows.reverse()
    return rows


@dataclass
class RoundtableRow:
    id: int
    title: str
    starts_at: object
    status: str
    series_id: int | None
    invited: int = 0
    answered: int = 0
    registered: int = 0  # people holding a seat or waiting
    attended: int = 0  # people checked in
    responded: int = 0  # to the roundtable's published feedback forms
    audience: int = 0  # people those forms are for
    actions: int = 0  # action items agreed, dropped ones aside
    actions_done: int = 0

    @property
    def attendance_rate(self) -> float | None:
        """Checked in ÷ registered, None before anyone registered."""
        return self.attended / self.registered if self.registered else None

    @property
    def response_rate(self) -> float | None:
        """Responded ÷ audience of its feedback forms, None without a form."""
        return self.responded / self.audience if self.audience else None


def _feedback_by_roundtable() -> tuple[dict[int, int], dict[int, int]]:
    """Per roundtable: respondents and audience of its published feedback forms (two queries).

    The audience follows coordination.feedback.audience: active non-organizers of active
    organizations, narrowed to the attendees or to the chosen organizations."""
    responded = dict(
        db.session.execute(
            select(FeedbackForm.roundtable_id, func.count(FeedbackRespondent.id))
            .join(FeedbackRespondent, FeedbackRespondent.form_id == FeedbackForm.id)
            .where(FeedbackForm.roundtable_id.is_not(None), FeedbackForm.published_at.is_not(None))
            .group_by(FeedbackForm.roundtable_id)
        ).all()
    )
    audience = dict(
        db.session.execute(
            select(FeedbackForm.roundtable_id, func.count(User.id))
            .select_from(FeedbackForm)
            .join(User, User.active.is_(True) & (User.role != Role.ORGANIZER))
            .join(Organization, (Organization.id == User.organization_id) & Organization.active.is_(True))
            .where(
                FeedbackForm.roundtable_id.is_not(None),
                FeedbackForm.published_at.is_not(None),
                reaches(User.id, User.organization_id),
            )
            .group_by(FeedbackForm.roundtable_id)
        ).all()
    )
    return responded, audience


def roundtable_table() -> list[RoundtableRow]:
    """Every roundtable past its draft, newest first, with its invitation and attendance figures."""
    invitations = {
        row.roundtable_id: row
        for row in db.session.execute(
            select(
                Invitation.roundtable_id,
                func.count(Invitation.id).label("invited"),
                func.count(Invitation.id).filter(Invitation.status != "invited").label("answered"),
            ).group_by(Invitation.roundtable_id)
        )
    }
    people = {
        row.roundtable_id: row
        for row in db.session.execute(
            select(
                Registration.roundtable_id,
                func.count(Registration.id).filter(HOLDING).label("registered"),
                func.count(Registration.checked_in_at).label("attended"),
            ).group_by(Registration.roundtable_id)
        )
    }
    responded, audience = _feedback_by_roundtable()
    actions = {
        row.roundtable_id: row
        for row in db.session.execute(
            select(
                ActionItem.roundtable_id,
                func.count(ActionItem.id).label("agreed"),
                func.count(ActionItem.id).filter(ActionItem.status == "done").label("done"),
            )
            .where(ActionItem.status != "dropped")
            .group_by(ActionItem.roundtable_id)
        )
    }
    rows = []
    for r in db.session.execute(
        select(Roundtable.id, Roundtable.title, Roundtable.starts_at, Roundtable.status, Roundtable.series_id)
        .where(SHOWN)
        .order_by(Roundtable.starts_at.desc())
    ):
        row = RoundtableRow(r.id, r.title, r.starts_at, r.status, r.series_id)
        if r.id in invitations:
            row.invited, row.answered = invitations[r.id].invited, invitations[r.id].answered
        if r.id in people:
            row.registered, row.attended = people[r.id].registered, people[r.id].attended
        row.responded, row.audience = responded.get(r.id, 0), audience.get(r.id, 0)
        if r.id in actions:
            row.actions, row.actions_done = actions[r.id].agreed, actions[r.id].done
        rows.append(row)
    return rows


def not_engaged(last: int = 2) -> tuple[list[Roundtable], list[Organization]]:
    """The last `last` completed roundtables, and the active organizations invited to any of them
    whose people were checked in at none of them: the ones to follow up."""
    recent = list(
        db.session.scalars(
            select(Roundtable)
            .where(Roundtable.status == RoundtableStatus.COMPLETED)
            .order_by(Roundtable.starts_at.desc())
            .limit(last)
        )
    )
    ids = [roundtable.id for roundtable in recent]
    if not ids:
        return [], []
    attended = (
        select(Registration.organization_id)
        .where(Registration.roundtable_id.in_(ids), Registration.checked_in_at.is_not(None))
        .scalar_subquery()
    )
    invited = select(Invitation.organization_id).where(Invitation.roundtable_id.in_(ids)).scalar_subquery()
    organizations = db.session.scalars(
        select(Organization)
        .where(Organization.active.is_(True), Organization.id.in_(invited), Organization.id.not_in(attended))
        .order_by(Organization.name)
    )
    return recent, list(organizations)


def sdg_table() -> dict[int, dict[str, dict[str, int]]]:
    """Per SDG: the roundtables (past their draft) that carry it by status, and the action items
    tagged with it by status."""
    table: dict[int, dict[str, dict[str, int]]] = {}

    def entry(goal) -> dict[str, dict[str, int]]:
        return table.setdefault(int(goal), {"roundtables": {}, "actions": {}})

    for sdgs, status in db.session.execute(select(Roundtable.sdgs, Roundtable.status).where(SHOWN)):
        for goal in sdgs or []:
            counts = entry(goal)["roundtables"]
            counts[status] = counts.get(status, 0) + 1
    for goal, status, count in db.session.execute(
        select(ActionItem.sdg, ActionItem.status, func.count(ActionItem.id))
        .where(ActionItem.sdg.is_not(None))
        .group_by(ActionItem.sdg, ActionItem.status)
    ):
        entry(goal)["actions"][status] = count
    return dict(sorted(table.items()))


def series_history(roundtables: list[RoundtableRow] | None = None) -> list[dict]:
    """For each series with roundtables past their draft: the roundtables in order with their figures
    (`roundtables`: roundtable_table()'s rows, when the caller has them already)."""
    from coordination.roundtables.models import Series

    names = dict(db.session.execute(select(Series.id, Series.name)).all())
    by_series: dict[int, list[RoundtableRow]] = {}
    for row in roundtable_table() if roundtables is None else roundtables:
        if row.series_id is not None:
            by_series.setdefault(row.series_id, []).append(row)
    return [
        {"name": names.get(series_id, ""), "roundtables": sorted(rows, key=lambda r: r.starts_at)}
        for series_id, rows in sorted(by_series.items(), key=lambda item: names.get(item[0], ""))
    ]
