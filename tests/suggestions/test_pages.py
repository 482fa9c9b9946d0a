"""The suggestions pages through the test client: proposing, supporting, discussing, triage with
its mail, the list's filters, chart and query count, and pages that show every change at once."""

import threading
from email.header import decode_header, make_header

from sqlalchemy import func, insert, select

from coordination.auth.models import Role
from coordination.extensions import db
from coordination.suggestions import rules
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionSupport
from tests.conftest import body_text, login
from tests.factories import PASSWORD, make_organization, make_user
from tests.suggestions.conftest import propose

FORM = {
    "title": "Health screening before return",
    "description": "A check two weeks before departure.",
    "service_area": "health",
    "sdg": "3",
}


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_an_empty_list_invites_a_first_suggestion(client, member):
    login(client, member)
    page = _text(client.get("/suggestions"))
    assert "No suggestion yet." in page
    assert 'href="/suggestions/new"' in page


def test_a_member_proposes_and_the_form_keeps_what_was_typed_on_error(client, member, organization):
    login(client, member)
    refused = client.post("/suggestions/new", data={**FORM, "service_area": ""})
    assert refused.status_code == 200
    assert "Choose a service area." in _text(refused)
    assert "A check two weeks before departure." in _text(refused)
    assert db.session.scalar(select(func.count(Suggestion.id))) == 0

    response = client.post("/suggestions/new", data=FORM)
    suggestion = db.session.scalar(select(Suggestion))
    assert response.headers["Location"].endswith(f"/suggestions/{suggestion.id}")
    assert (suggestion.organization_id, suggestion.sdg, suggestion.status) == (organization.id, 3, "new")
    page = _text(client.get(f"/suggestions/{suggestion.id}"))
    assert "Proposed by Embassy of Sudan" in page and "Good health and well-being" in page


def test_an_organization_field_in_the_form_cannot_change_the_proposing_organization(
    client, member, organization, other_organization
):
    login(client, member)
    client.post("/suggestions/new", data={**FORM, "organization_id": str(other_organization.id)})
    assert db.session.scalar(select(Suggestion.organization_id)) == organization.id


def test_a_description_is_shown_as_sanitized_markdown(client, member):
    suggestion = propose(member, description="**Urgent** <script>alert(1)</script> [x](javascript:alert(2))")
    login(client, member)
    page = _text(client.get(f"/suggestions/{suggestion.id}"))
    assert "<strong>Urgent</strong>" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert 'href="javascript:' not in page


def test_the_proposer_edits_a_new_suggestion_then_no_longer(client, member, organizer, suggestion):
    login(client, member)
    assert f'href="/suggestions/{suggestion.id}/edit"' in _text(client.get(f"/suggestions/{suggestion.id}"))
    client.post(f"/suggestions/{suggestion.id}/edit", data={**FORM, "title": "Counselling in Giza"})
    assert db.session.get(Suggestion, suggestion.id).title == "Counselling in Giza"

    rules.triage_suggestion(organizer, db.session.get(Suggestion, suggestion.id), "under_review", None)
    db.session.commit()
    assert "/edit" not in _text(client.get(f"/suggestions/{suggestion.id}"))
    assert client.post(f"/suggestions/{suggestion.id}/edit", data=FORM).status_code == 403


def test_withdrawing_asks_first(client, member, suggestion):
    login(client, member)
    question = client.get(f"/suggestions/{suggestion.id}/delete")
    assert "Withdraw your suggestion?" in _text(question) and "cannot be undone" in _text(question)
    assert db.session.get(Suggestion, suggestion.id) is not None
    client.post(f"/suggestions/{suggestion.id}/delete")
    assert db.session.scalar(select(func.count(Suggestion.id))) == 0


def test_a_second_support_by_a_colleague_says_the_organization_already_supports_it(
    app, client, suggestion, other_focal_point, other_organization
):
    colleague = make_user(name="Colleague", organization=other_organization)
    login(client, other_focal_point)
    first = client.post(f"/suggestions/{suggestion.id}/support", follow_redirects=True)
    assert "Embassy of Eritrea now supports this suggestion." in _text(first)

    colleague_browser = app.test_client()
    login(colleague_browser, colleague)
    page = _text(colleague_browser.get(f"/suggestions/{suggestion.id}"))
    assert "Your organization supports this suggestion (Omar Other" in page
    second = colleague_browser.post(f"/suggestions/{suggestion.id}/support", follow_redirects=True)
    assert "Your organization already supports this suggestion: one support per organization." in _text(
        second
    )
    assert db.session.scalar(select(func.count(SuggestionSupport.id))) == 1


def test_two_colleagues_supporting_at_once_make_one_support_and_one_clear_message(
    app, suggestion, other_focal_point, other_organization
):
    colleagues = [other_focal_point, make_user(organization=other_organization)]
    browsers = []
    for person in colleagues:
        browser = app.test_client()
        login(browser, person)
        browsers.append(browser)
    barrier = threading.Barrier(len(browsers))
    pages: list[str] = []
    path = f"/suggestions/{suggestion.id}/support"

    def support(browser):
        barrier.wait()
        response = browser.post(path, follow_redirects=True)
        pages.append(response.get_data(as_text=True))

    threads = [threading.Thread(target=support, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(pages) == 2
    assert sum("now supports this suggestion" in page for page in pages) == 1
    assert sum("already supports this suggestion" in page for page in pages) == 1
    assert db.session.scalar(select(func.count(SuggestionSupport.id))) == 1


def test_ones_own_organizations_suggestion_says_why_it_cannot_be_supported(client, focal_point, suggestion):
    login(client, focal_point)
    page = _text(client.get(f"/suggestions/{suggestion.id}"))
    assert "Your organization proposed it, so it already stands behind it" in page
    assert f"/suggestions/{suggestion.id}/support" not in page


def test_a_support_is_withdrawn_after_a_confirmation(client, suggestion, other_focal_point):
    rules.support_suggestion(other_focal_point, suggestion)
    db.session.commit()
    login(client, other_focal_point)
    page = _text(client.get(f"/suggestions/{suggestion.id}"))
    assert 'data-question="Withdraw your organization' in page
    client.post(f"/suggestions/{suggestion.id}/support/withdraw")
    assert db.session.scalar(select(func.count(SuggestionSupport.id))) == 0


def test_comments_are_added_and_an_empty_one_is_refused_with_a_message(client, member, suggestion):
    login(client, member)
    refused = client.post(f"/suggestions/{suggestion.id}/comments", data={"body": "  "})
    assert refused.status_code == 200 and "This field is required." in _text(refused)
    client.post(f"/suggestions/{suggestion.id}/comments", data={"body": "We can host the *sessions*."})
    page = _text(client.get(f"/suggestions/{suggestion.id}"))
    assert "We can host the <em>sessions</em>." in page


def test_an_organizer_hides_a_comment_and_members_see_the_reason_only(
    app, client, organizer, member, suggestion
):
    comment = rules.add_comment(member, suggestion, "Call my cousin on 0100 000 0000")
    db.session.commit()
    login(client, organizer)
    question = client.get(f"/suggestion-comments/{comment.id}/hide")
    assert "Hide this comment?" in _text(question)
    refused = client.post(f"/suggestion-comments/{comment.id}/hide", data={"reason": ""})
    assert refused.status_code == 200 and db.session.get(SuggestionComment, comment.id).hidden_at is None
    client.post(f"/suggestion-comments/{comment.id}/hide", data={"reason": "Personal phone number"})

    organizer_page = _text(client.get(f"/suggestions/{suggestion.id}"))
    assert "Hidden by the organizers: Personal phone number" in organizer_page
    assert "0100 000 0000" in organizer_page
    reader = app.test_client()
    login(reader, member)
    member_page = _text(reader.get(f"/suggestions/{suggestion.id}"))
    assert "Hidden by the organizers: Personal phone number" in member_page
    assert "0100 000 0000" not in member_page


def test_triage_with_a_reply_mails_the_proposer_and_focal_points_in_their_language(
    app, client, runner, organizer, member, focal_point, suggestion, smtp_server
):
    focal_point.preferred_language = "ar"
    member.preferred_language = "fr"
    db.session.commit()
    login(client, organizer)
    refused = client.post(f"/suggestions/{suggestion.id}/triage", data={"status": "planned", "reply": ""})
    assert "needs a reply" in _text(refused)
    assert db.session.get(Suggestion, suggestion.id).status == "new"

    response = client.post(
        f"/suggestions/{suggestion.id}/triage",
        data={"status": "planned", "reply": "Weekly sessions start in March in Giza."},
        follow_redirects=True,
    )
    assert "The reply has been mailed to" in _text(response)
    runner.invoke(args=["outbox", "send"])
    received = {message["To"]: message for message in smtp_server.wait_for(2)}
    assert set(received) == {member.email, focal_point.email}
    assert "Weekly sessions start in March in Giza." in body_text(received[member.email])
    assert "Réponse à votre suggestion" in str(make_header(decode_header(received[member.email]["Subject"])))
    assert "Prévue" in body_text(received[member.email])
    assert received[focal_point.email]["Content-Language"] == "ar"
    assert f"/suggestions/{suggestion.id}" in body_text(received[focal_point.email])

    page = _text(client.get(f"/suggestions/{suggestion.id}"))
    assert "You said, we did" in page and "Weekly sessions start in March in Giza." in page


def test_the_list_filters_sorts_and_shows_counts_in_a_chart_and_a_table(
    client, member, other_focal_point, organizer
):
    health = propose(member, title="Health screening", service_area="health", sdg=3)
    propose(member, title="Legal counselling", service_area="protection", sdg=16)
    other = propose(other_focal_point, title="Interpreters", service_area="localized_assistance")
    rules.support_suggestion(other_focal_point, health)
    rules.triage_suggestion(organizer, other, "declined", "Not this year.")
    db.session.commit()
    login(client, member)

    everything = _text(client.get("/suggestions"))
    assert "3 suggestions" in everything
    assert 'id="suggestions-chart"' in everything and "chart.umd.min.js" in everything
    assert "<caption>Number of suggestions per service area and status</caption>" in everything
    assert everything.index("Interpreters") < everything.index("Health screening")

    supported = _text(client.get("/suggestions?sort=supported"))
    assert supported.index("Health screening") < supported.index("Interpreters")
    assert "1 organization supports it" in supported

    assert "1 suggestion<" in _text(client.get("/suggestions?status=declined"))
    by_area = _text(client.get("/suggestions?service_area=protection"))
    assert "Legal counselling" in by_area and "Health screening</a>" not in by_area
    by_sdg = _text(client.get("/suggestions?sdg=3"))
    assert "Health screening" in by_sdg and "Legal counselling</a>" not in by_sdg
    by_organization = _text(client.get(f"/suggestions?organization={other_focal_point.organization_id}"))
    assert "Interpreters" in by_organization and "Health screening</a>" not in by_organization
    nothing = _text(client.get("/suggestions?status=planned"))
    assert "No suggestion matches these filters." in nothing
    assert client.get("/suggestions?sdg=99&status=bogus&page=x").status_code == 200


def test_the_list_is_paginated(client, member):
    _bulk_suggestions(member, 45)
    login(client, member)
    first = _text(client.get("/suggestions"))
    assert "45 suggestions" in first and 'aria-label="Pages"' in first
    third = _text(client.get("/suggestions?page=3"))
    assert third.count('class="list-group-item"') == 5
    beyond = _text(client.get("/suggestions?page=9"))
    assert "This page is past the end of the list." in beyond and "No suggestion yet." not in beyond


def test_the_lists_query_count_does_not_grow_with_the_suggestions(client, member, count_queries):
    login(client, member)

    def queries_for_a_fresh_list() -> int:
        with count_queries() as statements:
            assert client.get(f"/suggestions?sort=supported&n={len(counts)}").status_code == 200
        return len(statements)

    counts = []
    _bulk_suggestions(member, 5)
    counts.append(queries_for_a_fresh_list())
    _bulk_suggestions(member, 195)
    counts.append(queries_for_a_fresh_list())
    assert counts[0] == counts[1], counts


def test_every_change_shows_on_the_next_list(app, client, organizer, member, other_focal_point, organization):
    login(client, member)
    assert "No suggestion yet." in _text(client.get("/suggestions"))

    client.post("/suggestions/new", data=FORM)
    suggestion_id = db.session.scalar(select(Suggestion.id))
    assert "Health screening before return" in _text(client.get("/suggestions"))

    client.post(f"/suggestions/{suggestion_id}/edit", data={**FORM, "title": "Screening in Giza"})
    assert "Screening in Giza" in _text(client.get("/suggestions"))

    supporter = app.test_client()
    login(supporter, other_focal_point)
    supporter.post(f"/suggestions/{suggestion_id}/support")
    assert "1 organization supports it" in _text(client.get("/suggestions"))
    supporter.post(f"/suggestions/{suggestion_id}/comments", data={"body": "Agreed"})
    assert "1 comment<" in _text(client.get("/suggestions"))
    supporter.post(f"/suggestions/{suggestion_id}/support/withdraw")
    assert "0 organizations support it" in _text(client.get("/suggestions"))

    moderator = app.test_client()
    login(moderator, organizer)
    comment_id = db.session.scalar(select(SuggestionComment.id))
    moderator.post(f"/suggestion-comments/{comment_id}/hide", data={"reason": "Duplicate"})
    assert "0 comments" in _text(client.get("/suggestions"))
    moderator.post(f"/suggestions/{suggestion_id}/triage", data={"status": "under_review", "reply": ""})
    assert "Under review</span>" in _text(client.get("/suggestions"))

    moderator.post(
        f"/organizations/{organization.id}/edit",
        data={"name": "Embassy of the Republic of the Sudan", "kind": "embassy", "country": "SD"},
    )
    assert "Embassy of the Republic of the Sudan" in _text(client.get("/suggestions"))

    rules.triage_suggestion(organizer, db.session.get(Suggestion, suggestion_id), "planned", "Done")
    db.session.commit()  # outside any request, as a command would
    assert "Planned</span>" in _text(client.get("/suggestions"))


def test_the_list_follows_the_language(client, member):
    propose(member)
    login(client, member)
    assert "Protection" in _text(client.get("/suggestions"))
    client.post("/language", data={"language": "fr"})
    member.preferred_language = "fr"
    db.session.commit()
    assert "1 suggestion<" in _text(client.get("/suggestions"))
    assert "Nouvelle</span>" in _text(client.get("/suggestions"))


def test_the_navigation_links_to_the_suggestions(client, member):
    login(client, member)
    assert 'href="/suggestions"' in _text(client.get("/"))


def _bulk_suggestions(member, count: int) -> None:
    """Many suggestions at once, each supported by another organization and commented on."""
    supporter = make_organization()
    author = make_user(role=Role.MEMBER, organization=supporter, password=PASSWORD)
    start = db.session.scalar(select(func.count(Suggestion.id)))
    db.session.execute(
        insert(Suggestion),
        [
            {
                "title": f"Suggestion {start + number}",
                "description": "Text",
                "service_area": ["health", "avrr", "protection"][number % 3],
                "sdg": [None, 3, 8][number % 3],
                "status": ["new", "under_review", "planned", "declined"][number % 4],
                "organization_id": member.organization_id,
                "proposer_id": member.id,
            }
            for number in range(count)
        ],
    )
    ids = db.session.scalars(select(Suggestion.id).order_by(Suggestion.id.desc()).limit(count)).all()
    db.session.execute(
        insert(SuggestionSupport), [{"suggestion_id": i, "organization_id": supporter.id} for i in ids]
    )
    db.session.execute(
        insert(SuggestionComment), [{"suggestion_id": i, "author_id": author.id, "body": "Yes"} for i in ids]
    )
    db.session.commit()


def test_every_change_shows_on_the_next_suggestion_page(app, client, organizer, member, other_focal_point):
    suggestion_id = propose(member).id
    path = f"/suggestions/{suggestion_id}"
    login(client, member)
    moderator = app.test_client()
    login(moderator, organizer)
    assert "Weekly sessions in <strong>Giza</strong>." in _text(client.get(path))
    assert "No comment yet." in _text(moderator.get(path))

    client.post(f"{path}/edit", data={**FORM, "description": "Weekly sessions in *Maadi*."})
    assert "Weekly sessions in <em>Maadi</em>." in _text(client.get(path))

    client.post(f"{path}/comments", data={"body": "Call me on 0100 000 0000"})
    assert "Call me on 0100 000 0000" in _text(client.get(path))
    comment_id = db.session.scalar(select(SuggestionComment.id))
    assert f"/suggestion-comments/{comment_id}/hide" in _text(moderator.get(path))
    assert f"/suggestion-comments/{comment_id}/hide" not in _text(client.get(path))

    moderator.post(f"/suggestion-comments/{comment_id}/hide", data={"reason": "Personal phone number"})
    member_page, organizer_page = _text(client.get(path)), _text(moderator.get(path))
    assert "Hidden by the organizers: Personal phone number" in member_page
    assert "0100 000 0000" not in member_page and "0100 000 0000" in organizer_page

    moderator.post(
        f"/people/{member.id}/edit",
        data={"name": "Moses M. Member", "email": member.email, "role": "member", "preferred_language": "en"},
    )
    assert "Moses M. Member" in _text(client.get(path))

    assert "Supported by 0 organizations" in _text(client.get(path))
    supporter = app.test_client()
    login(supporter, other_focal_point)
    supporter.post(f"{path}/support")
    page = _text(client.get(path))
    assert "Supported by 1 organization" in page and ">Embassy of Eritrea</span>" in page
    moderator.post(
        f"/organizations/{other_focal_point.organization_id}/edit",
        data={"name": "Embassy of the State of Eritrea", "kind": "embassy", "country": "ER"},
    )
    assert ">Embassy of the State of Eritrea</span>" in _text(client.get(path))

    moderator.post(f"{path}/triage", data={"status": "planned", "reply": "Sessions from **March**."})
    page = _text(client.get(path))
    assert "Sessions from <strong>March</strong>." in page and "Planned</span>" in page


def test_a_suggestion_pages_query_count_does_not_grow_with_its_discussion(
    client, member, other_focal_point, count_queries
):
    suggestion_id = propose(member).id
    login(client, other_focal_point)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get(f"/suggestions/{suggestion_id}").status_code == 200
        return len(statements)

    few = queries()
    for number in range(8):
        organization = make_organization()
        colleague = make_user(organization=organization)
        db.session.add(SuggestionSupport(suggestion_id=suggestion_id, organization_id=organization.id))
        db.session.add(
            SuggestionComment(suggestion_id=suggestion_id, author_id=colleague.id, body=f"Yes {number}")
        )
    db.session.commit()
    assert queries() == few
