"""Exports: one row per response and one column per question (codes and labels), cell for cell
what the database holds, safe from formula injection, for 10,000 responses."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from coordination.extensions import db
from coordination.feedback.models import FeedbackAnswer, FeedbackResponse
from tests.conftest import login
from tests.feedback.conftest import THREE_QUESTIONS, bulk_responses, make_form

SERVICES = ("health", "avrr", "protection")
LABELS = {"health": "Health", "avrr": "AVRR", "protection": "Protection"}
COUNT = 10_000


def _answers(form):
    rating, multiple, text = form.questions

    def answers_of(n):
        given = [(rating, str(n % 5 + 1), n % 5 + 1, None)]
        given += [(multiple, code, None, None) for i, code in enumerate(SERVICES) if (n >> i) & 1]
        if n == 7:
            given.append((text, None, None, '=HYPERLINK("http://evil.example","Click")'))
        elif n % 4 == 0:
            given.append((text, None, None, f"Comment number {n}, with a comma"))
        return given

    return answers_of


def _expected(form) -> dict[str, list]:
    """What each response's question cells must hold, read back from the database."""
    rating, multiple, text = form.questions
    expected: dict[str, dict] = {}
    for response_id, question_id, code, number, value in db.session.execute(
        select(
            FeedbackAnswer.response_id,
            FeedbackAnswer.question_id,
            FeedbackAnswer.code,
            FeedbackAnswer.number,
            FeedbackAnswer.text,
        ).order_by(FeedbackAnswer.id)
    ):
        expected.setdefault(response_id, {}).setdefault(question_id, []).append((code, number, value))
    rows = {}
    for response_id in db.session.scalars(
        select(FeedbackResponse.id).where(FeedbackResponse.form_id == form.id)
    ):
        given = expected.get(response_id, {})
        # In the options' order: the answers' keys are random (tests/security/test_anonymous_feedback.py).
        codes = sorted((code for code, _, _ in given.get(multiple.id, [])), key=SERVICES.index)
        text_value = given.get(text.id, [(None, None, "")])[0][2]
        rows[response_id] = [
            given[rating.id][0][1] if rating.id in given else "",
            "; ".join(codes),
            "; ".join(LABELS[code] for code in codes),
            text_value,
        ]
    return rows


def test_csv_and_xlsx_hold_every_response_cell_for_cell(client, organizer):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    bulk_responses(form, COUNT, _answers(form))
    expected = _expected(form)
    login(client, organizer)

    response = client.get(f"/feedback/{form.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = lines[0], lines[1:]
    # No day on an anonymous form: it would pair a row with its respondent (tests/security).
    assert header == [
        "Response", "Kind of organization", "1. How useful was the roundtable?",
        "2. Which services should we present next? (code)",
        "2. Which services should we present next? (label)",
        "3. What should we change?",
    ]  # fmt: skip
    assert len(body) == COUNT
    for row in body:
        cells = expected[row[0]]
        assert row[1] == "Embassy"
        assert row[2:] == [str(cells[0]), cells[1], cells[2], _safe(cells[3])], row

    workbook = load_workbook(io.BytesIO(client.get(f"/feedback/{form.id}/export.xlsx").data), read_only=True)
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert list(sheet_rows[0]) == header
    assert len(sheet_rows) == COUNT + 1
    for row in sheet_rows[1:]:
        cells = expected[row[0]]
        assert [row[2], row[3] or "", row[4] or "", row[5] or ""] == [
            cells[0],
            cells[1],
            cells[2],
            _safe(cells[3]),
        ]
    hyperlink = [row for row in sheet_rows[1:] if row[5] and "HYPERLINK" in row[5]]
    assert [row[5] for row in hyperlink] == ['\'=HYPERLINK("http://evil.example","Click")']
    assert all(not (isinstance(cell, str) and cell.startswith("=")) for row in sheet_rows for cell in row)


def _safe(value: str) -> str:
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def test_named_export_names_the_respondents(client, organizer, focal_point):
    from werkzeug.datastructures import MultiDict

    from coordination.feedback import answers

    form = make_form(organizer, THREE_QUESTIONS)
    rating, multiple, text = form.questions
    answers.submit_response(
        focal_point,
        form,
        answers.raw_answers(
            form,
            MultiDict([(f"q{rating.id}", "2"), (f"q{multiple.id}", "avrr"), (f"q{text.id}", "@SUM(A1)")]),
        ),
    )
    db.session.commit()
    login(client, organizer)
    lines = list(
        csv.reader(io.StringIO(client.get(f"/feedback/{form.id}/export.csv").get_data(as_text=True)))
    )
    assert lines[0][3:6] == ["Person", "Email", "Organization"]
    assert lines[1][3:] == [
        "Fatima Focal",
        "focal@sd.example",
        "Embassy of Sudan",
        "2",
        "avrr",
        "AVRR",
        "'@SUM(A1)",
    ]
