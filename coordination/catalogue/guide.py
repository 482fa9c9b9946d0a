"""The eligibility guide: which services may apply to a migrant, from answers that are never stored.

Everything here is computed from the services and the answers given; nothing is written or logged.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from coordination.catalogue.models import ANSWERS, Criterion, Outcome

APPLIES = "applies"
ASK_IOM = "ask"
NOT_APPLICABLE = "not_applicable"
RESULT_LABELS = {
    APPLIES: _l("May apply"),
    ASK_IOM: _l("Ask IOM"),
    NOT_APPLICABLE: _l("Does not apply"),
}
FIELD_PREFIX = "answer-"


@dataclass(frozen=True)
class GuideLink:
    """What a service does with the answers to one criterion."""

    criterion: Criterion
    on_yes: str
    on_no: str
    on_unknown: str

    def outcome(self, answer: str) -> str:
        """What `answer` ("yes", "no", anything else: don't know) means for the service."""
        if answer == "yes":
            return self.on_yes
        if answer == "no":
            return self.on_no
        return self.on_unknown


@dataclass(frozen=True)
class GuideService:
    """A service as the guide weighs it and the referral sheet shows it."""

    id: int
    key: str
    texts: dict
    service_area: str
    links: list[GuideLink]


@dataclass
class ServiceResult:
    service: GuideService
    status: str
    # (criterion, answer) pairs that put the service out of reach, or that IOM must look at.
    reasons: list[tuple[Criterion, str]] = field(default_factory=list)


def field_name(criterion: Criterion) -> str:
    return f"{FIELD_PREFIX}{criterion.id}"


def read_answers(values, criteria: list[Criterion]) -> dict[int, str]:
    """The valid answers in the request's `values` (a form or query), by criterion id."""
    answers = {}
    for criterion in criteria:
        answer = values.get(field_name(criterion))
        if answer in ANSWERS:
            answers[criterion.id] = answer
    return answers


@dataclass(frozen=True)
class Move:
    """Where the guide goes next: the question to show (None: the sheet), and why it stays."""

    step: int | None
    unanswered: bool = False
    restart: bool = False


def next_step(questions: list[Criterion], answers: dict[int, str], step, action) -> Move:
    """The step after `action` ("next", "back", "result", "restart") from question `step`.

    "Next" without an answer to the current question stays on it; past the last question, or on
    "result", comes the sheet.
    """
    try:
        step = min(max(int(step or 0), 0), len(questions))
    except (TypeError, ValueError):
        step = 0
    if action == "restart":
        return Move(0, restart=True)
    if action == "back":
        return Move(max(step - 1, 0))
    if action == "result":
        return Move(None)
    if step < len(questions):
        if questions[step].id not in answers:
            return Move(step, unanswered=True)
        step += 1
    return Move(None if step >= len(questions) else step)


def evaluate_service(service: GuideService, answers: dict[int, str]) -> ServiceResult:
    """One service: it does not apply when an answer disqualifies; IOM must judge when an answer
    says so (an unanswered question counts as "don't know"); else it may apply."""
    disqualifying, doubtful = [], []
    for link in service.links:
        answer = answers.get(link.criterion.id, "unknown")
        outcome = link.outcome(answer)
        if outcome == Outcome.DISQUALIFIES:
            disqualifying.append((link.criterion, answer))
        elif outcome == Outcome.ASK:
            doubtful.append((link.criterion, answer))
    if disqualifying:
        return ServiceResult(service, NOT_APPLICABLE, disqualifying)
    if doubtful:
        return ServiceResult(service, ASK_IOM, doubtful)
    return ServiceResult(service, APPLIES)


def evaluate(services: list[GuideService], answers: dict[int, str]) -> dict[str, list[ServiceResult]]:
    """The services grouped by result, each group in the catalogue's order."""
    grouped: dict[str, list[ServiceResult]] = {APPLIES: [], ASK_IOM: [], NOT_APPLICABLE: []}
    for service in services:
        result = evaluate_service(service, answers)
        grouped[result.status].append(result)
    return grouped
