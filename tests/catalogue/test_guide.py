"""The eligibility guide: outcomes for a set of four services, one question per criterion, and
nothing about the migrant kept anywhere (no row, no log line, no address)."""

import logging
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from coordination.extensions import db
from tests.catalogue.conftest import A, D, Q, make_criterion, make_service
from tests.conftest import login
from tests.factories import PASSWORD


@pytest.fixture
def four_services(organizer):
    """Four services sharing four criteria (the outcome table of the test below follows from them)."""
    outside = make_criterion(organizer, "Is the person outside their country of origin?", 0)
    wishes = make_criterion(organizer, "Does the person wish to return voluntarily?", 1)
    documents = make_criterion(organizer, "Does the person hold or can obtain travel documents?", 2)
    vulnerable = make_criterion(organizer, "Is the person in a vulnerable situation?", 3)
    services = {
        "local": make_service(organizer, "Localized assistance", [(outside, Q, D, A), (vulnerable, Q, D, A)]),
        "avrr": make_service(
            organizer,
            "AVRR",
            [(outside, Q, D, A), (wishes, Q, D, A), (documents, Q, D, A)],
            service_area="avrr",
        ),
        "health": make_service(
            organizer, "Health", [(outside, Q, D, A), (vulnerable, Q, A, A)], service_area="health"
        ),
        "shelter": make_service(organizer, "Shelter for victims", [(vulnerable, Q, D, A)]),
    }
    criteria = [outside, wishes, documents, vulnerable]
    return services, criteria


def answers_form(criteria, answers: str, **extra) -> dict:
    """The guide's form for answers written as letters (Y, N, U; "-" leaves the question unanswered)."""
    values = {"Y": "yes", "N": "no", "U": "unknown"}
    data = {
        f"answer-{criterion.id}": values[letter]
        for criterion, letter in zip(criteria, answers, strict=True)
        if letter != "-"
    }
    return {**data, **extra}


def results(page: str) -> dict[str, str]:
    """Which group each service landed in on the referral sheet, by service key."""
    return dict(re.findall(r'data-service="([^"]+)" data-result="([^"]+)"', page))


APPLIES, ASK, NO = "applies", "ask", "not_applicable"

# (outside, wishes to return, travel documents, vulnerable) → local, avrr, health, shelter
OUTCOMES = [
    ("YYYY", (APPLIES, APPLIES, APPLIES, APPLIES)),
    ("NYYY", (NO, NO, NO, APPLIES)),
    ("YNYY", (APPLIES, NO, APPLIES, APPLIES)),
    ("YYNN", (NO, NO, ASK, NO)),
    ("YYUY", (APPLIES, ASK, APPLIES, APPLIES)),
    ("UUUU", (ASK, ASK, ASK, ASK)),
    ("YUYN", (NO, ASK, ASK, NO)),
    ("N--U", (NO, NO, NO, ASK)),
]


@pytest.mark.parametrize(("answers", "expected"), OUTCOMES, ids=[answers for answers, _ in OUTCOMES])
def test_the_sheet_sorts_the_four_services_by_the_answers(client, member, four_services, answers, expected):
    services, criteria = four_services
    login(client, member)
    response = client.post(
        "/guide", data=answers_form(criteria, answers, step=len(criteria), action="result")
    )
    assert response.status_code == 200
    keys = [services[name].key for name in ("local", "avrr", "health", "shelter")]
    assert results(response.get_data(as_text=True)) == dict(zip(keys, expected, strict=True))


def test_the_sheet_says_why_a_service_does_not_apply(client, member, four_services):
    _services, criteria = four_services
    login(client, member)
    page = client.post("/guide", data=answers_form(criteria, "NYYY", step=4, action="result")).get_data(
        as_text=True
    )
    no_section = page[page.index('id="no-heading"') : page.index('id="next-heading"')]
    assert "Because:" in no_section
    assert "Is the person outside their country of origin?" in no_section


def test_each_question_is_asked_once_even_when_several_services_ask_it(client, member, four_services):
    _services, criteria = four_services
    login(client, member)
    page = client.get("/guide").get_data(as_text=True)
    assert "Question 1 of 4" in page
    assert criteria[0].texts["question"]["en"] in page
    seen = [criteria[0].texts["question"]["en"]]
    data = {"step": "0", "action": "next", f"answer-{criteria[0].id}": "yes"}
    for step, criterion in enumerate(criteria[1:], start=1):
        page = client.post("/guide", data=data).get_data(as_text=True)
        assert f"Question {step + 1} of 4" in page
        question = criterion.texts["question"]["en"]
        assert question in page and question not in seen
        seen.append(question)
        # The earlier answers ride along as hidden fields, never in the address.
        assert all(f'name="answer-{earlier.id}" value=' in page for earlier in criteria[:step])
        data = {**data, "step": str(step), f"answer-{criterion.id}": "unknown"}
    page = client.post("/guide", data=data).get_data(as_text=True)
    assert "Referral sheet" in page
    assert page.count("Is the person outside their country of origin?") == 1  # in "Answers given" only


def test_next_without_an_answer_asks_again_and_keeps_the_earlier_answers(client, member, four_services):
    _services, criteria = four_services
    login(client, member)
    page = client.post(
        "/guide", data={"step": "1", "action": "next", f"answer-{criteria[0].id}": "no"}
    ).get_data(as_text=True)
    assert "Choose an answer: yes, no or don&#39;t know." in page
    assert "Question 2 of 4" in page
    assert f'name="answer-{criteria[0].id}" value="no"' in page


def test_back_returns_to_the_previous_question_with_its_answer_chosen(client, member, four_services):
    _services, criteria = four_services
    login(client, member)
    page = client.post(
        "/guide",
        data={"step": "1", "action": "back", f"answer-{criteria[0].id}": "no"},
    ).get_data(as_text=True)
    assert "Question 1 of 4" in page
    assert re.search(r'value="no"\s+autocomplete="off" checked', page)


def _row_counts() -> dict[str, int]:
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_the_guide_writes_no_row_and_logs_no_answer(app, client, focal_point, four_services, caplog):
    _services, criteria = four_services
    login(client, focal_point)
    caplog.set_level(logging.DEBUG)
    before = _row_counts()
    client.get("/guide")
    data = {"step": "0", "action": "next"}
    for step, (criterion, answer) in enumerate(zip(criteria, ("yes", "no", "unknown", "yes"), strict=True)):
        data = {**data, "step": str(step), f"answer-{criterion.id}": answer}
        response = client.post("/guide", data=data)
        assert response.status_code == 200
    assert "Referral sheet" in response.get_data(as_text=True)
    sheet = client.post("/guide", data={**data, "step": "4", "action": "result", "sheet_language": "fr"})
    assert sheet.status_code == 200
    assert _row_counts() == before
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "answer-" not in logged
    assert not re.search(r"\b(yes|unknown)\b", logged)
    for criterion in criteria:
        assert criterion.texts["question"]["en"] not in logged


def test_the_sheet_is_printed_in_the_language_chosen_for_it(client, member, four_services):
    _services, criteria = four_services
    login(client, member)
    page = client.post(
        "/guide", data=answers_form(criteria, "YYYY", step=4, action="result", sheet_language="ar")
    ).get_data(as_text=True)
    with force_locale("ar"):
        heading = gettext("Referral sheet")
        mark = gettext("not yet translated")
    assert '<html lang="ar" dir="rtl">' in page
    assert heading in page
    # The services have English texts only: shown in English, marked.
    assert mark in page and "Localized assistance" in page
    assert "catalogue-print.css" in page  # the print stylesheet that hides the navigation


def test_anonymous_visitors_walk_the_guide_only_when_the_catalogue_is_public(
    client, public_catalogue, four_services
):
    _services, criteria = four_services
    data = answers_form(criteria, "YYYY", step=4, action="result")
    assert client.post("/guide", data=data).status_code == 200
    public_catalogue.config["CATALOGUE_PUBLIC"] = False
    response = client.post("/guide", data=data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_guide_without_criteria_says_so(client, member):
    login(client, member)
    page = client.get("/guide").get_data(as_text=True)
    assert "The catalogue has no eligibility criteria yet: ask IOM directly." in page


def test_the_first_question_carries_the_reader_s_own_csrf_token(csrf_app, member, four_services):
    _services, criteria = four_services
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": member.email, "password": PASSWORD, "csrf_token": token})
    for _ in range(2):  # the token is the session's every time
        page = client.get("/guide").get_data(as_text=True)
        form = page[page.index('action="/guide"') :]
        guide_token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        data = {"step": "0", "action": "next", f"answer-{criteria[0].id}": "yes"}
        assert client.post("/guide", data={**data, "csrf_token": guide_token}).status_code == 200
    assert client.post("/guide", data=data).status_code == 400


def test_the_sheet_costs_the_same_queries_for_4_and_30_services(
    client, member, organizer, four_services, count_queries
):
    _services, criteria = four_services
    login(client, member)
    data = answers_form(criteria, "YYUN", step=4, action="result")
    with count_queries() as few:
        assert client.post("/guide", data=data).status_code == 200
    for number in range(26):
        make_service(organizer, f"Extra service {number}", [(criteria[number % 4], Q, D, A)])
    with count_queries() as many:
        page = client.post("/guide", data=data).get_data(as_text=True)
    assert len(results(page)) == 30
    assert len(many) == len(few)
