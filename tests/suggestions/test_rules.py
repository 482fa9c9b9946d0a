"""Every rule of the suggestions area, called directly (no browser, no request)."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coordination.auth.models import Role
from coordination.errors import PermissionDenied, ValidationFailed
from coordination.extensions import db
from coordination.mail.models import OutboxMessage
from coordination.suggestions import rules
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionSupport
from tests.factories import make_organization, make_user
from tests.suggestions.conftest import propose


def test_a_suggestion_is_proposed_in_the_name_of_the_proposers_organization(member, organization):
    suggestion = propose(member, title="  Shelter referrals  ")
    assert suggestion.organization_id == organization.id
    assert suggestion.proposer_id == member.id
    assert suggestion.status == "new"
    assert suggestion.title == "Shelter referrals"


def test_someone_without_an_organization_cannot_propose():
    loner = make_user(role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        propose(loner)


def test_the_proposer_edits_while_new_and_not_after(member, organizer, suggestion):
    changed = rules.update_suggestion(member, suggestion, title="Counselling in Giza", sdg=None)
    db.session.commit()
    assert set(changed) == {"title", "sdg"}
    rules.triage_suggestion(organizer, suggestion, "under_review", None)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        rules.update_suggestion(member, suggestion, title="Too late")


def test_a_colleague_cannot_edit_someone_elses_suggestion(focal_point, suggestion):
    with pytest.raises(PermissionDenied):
        rules.update_suggestion(focal_point, suggestion, title="Mine now")


def test_withdrawing_a_new_suggestion_deletes_its_supports_and_comments(
    member, other_focal_point, suggestion
):
    rules.support_suggestion(other_focal_point, suggestion)
    rules.add_comment(other_focal_point, suggestion, "Yes")
    db.session.commit()
    rules.delete_suggestion(member, suggestion)
    db.session.commit()
    assert db.session.scalar(select(func.count(Suggestion.id))) == 0
    assert db.session.scalar(select(func.count(SuggestionSupport.id))) == 0
    assert db.session.scalar(select(func.count(SuggestionComment.id))) == 0


def test_an_organization_supports_a_suggestion_once(suggestion, other_focal_point, other_organization):
    rules.support_suggestion(other_focal_point, suggestion)
    db.session.commit()
    colleague = make_user(organization=other_organization)
    with pytest.raises(ValidationFailed, match="already supports"):
        rules.support_suggestion(colleague, suggestion)


def test_the_database_refuses_a_second_support_of_one_organization(suggestion, other_organization):
    db.session.add(SuggestionSupport(suggestion_id=suggestion.id, organization_id=other_organization.id))
    db.session.commit()
    db.session.add(SuggestionSupport(suggestion_id=suggestion.id, organization_id=other_organization.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_ones_own_organizations_suggestion_cannot_be_supported(suggestion, focal_point):
    with pytest.raises(PermissionDenied):
        rules.support_suggestion(focal_point, suggestion)


def test_a_declined_suggestion_cannot_be_supported(suggestion, organizer, other_focal_point):
    rules.triage_suggestion(organizer, suggestion, "declined", "Out of our mandate.")
    db.session.commit()
    with pytest.raises(PermissionDenied):
        rules.support_suggestion(other_focal_point, suggestion)


def test_a_support_is_withdrawn_by_its_giver(suggestion, other_focal_point):
    support = rules.support_suggestion(other_focal_point, suggestion)
    db.session.commit()
    rules.withdraw_support(other_focal_point, support)
    db.session.commit()
    assert rules.support_of(suggestion, other_focal_point.organization_id) is None


def test_a_comment_needs_text(suggestion, member):
    with pytest.raises(ValidationFailed) as error:
        rules.add_comment(member, suggestion, "   ")
    assert error.value.field == "body"


def test_an_organizer_hides_a_comment_with_a_reason(suggestion, member, organizer):
    comment = rules.add_comment(member, suggestion, "Call me on +20 100 000 0000")
    db.session.commit()
    with pytest.raises(ValidationFailed):
        rules.hide_comment(organizer, comment, " ")
    rules.hide_comment(organizer, comment, "Personal phone number")
    db.session.commit()
    assert comment.hidden and comment.hidden_reason == "Personal phone number"
    with pytest.raises(PermissionDenied):
        rules.hide_comment(member, rules.add_comment(member, suggestion, "Hello"), "Mine")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["under_review", "planned"], True),
        (["planned"], True),
        (["declined", "under_review", "planned"], True),
        (["under_review", "new"], False),
        (["planned", "new"], False),
    ],
)
def test_triage_follows_the_workflow(suggestion, organizer, path, allowed):
    def walk():
        for status in path:
            rules.triage_suggestion(organizer, suggestion, status, "Reply for " + status)
            db.session.commit()

    if allowed:
        walk()
        assert suggestion.status == path[-1]
    else:
        with pytest.raises(ValidationFailed, match="back to new"):
            walk()


@pytest.mark.parametrize("status", ["planned", "declined"])
def test_a_decision_needs_a_reply(suggestion, organizer, status):
    with pytest.raises(ValidationFailed) as error:
        rules.triage_suggestion(organizer, suggestion, status, "  ")
    assert error.value.field == "reply"


def test_only_organizers_triage(suggestion, focal_point):
    with pytest.raises(PermissionDenied):
        rules.triage_suggestion(focal_point, suggestion, "under_review", None)


def test_a_reply_is_queued_for_the_proposer_and_the_focal_points_each_in_their_language(
    suggestion, organizer, member, focal_point, organization
):
    focal_point.preferred_language = "fr"
    second_focal_point = make_user(role=Role.FOCAL_POINT, organization=organization, preferred_language="ar")
    make_user(role=Role.FOCAL_POINT, organization=organization, active=False)
    make_user(role=Role.MEMBER, organization=organization)  # a colleague who did not propose it
    db.session.commit()

    mailed = rules.triage_suggestion(organizer, suggestion, "planned", "Sessions start in **March**.")
    db.session.commit()

    assert sorted(mailed) == sorted([member.email, focal_point.email, second_focal_point.email])
    messages = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(messages) == set(mailed)
    assert messages[focal_point.email].language == "fr"
    assert "Réponse à votre suggestion" in messages[focal_point.email].subject
    assert messages[second_focal_point.email].language == "ar"
    assert "Prévue" in messages[focal_point.email].body_text
    assert "<strong>March</strong>" in messages[member.email].body_html


def test_moving_without_a_reply_and_saving_the_same_reply_mail_nothing(suggestion, organizer):
    assert rules.triage_suggestion(organizer, suggestion, "under_review", None) == []
    db.session.commit()
    assert len(rules.triage_suggestion(organizer, suggestion, "planned", "Planned for March.")) == 1
    db.session.commit()
    assert rules.triage_suggestion(organizer, suggestion, "planned", "Planned for March.") == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_the_list_counts_supports_and_visible_comments_and_sorts_by_support(
    member, other_focal_point, organizer
):
    quiet = propose(member, title="Quiet")
    popular = propose(member, title="Popular")
    third = make_user(organization=make_organization(name="Embassy of Chad", country="TD"))
    rules.support_suggestion(other_focal_point, popular)
    rules.support_suggestion(third, popular)
    rules.support_suggestion(third, quiet)
    hidden = rules.add_comment(member, popular, "Off topic")
    rules.add_comment(member, popular, "On topic")
    rules.hide_comment(organizer, hidden, "Off topic")
    db.session.commit()

    rows = _listed(rules.SuggestionFilters(sort="supported"))
    assert [(row.title, row.support_count, row.comment_count) for row in rows] == [
        ("Popular", 2, 1),
        ("Quiet", 1, 0),
    ]
    newest = _listed(rules.SuggestionFilters())
    assert [row.title for row in newest] == ["Popular", "Quiet"]


def _listed(filters: rules.SuggestionFilters) -> list:
    return rules.list_rows(list(db.session.scalars(rules.suggestion_ids(filters))))


def test_the_list_filters_by_status_area_sdg_and_organization(member, other_focal_point, organizer):
    health = propose(member, title="Health", service_area="health", sdg=3)
    propose(other_focal_point, title="Protection", service_area="protection", sdg=16)
    rules.triage_suggestion(organizer, health, "under_review", None)
    db.session.commit()

    def titles(**filters):
        return [row.title for row in _listed(rules.SuggestionFilters(**filters))]

    assert titles(status="under_review") == ["Health"]
    assert titles(service_area="protection") == ["Protection"]
    assert titles(sdg=3) == ["Health"]
    assert titles(organization_id=other_focal_point.organization_id) == ["Protection"]
    assert titles(status="new", service_area="health") == []


def test_counts_per_service_area_and_status_come_in_taxonomy_order(member, organizer):
    for area in ("health", "health", "avrr", "protection"):
        propose(member, service_area=area)
    first = db.session.scalars(select(Suggestion).where(Suggestion.service_area == "health")).first()
    rules.triage_suggestion(organizer, first, "declined", "Covered by WHO.")
    db.session.commit()
    assert rules.counts_by_area_and_status() == {
        "avrr": {"new": 1},
        "health": {"new": 1, "declined": 1},
        "protection": {"new": 1},
    }
    assert list(rules.counts_by_area_and_status()) == ["avrr", "health", "protection"]


def test_the_organization_filter_offers_the_proposing_organizations_by_name(member, other_focal_point):
    propose(other_focal_point)
    propose(member)
    propose(member)
    make_organization(name="Embassy of Algeria", country="DZ")  # proposed nothing
    assert rules.proposing_organizations() == [
        (other_focal_point.organization_id, "Embassy of Eritrea"),
        (member.organization_id, "Embassy of Sudan"),
    ]


def test_a_reply_skips_a_proposer_who_has_left(suggestion, member, focal_point, organizer):
    member.active = False
    db.session.commit()
    assert [person.email for person in rules.reply_recipients(suggestion)] == [focal_point.email]
    assert rules.triage_suggestion(organizer, suggestion, "planned", "Done.") == [focal_point.email]


def test_a_suggestion_page_loads_in_a_fixed_number_of_queries(
    suggestion, member, other_focal_point, organizer, count_queries
):
    suggestion_id = suggestion.id

    def queries() -> int:
        db.session.expunge_all()
        with count_queries() as statements:
            loaded = rules.load_suggestion(suggestion_id)
            names = [(c.author.name, c.author.organization.name) for c in rules.comments_of(loaded)]
            names += rules.supporting_organizations(loaded)
            assert names
        return len(statements)

    rules.add_comment(member, suggestion, "First")
    rules.support_suggestion(other_focal_point, suggestion)
    db.session.commit()
    few = queries()
    loaded = db.session.get(Suggestion, suggestion_id)
    for number in range(5):
        colleague = make_user(organization=make_organization())
        rules.add_comment(colleague, loaded, f"Comment {number}")
        rules.support_suggestion(colleague, loaded)
    db.session.commit()
    assert queries() == few
