"""Anonymous feedback cannot be traced to its author: not by the order of the stored rows, not by
comparing exports with the reminder's recipients, not through the kind of organization in exports,
nor by subtracting the shown groups from the total. Each attack of the trust issue is replayed."""

import csv
import io
import os
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from coordination.extensions import db
from coordination.feedback.models import (
    FeedbackAnswer,
    FeedbackPendingResponse,
    FeedbackRespondent,
    FeedbackResponse,
)
from coordination.mail.models import OutboxMessage
from tests.conftest import login
from tests.factories import make_organization, make_user
from tests.feedback.conftest import THREE_QUESTIONS, bulk_responses, make_form

ON_POSTGRESQL = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def _answer_through_the_page(client, form, person, text: str, rating: str = "4") -> None:
    rating_q, _multiple_q, text_q = form.questions
    login(client, person)
    data = MultiDict([("action", "submit"), (f"q{rating_q.id}", rating), (f"q{text_q.id}", text)])
    page = client.post(f"/feedback/{form.id}/answer", data=data, follow_redirects=True)
    assert "Thank you: your response has been received." in page.get_data(as_text=True)
    client.post("/logout")


def _order_pairing(form) -> dict[str, int]:
    """The attack: respondents by id against responses by their smallest answer id, one to one.
    Returns {text written: user id guessed}."""
    respondents = db.session.scalars(
        select(FeedbackRespondent.user_id)
        .where(FeedbackRespondent.form_id == form.id)
        .order_by(FeedbackRespondent.id)
    ).all()
    text_q = form.questions[2]
    responses = db.session.execute(
        select(FeedbackAnswer.response_id, func.min(FeedbackAnswer.id))
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(FeedbackResponse.form_id == form.id)
        .group_by(FeedbackAnswer.response_id)
        .order_by(func.min(FeedbackAnswer.id))
    ).all()
    texts = dict(
        db.session.execute(
            select(FeedbackAnswer.response_id, FeedbackAnswer.text).where(
                FeedbackAnswer.question_id == text_q.id
            )
        ).all()
    )
    return {
        texts[response_id]: user_id for (response_id, _), user_id in zip(responses, respondents, strict=False)
    }


def test_pairing_respondents_and_answers_by_their_order_identifies_nobody(client, organizer, organization):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    people = [make_user(organization=organization) for _ in range(24)]
    for person in people:
        _answer_through_the_page(client, form, person, f"Written by user {person.id}")

    guessed = _order_pairing(form)
    assert len(guessed) == 24
    right = [text for text, user_id in guessed.items() if text == f"Written by user {user_id}"]
    # Before the fix the attack paired all 24 exactly. Within each shuffled group of three, a guess
    # is right by chance (one in three on average): all 24 right has a chance of 1 in 6^8.
    assert len(right) < 24

    # What the attack fed on is gone: the answers' keys are random, no anonymous response keeps a day.
    answer_ids = db.session.scalars(select(FeedbackAnswer.id)).all()
    assert all(isinstance(key, str) and len(key) == 32 for key in answer_ids)
    assert db.session.scalar(
        select(func.count()).select_from(FeedbackResponse).where(FeedbackResponse.submitted_on.is_not(None))
    ) == 0  # fmt: skip


def test_each_answer_is_stored_in_a_group_of_at_least_three(client, organizer, organization):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    people = [make_user(organization=organization) for _ in range(5)]
    stored = []
    for person in people:
        _answer_through_the_page(client, form, person, f"Secret of user {person.id}")
        stored.append(db.session.scalar(select(func.count(FeedbackResponse.id))))
    # One by one, each response would be the new row next to its author's new respondent row.
    assert stored == [0, 0, 3, 3, 3]
    # The two waiting are sealed: their text is nowhere in the database in clear.
    sealed = db.session.scalars(select(FeedbackPendingResponse.sealed)).all()
    assert len(sealed) == 2
    assert not any("Secret of user" in text for text in sealed)
    assert len({len(text) for text in sealed}) == 1  # padded: their length tells nothing either
    _answer_through_the_page(client, form, make_user(organization=organization), "The sixth")
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 6
    assert db.session.scalar(select(func.count(FeedbackPendingResponse.id))) == 0


@pytest.mark.sqlite_only
@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's rowid")
def test_sqlite_keeps_no_rowid_that_would_order_anonymous_rows(client, organizer, organization):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    for person in [make_user(organization=organization) for _ in range(3)]:
        _answer_through_the_page(client, form, person, "Hello")
    for table in ("feedback_responses", "feedback_answers", "feedback_pending_responses"):
        with pytest.raises(sa.exc.OperationalError, match="rowid"):
            db.session.execute(sa.text(f"SELECT rowid FROM {table}")).all()
        db.session.rollback()


@pytest.mark.postgresql_only
@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's transaction ids")
def test_postgresql_transaction_ids_pair_no_respondent_with_fewer_than_three_answers(
    client, organizer, organization
):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    for person in [make_user(organization=organization) for _ in range(7)]:
        _answer_through_the_page(client, form, person, "Hello")
    respondent_xids = db.session.scalars(sa.text("SELECT xmin::text FROM feedback_respondents")).all()
    response_xids = db.session.scalars(sa.text("SELECT xmin::text FROM feedback_responses")).all()
    assert len(respondent_xids) == 7 and len(response_xids) == 6
    # Written in the same transaction, a respondent row and its response used to share it one to one.
    for xid in respondent_xids:
        assert response_xids.count(xid) in (0, 3, 4, 5), xid
    # The answers were written with their responses, in the same groups.
    answer_xids = db.session.scalars(sa.text("SELECT xmin::text FROM feedback_answers")).all()
    assert set(answer_xids) <= set(response_xids)


def _export_rows(client, form) -> list[list[str]]:
    response = client.get(f"/feedback/{form.id}/export.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))[1:]


def _remind(client, form) -> set[str]:
    db.session.execute(sa.delete(OutboxMessage))
    db.session.commit()
    client.post(f"/feedback/{form.id}/remind", follow_redirects=True)
    return set(db.session.scalars(select(OutboxMessage.recipient)))


def test_export_remind_answer_export_remind_identifies_nobody(client, organizer, organization):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    people = [make_user(organization=organization) for _ in range(8)]
    for person in people[:3]:
        _answer_through_the_page(client, form, person, f"Secret of {person.email}")

    login(client, organizer)
    first_export, first_reminded = _export_rows(client, form), _remind(client, form)
    newcomer = people[3]
    client.post("/logout")
    _answer_through_the_page(client, form, newcomer, f"Secret of {newcomer.email}")
    login(client, organizer)
    second_export, second_reminded = _export_rows(client, form), _remind(client, form)

    assert first_reminded - second_reminded == {newcomer.email}  # who answered is known...
    new_rows = [row for row in second_export if row not in first_export]
    assert new_rows == []  # ...but what they answered is not shown alone (it was, before the fix)
    assert not any(newcomer.email in cell for row in second_export for cell in row)

    # Two more answers: the three new rows come together, each from any of the three.
    for person in people[4:6]:
        client.post("/logout")
        _answer_through_the_page(client, form, person, f"Secret of {person.email}")
    login(client, organizer)
    third_export, third_reminded = _export_rows(client, form), _remind(client, form)
    new_rows = [row for row in third_export if row not in second_export]
    assert len(new_rows) == 3
    assert len(second_reminded - third_reminded) == 2
    results = client.get(f"/feedback/{form.id}/results").get_data(as_text=True)
    assert "6 responses" in results and "2 responses are waiting" not in results
    assert "in groups of at least 3" in results


def test_the_answer_and_manage_pages_state_the_release_rule(client, organizer, focal_point):
    anonymous_form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    login(client, organizer)
    assert "in groups of at least 3" in client.get(f"/feedback/{anonymous_form.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, focal_point)
    page = client.get(f"/feedback/{anonymous_form.id}/answer").get_data(as_text=True)
    assert "only together with at least 2 other responses" in page


def _kinds_in_export(client, form) -> list[str]:
    return [row[1] for row in _export_rows(client, form)]


def test_an_anonymous_export_shows_no_kind_of_organization_that_the_page_hides(client, organizer):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    rating = form.questions[0]
    # Responses as they were stored before the release rule: two of the one community organization.
    kinds = ["embassy"] * 5 + ["community"] * 2
    bulk_responses(form, 7, lambda n: [(rating, "4", 4, None)], kind_of=lambda n: kinds[n])
    login(client, organizer)
    page = client.get(f"/feedback/{form.id}/results").get_data(as_text=True)
    assert "Community organization: not shown" in page
    # The complement: 7 in all minus the 5 embassies shown would give the 2 hidden.
    assert "Embassy: not shown" in page
    exported = _kinds_in_export(client, form)
    assert len(exported) == 7
    assert "Community organization" not in exported and "Embassy" not in exported


def test_answers_released_together_keep_no_kind_shared_by_fewer_than_three(client, organizer, organization):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    community = make_organization(name="Sudanese community of Giza", kind="community")
    order = [organization] * 3 + [community, community, organization]
    for member_of in order:
        _answer_through_the_page(client, form, make_user(organization=member_of), "Hello")
    stored = db.session.scalars(select(FeedbackResponse.organization_kind)).all()
    assert sorted(kind or "" for kind in stored) == ["", "", "", "embassy", "embassy", "embassy"]
    login(client, organizer)
    assert "Community organization" not in _kinds_in_export(client, form)


def test_the_total_minus_the_shown_groups_never_gives_a_hidden_group(client, organizer):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    rating = form.questions[0]
    kinds = ["embassy"] * 5 + ["un_agency"] * 3 + ["ngo"]
    ratings = ["4"] * 5 + ["3"] * 3 + ["1"]
    bulk_responses(
        form, 9, lambda n: [(rating, ratings[n], int(ratings[n]), None)], kind_of=lambda n: kinds[n]
    )
    login(client, organizer)
    page = client.get(f"/feedback/{form.id}/results").get_data(as_text=True)
    assert "9 responses" in page and "Embassy: 5" in page
    # Before the fix "UN agency: 3" was shown too, and 9 - 5 - 3 gave the one NGO's answers.
    assert "UN agency: not shown" in page and "NGO: not shown" in page
    refused = "results of fewer than 3 responses are not shown apart"
    for kind in ("un_agency", "ngo"):
        filtered = client.get(f"/feedback/{form.id}/results?kind={kind}").get_data(as_text=True)
        assert refused in filtered and "mean" not in filtered, kind
    assert "mean 4.00" in client.get(f"/feedback/{form.id}/results?kind=embassy").get_data(as_text=True)
    kinds_exported = _kinds_in_export(client, form)
    assert sorted(kinds_exported) == [""] * 4 + ["Embassy"] * 5


def test_results_of_fewer_than_three_responses_in_all_are_not_shown(client, organizer):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    rating, _multiple, text = form.questions
    bulk_responses(form, 2, lambda n: [(rating, "2", 2, None), (text, None, None, f"Only two of us {n}")])
    login(client, organizer)
    page = client.get(f"/feedback/{form.id}/results").get_data(as_text=True)
    assert "mean 2.00" not in page and "results of fewer than 3 responses are not shown apart" in page
    answers = client.get(f"/feedback/questions/{text.id}/answers").get_data(as_text=True)
    assert "Only two of us" not in answers
    assert _export_rows(client, form) == []


def test_existing_responses_are_rekeyed_and_lose_what_pointed_at_their_authors(tmp_path):
    from flask_migrate import downgrade, upgrade

    from coordination import create_app
    from tests.test_migrations import _scratch_database

    with _scratch_database(tmp_path) as url:
        scratch_app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with scratch_app.app_context():
            try:
                # The people and forms are made through today's models, then the schema goes back to
                # the last revision before the change, where the old-shaped rows are written.
                upgrade()
                organizer = make_user(role="organizer")
                form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
                named = make_form(organizer, THREE_QUESTIONS, title="Named")
                embassy, community = make_organization(), make_organization(kind="community")
                people = [make_user(organization=embassy) for _ in range(4)] + [
                    make_user(organization=community)
                ]
                db.session.commit()
                # Loaded now and detached, so that nothing is read back through today's models; closing
                # the session ends its transaction, whose read locks would hold up the downgrade's DROPs.
                [record.id for record in (form, named, *form.questions, *named.questions, *people)]
                db.session.close()
                downgrade(revision="0014_linked_documents")
                day = "2026-11-30"
                for number, person in enumerate(people, start=1):
                    kind = "community" if number == 5 else "embassy"
                    db.session.execute(
                        sa.text(
                            "INSERT INTO feedback_respondents (form_id, user_id, responded_on)"
                            " VALUES (:form, :user, :day)"
                        ),
                        {"form": form.id, "user": person.id, "day": date(2026, 11, 30)},
                    )
                    db.session.execute(
                        sa.text("INSERT INTO feedback_responses VALUES (:id, :form, :kind, :day)"),
                        {"id": f"{number:032d}", "form": form.id, "kind": kind, "day": day},
                    )
                    db.session.execute(
                        sa.text(
                            "INSERT INTO feedback_answers (id, response_id, question_id, text)"
                            " VALUES (:n, :id, :q, :t)"
                        ),
                        {
                            "n": number,
                            "id": f"{number:032d}",
                            "q": form.questions[2].id,
                            "t": f"Text {number}",
                        },
                    )
                db.session.execute(
                    sa.text("INSERT INTO feedback_responses VALUES (:id, :form, 'embassy', :day)"),
                    {"id": "f" * 32, "form": named.id, "day": day},
                )
                db.session.execute(
                    sa.text(
                        "INSERT INTO feedback_answers (id, response_id, question_id, code, number)"
                        " VALUES (9, :id, :q, '5', 5)"
                    ),
                    {"id": "f" * 32, "q": named.questions[0].id},
                )
                db.session.execute(
                    sa.text(
                        "INSERT INTO feedback_respondents (form_id, user_id, response_id, responded_on)"
                        " VALUES (:form, :user, :response, :day)"
                    ),
                    {"form": named.id, "user": people[0].id, "response": "f" * 32, "day": date(2026, 11, 30)},
                )
                db.session.commit()

                upgrade()
                answers = db.session.execute(
                    sa.text("SELECT id, response_id, text, number FROM feedback_answers")
                ).all()
                assert len(answers) == 6
                assert all(isinstance(row.id, str) and len(row.id) == 32 for row in answers)
                assert {row.response_id: row.text or row.number for row in answers} == {
                    **{f"{n:032d}": f"Text {n}" for n in range(1, 6)}, "f" * 32: 5,
                }  # fmt: skip
                stored = dict(
                    db.session.execute(sa.text("SELECT id, submitted_on FROM feedback_responses")).all()
                )
                assert [stored[f"{n:032d}"] for n in range(1, 6)] == [None] * 5
                assert str(stored["f" * 32]) == day  # a named response keeps its day
                kinds = db.session.scalars(
                    sa.text("SELECT organization_kind FROM feedback_responses WHERE form_id = :f"),
                    {"f": form.id},
                ).all()
                # The one community organization's kind is gone, and the embassies' (5 - 4 would give it).
                assert kinds == [None] * 5
                link = db.session.scalar(
                    sa.text("SELECT response_id FROM feedback_respondents WHERE form_id = :f"),
                    {"f": named.id},
                )
                assert link == "f" * 32  # the named response still belongs to its respondent
                if not ON_POSTGRESQL:
                    with pytest.raises(sa.exc.OperationalError, match="rowid"):
                        db.session.execute(sa.text("SELECT rowid FROM feedback_answers")).all()
                    db.session.rollback()
                db.session.commit()

                downgrade(revision="0014_linked_documents")
                assert db.session.scalar(sa.text("SELECT count(*) FROM feedback_answers")) == 6
                relinked = sa.text("SELECT response_id FROM feedback_respondents WHERE form_id = :f")
                assert db.session.scalar(relinked, {"f": named.id}) == "f" * 32
                db.session.commit()
            finally:
                db.session.remove()
                db.engine.dispose()


def test_answers_sealed_under_an_old_secret_key_do_not_stop_the_others(client, app, organizer, organization):
    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    saved = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "the key before it was rotated"
    try:
        _answer_through_the_page(client, form, make_user(organization=organization), "Sealed long ago")
    finally:
        app.config["SECRET_KEY"] = saved
    for person in [make_user(organization=organization) for _ in range(3)]:
        _answer_through_the_page(client, form, person, "Sealed now")
    texts = db.session.scalars(select(FeedbackAnswer.text).where(FeedbackAnswer.text.is_not(None))).all()
    assert texts == ["Sealed now"] * 3
    assert db.session.scalar(select(func.count(FeedbackPendingResponse.id))) == 1


def test_answers_arriving_at_once_are_released_once(app, client, organizer, organization):
    import threading

    form = make_form(organizer, THREE_QUESTIONS, anonymous=True)
    for person in [make_user(organization=organization) for _ in range(2)]:
        _answer_through_the_page(client, form, person, "Waiting")
    late = [make_user(organization=organization) for _ in range(2)]
    browsers = [app.test_client() for _ in late]
    for browser, person in zip(browsers, late, strict=True):
        login(browser, person)
    rating_q, _multiple_q, text_q = form.questions
    data = MultiDict([("action", "submit"), (f"q{rating_q.id}", "4"), (f"q{text_q.id}", "At once")])
    barrier = threading.Barrier(2)
    pages = []

    def post(browser):
        barrier.wait()
        pages.append(browser.post(f"/feedback/{form.id}/answer", data=data).status_code)

    threads = [threading.Thread(target=post, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert pages == [302, 302]
    # Both saw two waiting: without one release at a time, both released them, and twice.
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 3
    assert db.session.scalar(select(func.count(FeedbackPendingResponse.id))) == 1
