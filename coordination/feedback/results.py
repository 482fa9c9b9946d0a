"""Results of a form, computed in SQL: counts per question and per code, rating distributions,
response rate, who has not answered, and the free-text answers.

The number of queries does not depend on the number of responses. Results of an anonymous form
never show a group of fewer than MIN_GROUP responses apart (no breakdown, no filter on it), nor one
that the total minus the shown groups would give (anonymity.hidden_groups); they hold only the
responses released so far, which come in groups of at least MIN_GROUP (anonymity.release_pending).
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import aliased

from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.anonymity import MIN_GROUP, shown_counts
from coordination.feedback.audience import audience_users
from coordination.feedback.invitations import non_respondents
from coordination.feedback.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    FeedbackAnswer,
    FeedbackAnswerTally,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackRespondent,
    FeedbackResponse,
    FeedbackResponseTally,
    OnePer,
    QuestionKind,
)
from coordination.feedback.rules import RATINGS, YES_NO
from coordination.feedback.tallies import ANSWERED
from coordination.taxonomy import SERVICE_AREAS

NON_RESPONDENTS_SHOWN = 100


@dataclass
class Filters:
    kind: str | None = None
    organization_id: int | None = None

    def active(self) -> bool:
        return bool(self.kind or self.organization_id)


@dataclass
class Row:
    code: str
    label: str
    count: int
    share: float  # of the responses that answered the question, in percent


@dataclass
class QuestionResult:
    question: FeedbackQuestion
    answered: int
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None


@dataclass
class Results:
    responses: int
    questions: list[QuestionResult]
    kinds: list[tuple[str, int | None]]  # kind, count (None: fewer than MIN_GROUP, not shown)
    refused_filter: bool = False


def filtered_responses(form: FeedbackForm, filters: Filters):
    """The select of the ids of the form's responses that match the filters."""
    query = select(FeedbackResponse.id).where(FeedbackResponse.form_id == form.id)
    if filters.kind:
        query = query.where(FeedbackResponse.organization_kind == filters.kind)
    if filters.organization_id and not form.anonymous:
        query = query.join(FeedbackRespondent, FeedbackRespondent.response_id == FeedbackResponse.id).where(
            FeedbackRespondent.organization_id == filters.organization_id
        )
    return query


def labels_for(question: FeedbackQuestion, language: str, kind_labels: dict) -> list[tuple[str, str]]:
    """(code, label) of every possible answer of a coded question, in order."""
    if question.kind in CHOICE_KINDS:
        return [(option.code, option.label_in(language)) for option in question.options]
    if question.kind == QuestionKind.YES_NO:
        return list(zip(YES_NO, (kind_labels["yes"], kind_labels["no"]), strict=True))
    if question.kind == QuestionKind.SERVICE_AREA:
        names = kind_labels.get("service_areas") or SERVICE_AREAS
        return [(code, str(names[code])) for code in SERVICE_AREAS]
    if question.kind == QuestionKind.RATING:
        return [(code, code) for code in RATINGS]
    return []


def _kind_counts(form: FeedbackForm) -> dict[str, int]:
    """Responses in the results per kind of organization ("" for none), from the tallies."""
    return dict(
        db.session.execute(
            select(FeedbackResponseTally.organization_kind, FeedbackResponseTally.responses).where(
                FeedbackResponseTally.form_id == form.id, FeedbackResponseTally.responses > 0
            )
        ).all()
    )


def kind_breakdown(form: FeedbackForm, counts: dict[str, int] | None = None) -> list[tuple[str, int | None]]:
    """Responses per kind of organization ("" for none); on an anonymous form, None stands for a
    count that is hidden (small, or the complement of one)."""
    counts = _kind_counts(form) if counts is None else counts
    shown = shown_counts(counts) if form.anonymous else counts
    return sorted(shown.items())


def released_count(form: FeedbackForm) -> int:
    """The responses in the results (on an anonymous form, those released so far)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(FeedbackResponseTally.responses), 0)).where(
            FeedbackResponseTally.form_id == form.id
        )
    )


def compute(form: FeedbackForm, filters: Filters, language: str, kind_labels: dict) -> Results:
    """Every question's counts, read from the form's tallies (a few rows per question and kind of
    organization, whatever the number of responses); filtered by organization, from that
    organization's answers."""
    by_kind = _kind_counts(form)
    kinds = kind_breakdown(form, by_kind)
    if form.anonymous and (
        (filters.kind and dict(kinds).get(filters.kind) is None) or 0 < sum(by_kind.values()) < MIN_GROUP
    ):
        # A filter that narrows an anonymous form's results to a handful would point at people;
        # so would results of fewer than MIN_GROUP responses in all (responses of before the
        # release rule).
        return Results(responses=0, questions=[], kinds=kinds, refused_filter=True)
    if filters.organization_id and not form.anonymous:
        total, answered, counts = _counted(form, filters)
    else:
        total, answered, counts = _tallied(form, filters.kind, by_kind)
    results = []
    for question in form.questions:
        result = QuestionResult(question=question, answered=answered.get(question.id, 0))
        if question.kind not in TEXT_KINDS:
            for code, label in labels_for(question, language, kind_labels):
                count = counts.get((question.id, code), 0)
                share = 100.0 * count / result.answered if result.answered else 0.0
                result.rows.append(Row(code=code, label=label, count=count, share=share))
            if question.kind == QuestionKind.RATING and result.answered:
                result.mean = sum(int(row.code) * row.count for row in result.rows) / result.answered
        results.append(result)
    return Results(responses=total, questions=results, kinds=kinds)


def _tallied(form: FeedbackForm, kind: str | None, by_kind: dict[str, int]):
    """(responses, answered per question, count per question and code) from the tallies, of one
    kind of organization or of all."""
    query = (
        select(
            FeedbackAnswerTally.question_id, FeedbackAnswerTally.code, func.sum(FeedbackAnswerTally.responses)
        )
        .where(FeedbackAnswerTally.form_id == form.id)
        .group_by(FeedbackAnswerTally.question_id, FeedbackAnswerTally.code)
    )
    if kind:
        query = query.where(FeedbackAnswerTally.organization_kind == kind)
    answered, counts = {}, {}
    for question_id, code, count in db.session.execute(query):
        if code == ANSWERED:
            answered[question_id] = count
        else:
            counts[(question_id, code)] = count
    total = by_kind.get(kind, 0) if kind else sum(by_kind.values())
    return total, answered, counts


def _counted(form: FeedbackForm, filters: Filters):
    """(responses, answered per question, count per question and code) of the responses that match
    the filters, counted from their answers."""
    responses = filtered_responses(form, filters)
    total = db.session.scalar(select(func.count()).select_from(responses.subquery()))
    scope = FeedbackAnswer.response_id.in_(responses)
    # Distinct pairs first, then counted: a count(DISTINCT) per group sorts every answer.
    pairs = select(FeedbackAnswer.question_id, FeedbackAnswer.response_id).where(scope).distinct().subquery()
    answered = dict(
        db.session.execute(select(pairs.c.question_id, func.count()).group_by(pairs.c.question_id)).all()
    )
    counts = {
        (question_id, code): count
        for question_id, code, count in db.session.execute(
            select(FeedbackAnswer.question_id, FeedbackAnswer.code, func.count())
            .where(scope, FeedbackAnswer.code.is_not(None))
            .group_by(FeedbackAnswer.question_id, FeedbackAnswer.code)
        )
    }
    return total, answered, counts


def text_answers(question: FeedbackQuestion, search: str | None, page: int):
    """A page of a text question's answers, with who wrote them, newest first, on a named form; on
    an anonymous form in the order of their random keys, which is no order of time.

    The page is counted and cut on the answers' ids; its rows are then read in one query.
    """
    ids = (
        select(FeedbackAnswer.id)
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(FeedbackAnswer.question_id == question.id, FeedbackAnswer.text.is_not(None))
    )
    if question.form.anonymous:
        ids = ids.order_by(FeedbackAnswer.id)
    else:
        ids = ids.outerjoin(
            FeedbackRespondent, FeedbackRespondent.response_id == FeedbackResponse.id
        ).order_by(FeedbackResponse.submitted_on.desc(), FeedbackRespondent.id.desc(), FeedbackAnswer.id)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        ids = ids.where(FeedbackAnswer.text.ilike(f"%{escaped}%", escape="\\"))
    pagination = db.paginate(ids, page=page, per_page=25, error_out=False, count=True)
    rows = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(
                FeedbackAnswer.id,
                FeedbackAnswer.text,
                FeedbackResponse.submitted_on,
                User.name,
                Organization.name,
            )
            .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
            .outerjoin(FeedbackRespondent, FeedbackRespondent.response_id == FeedbackResponse.id)
            .outerjoin(User, User.id == FeedbackRespondent.user_id)
            .outerjoin(Organization, Organization.id == FeedbackRespondent.organization_id)
            .where(FeedbackAnswer.id.in_(pagination.items))
        )
    }
    pagination.items = [rows[answer_id] for answer_id in pagination.items]
    return pagination


@dataclass
class Rate:
    responded: int
    audience: int
    unit: str  # "person" or "organization"

    @property
    def percent(self) -> float:
        return 100.0 * self.responded / self.audience if self.audience else 0.0


def response_rate(form: FeedbackForm) -> Rate:
    """Respondents over the audience, in people or, for one-per-organization forms, organizations."""
    audience = audience_users(form).subquery()
    responded = db.session.scalar(
        select(func.count()).select_from(FeedbackRespondent).where(FeedbackRespondent.form_id == form.id)
    )
    if form.one_per == OnePer.ORGANIZATION:
        size = db.session.scalar(select(func.count(distinct(audience.c.organization_id))))
        return Rate(responded=responded, audience=size, unit=OnePer.ORGANIZATION)
    size = db.session.scalar(select(func.count()).select_from(audience))
    return Rate(responded=responded, audience=size, unit=OnePer.PERSON)


def reach(form: FeedbackForm) -> tuple[Rate, list, int]:
    """The response rate, and up to NON_RESPONDENTS_SHOWN audience members (or organizations)
    without a response with how many there are; for a form answered once per person, the audience
    is counted once for both figures."""
    if form.anonymous or form.one_per == OnePer.ORGANIZATION:
        return response_rate(form), *(([], 0) if form.anonymous else not_answered(form))
    responded = (
        select(func.count())
        .select_from(FeedbackRespondent)
        .where(FeedbackRespondent.form_id == form.id)
        .scalar_subquery()
    )
    # Outer joins on the respondents' two unique keys (at most one row each): hash joins on
    # PostgreSQL, where a NOT EXISTS inside the sum is a subquery per person.
    by_person, by_organization = aliased(FeedbackRespondent), aliased(FeedbackRespondent)
    size, total, responded = db.session.execute(
        audience_users(form)
        .outerjoin(by_person, and_(by_person.form_id == form.id, by_person.user_id == User.id))
        .outerjoin(
            by_organization,
            and_(
                by_organization.form_id == form.id, by_organization.organization_key == User.organization_id
            ),
        )
        .with_only_columns(
            func.count(),
            func.coalesce(
                func.sum(case((and_(by_person.id.is_(None), by_organization.id.is_(None)), 1), else_=0)), 0
            ),
            responded,
        )
    ).one()
    rows = db.session.execute(
        non_respondents(form)
        .with_only_columns(User.name, Organization.name)
        .order_by(Organization.name, User.name)
        .limit(NON_RESPONDENTS_SHOWN)
    ).all()
    return Rate(responded=responded, audience=size, unit=OnePer.PERSON), [tuple(row) for row in rows], total


def not_answered(form: FeedbackForm) -> tuple[list, int]:
    """Up to NON_RESPONDENTS_SHOWN audience members (or organizations) without a response, and how many."""
    pending = non_respondents(form).subquery()
    if form.one_per == OnePer.ORGANIZATION:
        query = select(Organization).where(Organization.id.in_(select(pending.c.organization_id)))
        total = db.session.scalar(select(func.count(distinct(pending.c.organization_id))))
        shown = db.session.scalars(query.order_by(Organization.name).limit(NON_RESPONDENTS_SHOWN)).all()
        return [(organization.name, None) for organization in shown], total
    total = db.session.scalar(select(func.count()).select_from(pending))
    rows = db.session.execute(
        select(pending.c.name, Organization.name)
        .join(Organization, Organization.id == pending.c.organization_id)
        .order_by(Organization.name, pending.c.name)
        .limit(NON_RESPONDENTS_SHOWN)
    ).all()
    return [(row[0], row[1]) for row in rows], total


def responding_organizations(form: FeedbackForm) -> list[tuple[int, str]]:
    """Organizations with a response to a named form, for the filter (empty for an anonymous one)."""
    if form.anonymous:
        return []
    return db.session.execute(
        select(Organization.id, Organization.name)
        .where(
            Organization.id.in_(
                select(FeedbackRespondent.organization_id).where(FeedbackRespondent.form_id == form.id)
            )
        )
        .order_by(Organization.name)
    ).all()
