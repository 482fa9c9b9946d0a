"""All responses of a form as CSV or XLSX: one row per response, one column per question (two for
coded questions: the codes and the labels), streamed so that memory stays flat.

Rows come from one ordered query read in batches; cells that a spreadsheet would run as a formula
(starting with = + - @ tab or carriage return) are prefixed with a quote.

An anonymous form's export holds what its results page shows and no more: the responses released
so far, in the order of their random keys, with no day, and the kind of organization only where
the page shows that kind's group (anonymity.hidden_groups); none at all while fewer than MIN_GROUP.
"""

import csv
import io
import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.anonymity import MIN_GROUP
from coordination.feedback.models import (
    TEXT_KINDS,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackRespondent,
    FeedbackResponse,
    QuestionKind,
)
from coordination.feedback.results import kind_breakdown, labels_for, released_count
from coordination.spreadsheets import xlsx_cell

BATCH = 2000
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """A text cell that cannot be run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def header(form: FeedbackForm, words: dict) -> list[str]:
    if form.anonymous:
        columns = [words["response"], words["organization_kind"]]
    else:
        columns = [words["response"], words["submitted_on"], words["organization_kind"]]
        columns += [words["person"], words["email"], words["organization"]]
    for number, question in enumerate(form.questions, start=1):
        title = f"{number}. {question.label}"
        if question.kind in TEXT_KINDS or question.kind == QuestionKind.RATING:
            columns.append(title)
        else:
            columns += [f"{title} ({words['code']})", f"{title} ({words['label']})"]
    return columns


def rows(form: FeedbackForm, language: str, words: dict) -> Iterator[list]:
    """One list of cells per response, in the order of `header`."""
    if form.anonymous and released_count(form) < MIN_GROUP:
        return  # as on the results page: fewer than MIN_GROUP responses (older data) are not shown
    labels = {question.id: dict(labels_for(question, language, words)) for question in form.questions}
    questions = list(form.questions)
    # The kinds whose group the results page shows; the others are left blank.
    shown_kinds = {kind for kind, count in kind_breakdown(form) if count is not None}
    query = (
        select(
            FeedbackResponse.id,
            FeedbackResponse.submitted_on,
            FeedbackResponse.organization_kind,
            User.name,
            User.email,
            Organization.name,
            FeedbackAnswer.question_id,
            FeedbackAnswer.code,
            FeedbackAnswer.number,
            FeedbackAnswer.text,
        )
        .outerjoin(FeedbackAnswer, FeedbackAnswer.response_id == FeedbackResponse.id)
        .outerjoin(FeedbackRespondent, FeedbackRespondent.response_id == FeedbackResponse.id)
        .outerjoin(User, User.id == FeedbackRespondent.user_id)
        .outerjoin(Organization, Organization.id == FeedbackRespondent.organization_id)
        .where(FeedbackResponse.form_id == form.id)
        .order_by(FeedbackResponse.submitted_on, FeedbackResponse.id)
        .execution_options(yield_per=BATCH)
    )
    current, first, answers = None, None, {}
    for row in db.session.execute(query):
        if row[0] != current:
            if current is not None:
                yield _row(form, questions, labels, first, answers, words, shown_kinds)
            current, first, answers = row[0], row, {}
        if row.question_id is not None:
            answers.setdefault(row.question_id, []).append(row)
    if current is not None:
        yield _row(form, questions, labels, first, answers, words, shown_kinds)


def _row(form, questions, labels, first, answers, words, shown_kinds) -> list:
    kind = first.organization_kind if (first.organization_kind or "") in shown_kinds else None
    if form.anonymous:
        cells = [first[0], words["kinds"].get(kind, "")]
    else:
        cells = [first[0], first.submitted_on.isoformat(), words["kinds"].get(kind, "")]
        cells += [first[3] or "", first.email or "", first[5] or ""]
    for question in questions:
        given = answers.get(question.id, [])
        if question.kind in TEXT_KINDS:
            cells.append(given[0].text if given else "")
        elif question.kind == QuestionKind.RATING:
            cells.append(given[0].number if given else "")
        else:
            # In the options' order: the answers' keys are random, their order means nothing.
            order = list(labels[question.id])
            codes = sorted(
                (answer.code for answer in given),
                key=lambda code: order.index(code) if code in order else len(order),
            )
            cells.append("; ".join(codes))
            cells.append("; ".join(labels[question.id].get(code, code) for code in codes))
    return [neutralize(cell) for cell in cells]


class _Line:
    """A file-like object that keeps what csv.writer writes, for one line at a time."""

    def __init__(self):
        self.buffer = io.StringIO()

    def take(self) -> str:
        value = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return value


def csv_header(form: FeedbackForm, words: dict) -> str:
    """The first line of the CSV, with a byte-order mark so that Excel reads the accents."""
    line = _Line()
    csv.writer(line.buffer).writerow([neutralize(cell) for cell in header(form, words)])
    return "\ufeff" + line.take()


def csv_lines(form: FeedbackForm, language: str, words: dict) -> Iterator[str]:
    """The CSV lines of the responses, one by one (after `csv_header`)."""
    line = _Line()
    writer = csv.writer(line.buffer)
    for cells in rows(form, language, words):
        writer.writerow(cells)
        yield line.take()


def xlsx_file(form: FeedbackForm, language: str, words: dict):
    """A temporary file (deleted when closed) holding the workbook, written in write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=words["sheet"][:31])
    # Answers saved before control characters were refused would make openpyxl refuse the sheet.
    sheet.append([xlsx_cell(neutralize(cell)) for cell in header(form, words)])
    for cells in rows(form, language, words):
        sheet.append([xlsx_cell(cell) for cell in cells])
    # Closed (and so deleted) by the response that sends it, not here.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
