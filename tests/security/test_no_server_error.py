"""No input gives a server error: property tests that drive every route's ids, every page's query
string and every form's fields with values at and beyond the bounds (huge and negative numbers,
years 1 and 9999, NUL and other control characters, very long text), on the demo dataset, as an
organizer (who sees every page) and as a visitor who is not signed in. Each answer must be a page,
a form error, a redirect, 400, 403 or 404, and a refused form must leave every table as it was.

Then one regression test for each case the trust issue named.
"""

import io
import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from werkzeug.routing import IntegerConverter

from coordination import demo
from coordination.auth.models import User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.feedback.models import FeedbackResponse
from coordination.inputs import MAX_INTEGER
from coordination.library.models import Collection
from coordination.roundtables.models import Minutes
from tests.security.site import Form, crawl

# No shrinking: each example walks the whole site, and the assertion names the request anyway.
PROPERTY = settings(
    max_examples=3,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.large_base_example,
        HealthCheck.data_too_large,
    ],
)
REFUSED_OR_SHOWN = {200, 302, 303, 400, 403, 404, 405, 409, 413, 429}

# Hypothesis tries the simplest value first (a list's first item, a union's first branch), so the
# nastiest come first: one example already reaches every bound, later ones wander around them.
EDGE_INTEGERS = [10**30, 2**31, 2**63, -(2**31) - 1, 2**31 - 1, 2**63 - 1, -(10**30), 0, -1]
big_integers = st.one_of(
    st.sampled_from(EDGE_INTEGERS), st.integers(min_value=2**31), st.integers(max_value=-(2**31) - 1)
)
beyond_any_id = st.one_of(st.sampled_from([2**31, 2**63, 10**30]), st.integers(min_value=2**31))
any_integers = st.one_of(big_integers, st.integers(min_value=1, max_value=MAX_INTEGER), st.integers())
nasty_dates = st.one_of(
    st.sampled_from([date(9999, 12, 31), date(1, 1, 1), date(1899, 12, 31), date(2201, 1, 1)]), st.dates()
)
nasty_datetimes = st.one_of(
    st.sampled_from([datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59)]), st.datetimes()
)
control_texts = st.one_of(
    st.sampled_from(["a\x00b", "\x00", "a\x0bb", "\x1b[31m", "\x0c"]),
    st.text(alphabet=st.characters(max_codepoint=0x3F), min_size=1, max_size=12),
)
LONG_TEXT = "x" * 51_000  # longer than any field allows, and than SQLite's longest LIKE pattern
short_texts = st.one_of(st.sampled_from(["١٢٣", "²", "1e400", "-0", " 7 "]), st.text(max_size=30))
odd_texts = st.one_of(short_texts, st.just(LONG_TEXT))
nasty_texts = st.one_of(control_texts, odd_texts, any_integers.map(str), nasty_dates.map(date.isoformat))
INTEGER_ARGUMENTS = ("page", "per_page", "roundtable", "organization", "collection", "sdg")
DATE_ARGUMENTS = ("since", "until")
TEXT_ARGUMENTS = ("q", "kind", "status", "action", "sort", "dir", "key", "language", "next", "tag",
                  "service_area", "country")  # fmt: skip
ARGUMENTS = INTEGER_ARGUMENTS + DATE_ARGUMENTS + TEXT_ARGUMENTS
TEXT_KINDS = {"text", "textarea", "search", "email", "url", "tel", "password"}
CHOICE_KINDS = {"select", "hidden", "radio", "checkbox", "number"}


@pytest.fixture
def demo_site(app, client):
    """The demo dataset, the client signed in as its organizer, and what the organizer can reach."""
    demo.seed_demo()
    db.session.commit()
    app.config["RATELIMIT_ENABLED"] = False
    response = client.post("/login", data={"email": demo.ORGANIZER_EMAIL, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    yield crawl(app, client)
    app.config["RATELIMIT_ENABLED"] = True


def row_counts() -> tuple:
    """The number of rows of every table, in one statement."""
    db.session.rollback()
    counts = [
        sa.select(sa.func.count()).select_from(table).scalar_subquery() for table in db.metadata.sorted_tables
    ]
    return tuple(db.session.execute(sa.select(*counts)).one())


def assert_answered(response, what: str) -> None:
    assert response.status_code in REFUSED_OR_SHOWN, f"{what}: {response.status_code}"


def _path(rule, integers: dict[str, int]) -> str:
    """The rule's path with each `<int:…>` given, and any other part filled with a plausible value."""

    def part(match):
        converter, name = match.group(1) or "default", match.group(2)
        if name in integers:
            return str(integers[name])
        options = re.findall(r"\w+", converter[len("any") :]) if converter.startswith("any") else []
        return options[0] if options else "x"

    return re.sub(r"<(?:([^:>]+):)?(\w+)>", part, rule.rule)


# Route ids.


@PROPERTY
@given(data=st.data())
def test_ids_beyond_the_database_range_are_not_found(app, client, organizer, data):
    from tests.conftest import login

    rules = [rule for rule in app.url_map.iter_rules() if _integer_names(rule)]
    assert len(rules) > 50
    for signed_in in (False, True):
        if signed_in:
            login(client, organizer)
        for rule in rules:
            integers = {name: data.draw(beyond_any_id) for name in _integer_names(rule)}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(_path(rule, integers), method=method)
                assert response.status_code == 404, (method, rule.rule, integers)
        client.post("/logout")


def _integer_names(rule) -> list[str]:
    return [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]


# Query strings.


@PROPERTY
@given(
    numbers=st.fixed_dictionaries({name: any_integers.map(str) for name in INTEGER_ARGUMENTS}),
    dates=st.fixed_dictionaries({name: nasty_dates.map(date.isoformat) for name in DATE_ARGUMENTS}),
    texts=st.fixed_dictionaries({name: st.one_of(control_texts, short_texts) for name in TEXT_ARGUMENTS}),
    long_one=st.sampled_from(TEXT_ARGUMENTS),
)
def test_no_query_string_gives_a_server_error(app, client, demo_site, numbers, dates, texts, long_one):
    """Numbers and dates in one query string, text in another (a control character is refused
    before any number is read, and would hide what they do); a long text alone, as pages repeat
    their query string in each of their links."""
    for endpoint, path in sorted(demo_site.pages.items()):
        for query in (numbers | dates, texts, {long_one: LONG_TEXT}):
            response = client.get(path.split("?")[0], query_string=query)
            assert_answered(response, f"GET {endpoint} {path} {query!r:.300}")


def test_no_query_string_gives_a_server_error_to_a_visitor(app, client):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = _path(rule, dict.fromkeys(rule.arguments, 1))
        for value in ("9999-12-31", "0001-01-01", str(10**30), str(2**31), "a\x00b", "²"):
            response = client.get(path, query_string=dict.fromkeys(ARGUMENTS, value))
            assert_answered(response, f"GET {path} {value!r}")


# Forms.


def _field_values(form: Form, drawn: dict):
    """The form as a browser would send it, with one field at a time given the drawn value of its
    kind: a bad value in one field must not be hidden by another's error."""
    values: dict = form.values()
    for item in form.fields:
        if item.name.endswith("csrf_token") or item.kind in ("submit", "button", "file"):
            continue
        kind = "text" if item.kind in TEXT_KINDS else "choice" if item.kind in CHOICE_KINDS else item.kind
        if kind in drawn:
            yield item.name, values | {item.name: drawn[kind]}


def _with_files(form: Form, values: dict) -> dict:
    files = {
        item.name: (io.BytesIO(b"Minutes of the roundtable\n"), "notes.txt")
        for item in form.fields
        if item.kind == "file"
    }
    return values | files


def _editable(form: Form) -> bool:
    return form.method == "post" and any(
        not item.name.endswith("csrf_token") and item.kind not in ("submit", "button") for item in form.fields
    )


@settings(PROPERTY, max_examples=2)  # each example posts every field of every form once
@given(
    drawn=st.fixed_dictionaries(
        {
            "text": nasty_texts,
            "date": nasty_dates.map(date.isoformat),
            "datetime-local": nasty_datetimes.map(lambda moment: moment.isoformat(timespec="minutes")),
            "choice": st.one_of(any_integers.map(str), nasty_texts),
        }
    )
)
def test_no_form_input_gives_a_server_error_and_a_refusal_writes_nothing(app, client, demo_site, drawn):
    forms = [form for form in demo_site.forms if _editable(form)]
    assert len(forms) > 40
    for form in forms:
        for name, values in _field_values(form, drawn):
            before = row_counts()
            response = client.post(form.action, data=_with_files(form, values))
            what = f"POST {form.action} {name}={values[name]!r:.200}"
            assert_answered(response, what)
            if response.status_code not in (302, 303):
                assert row_counts() == before, f"{what} was refused but wrote"


@PROPERTY
@given(email=nasty_texts, password=nasty_texts)
def test_no_sign_in_input_gives_a_server_error(app, client, email, password):
    for path, values in (
        ("/login", {"email": email, "password": password}),
        ("/password/forgot", {"email": email}),
    ):
        assert_answered(client.post(path, data=values), f"POST {path}")


# The cases the trust issue named, one by one.


@pytest.fixture
def signed_in_organizer(app, client):
    """The demo dataset, with the client signed in as its organizer."""
    demo.seed_demo()
    db.session.commit()
    response = client.post("/login", data={"email": demo.ORGANIZER_EMAIL, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    return db.session.scalar(sa.select(User).where(User.email == demo.ORGANIZER_EMAIL))


@pytest.mark.parametrize("number", [10**30, 2**31, 2**63])
def test_an_id_beyond_the_database_integer_is_not_found(client, signed_in_organizer, number):
    for path in (f"/organizations/{number}", f"/roundtables/{number}", f"/library/documents/{number}"):
        assert client.get(path).status_code == 404
    assert client.post(f"/feedback/{number}/answer").status_code == 404


@pytest.mark.parametrize("page", [str(10**30), str(2**31), str(2**63)])
def test_a_page_number_beyond_any_page_is_not_found(client, signed_in_organizer, page):
    for path in ("/announcements", "/suggestions", "/organizations", "/audit"):
        assert client.get(path, query_string={"page": page}).status_code == 404, path


def test_a_library_date_far_in_the_future_is_ignored(client, signed_in_organizer):
    response = client.get("/library", query_string={"until": "9999-12-31", "since": "0001-01-01"})
    assert response.status_code == 200
    assert "Document" in response.get_data(as_text=True) or "document" in response.get_data(as_text=True)


def _roundtable_fields(**changes) -> dict:
    return {
        "title": "Roundtable in year one",
        "timezone": "Africa/Cairo",
        "starts_at": "2027-03-01T10:00",
        "ends_at": "2027-03-01T12:00",
        "languages": "en",
        "venue": "Cairo",
    } | changes


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_a_roundtable_in_year_one_is_a_form_error(client, signed_in_organizer, year):
    before = row_counts()
    response = client.post(
        "/roundtables/new",
        data=_roundtable_fields(starts_at=f"{year}-01-01T10:00", ends_at=f"{year}-01-01T12:00"),
    )
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2200." in response.get_data(as_text=True)
    assert row_counts() == before


def test_a_feedback_form_opening_in_year_one_is_a_form_error(client, signed_in_organizer):
    before = row_counts()
    response = client.post(
        "/feedback/new",
        data={"title": "Year one", "opens_at": "0001-01-01T00:00", "audience": "everyone"},
    )
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2200." in response.get_data(as_text=True)
    assert row_counts() == before


def test_an_action_item_due_in_year_one_is_a_form_error(client, signed_in_organizer):
    roundtable_id = db.session.scalar(sa.select(Minutes.roundtable_id))
    organization_id = db.session.scalar(sa.select(Organization.id).order_by(Organization.id))
    before = row_counts()
    response = client.post(
        f"/roundtables/{roundtable_id}/action-items/new",
        data={
            "description": "Share the referral list",
            "owner_organization_id": organization_id,
            "due_on": "0001-01-01",
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2200." in response.get_data(as_text=True)
    assert row_counts() == before


@pytest.mark.parametrize(
    "choice",
    [{"roundtable_id": str(MAX_INTEGER)}, {"visibility": "organizations", "organizations": str(MAX_INTEGER)}],
)
def test_an_upload_naming_a_missing_roundtable_or_organization_is_refused(
    client, signed_in_organizer, choice
):
    collection_id = db.session.scalar(sa.select(Collection.id).order_by(Collection.id))
    before = row_counts()
    response = client.post(
        f"/library/collections/{collection_id}/upload",
        data={
            "files": (io.BytesIO(b"Minutes of the roundtable\n"), "notes.txt"),
            "language": "en",
            "visibility": "members",
        }
        | choice,
    )
    assert response.status_code in (200, 400, 404)
    assert row_counts() == before


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"version": 1, "title": "Deep", "translations": ' + '{"fr": ' * 5000 + "1" + "}" * 5001,
        '{"version": 1, "title": "Infinite", "questions": [{"kind": "short_text", "label": "A"}, '
        '{"kind": "short_text", "label": "B", "condition": {"question": 1e400, "value": "x"}}]}',
        '{"version": 1, "title": "Not a number", "anonymous": NaN, "questions": []}',
        '{"version": 1, "title": "Huge", "questions": [{"kind": "short_text", "label": "A"}, '
        '{"kind": "short_text", "label": "B", "condition": {"question": 1' + "0" * 5000 + "}}]}",
        '{"version": 1, "title": "Nul\\u0000byte", "questions": []}',
    ],
)
def test_a_malformed_feedback_json_file_is_a_form_error(client, signed_in_organizer, content):
    before = row_counts()
    response = client.post("/feedback/import", data={"file": (io.BytesIO(content.encode()), "form.json")})
    assert response.status_code == 200
    assert "This file is not a feedback form exported from Roundtable." in response.get_data(as_text=True)
    assert row_counts() == before


@pytest.mark.parametrize("text", ["a\x00b", "Fatima\x1b", "\x00"])
def test_a_control_character_in_a_text_field_is_a_form_error(client, signed_in_organizer, text):
    name = signed_in_organizer.name
    response = client.post("/profile", data={"name": text, "preferred_language": "en"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "invisible control characters" in page or "This field is required." in page
    assert db.session.get(User, signed_in_organizer.id).name == name


def test_a_control_character_in_a_query_string_is_a_bad_request(client, signed_in_organizer):
    for path in ("/organizations", "/audit", "/library", "/suggestions"):
        assert client.get(path, query_string={"q": "a\x00b", "action": "\x00"}).status_code == 400


def test_a_control_character_in_an_answer_is_refused_and_never_breaks_the_export(
    client, organizer, focal_point
):
    from tests.conftest import login
    from tests.feedback.conftest import THREE_QUESTIONS, bulk_responses, make_form

    form = make_form(organizer, THREE_QUESTIONS)
    text_question = form.questions[2]
    login(client, focal_point)
    response = client.post(
        f"/feedback/{form.id}/answer",
        data={f"q{form.questions[0].id}": "4", f"q{text_question.id}": "Line\x0bbreak"},
    )
    assert response.status_code == 200
    assert "invisible control characters" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(FeedbackResponse.id))) == 0

    # An answer saved before the refusal existed (or by an import) still exports.
    answers = [(form.questions[0], "4", 4, None), (text_question, None, None, "Line\x0bbreak")]
    bulk_responses(form, 1, lambda n: answers)
    client.post("/logout")
    login(client, organizer)
    response = client.get(f"/feedback/{form.id}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][-1] == "Linebreak"


@PROPERTY
@given(value=st.one_of(nasty_texts.filter(lambda text: "\n" not in text and "\r" not in text)))
def test_no_header_gives_a_server_error(app, client, organizer, value):
    from tests.conftest import login

    login(client, organizer)
    headers = {"Accept-Language": value, "Referer": value, "HX-Request": value, "HX-Current-URL": value}
    for path in ("/", "/organizations", "/library", "/feedback"):
        assert_answered(client.get(path, headers=headers), f"GET {path} {value!r:.100}")
    assert_answered(client.post("/language", data={"language": "fr"}, headers=headers), "POST /language")
