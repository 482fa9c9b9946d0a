"""The home page: what concerns the person signing in, and nothing of another organization's."""

from datetime import date, timedelta

from sqlalchemy import select

from coordination.announcements.models import Announcement
from coordination.extensions import db
from coordination.feedback.models import (
    FeedbackAnswer,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackRespondent,
    FeedbackResponse,
)
from coordination.library.models import Collection, Document, DocumentOrganization
from coordination.roundtables.models import ActionItem, Invitation, Registration, Roundtable
from coordination.suggestions.models import Suggestion
from coordination.timeutil import utcnow
from tests.conftest import login
from tests.factories import make_organization, make_user
from tests.feedback.conftest import make_form


def _roundtable(title: str, days: int = 20) -> Roundtable:
    start = utcnow() + timedelta(days=days)
    roundtable = Roundtable(
        title=title, status="published", starts_at=start, ends_at=start + timedelta(hours=3)
    )
    db.session.add(roundtable)
    return roundtable


def _records(organization, other_organization, focal_point, other_focal_point) -> None:
    """One of everything for the focal point's embassy, and the same for the other embassy."""
    now = utcnow()
    collection = Collection(name="Service guides")
    for owner, person, tag in (
        (organization, focal_point, "ours"),
        (other_organization, other_focal_point, "theirs"),
    ):
        invited = _roundtable(f"Roundtable {tag}")
        db.session.add(Invitation(roundtable=invited, organization=owner))
        registered = _roundtable(f"Registered {tag}", days=30)
        db.session.add(
            Registration(roundtable=registered, user=person, organization_id=owner.id, status="waitlisted")
        )
        form = FeedbackForm(
            title=f"Form {tag}", audience="organizations", published_at=now, organizations=[owner]
        )
        db.session.add(form)
        db.session.add(
            ActionItem(
                roundtable=invited,
                description=f"Commitment {tag}",
                owner_organization=owner,
                due_on=date.today() + timedelta(days=3),
            )
        )
        db.session.add(
            Suggestion(
                title=f"Suggestion {tag}",
                description="Text",
                service_area="health",
                organization=owner,
                reply="Planned for 2027.",
                replied_at=now,
                status="planned",
            )
        )
        document = Document(
            collection=collection,
            title=f"Document {tag}",
            organization=owner,
            visibility="organizations",
            uploaded_by=person,
        )
        db.session.add(document)
        db.session.flush()
        db.session.add(DocumentOrganization(document_id=document.id, organization_id=owner.id))
        # A named answer of this embassy to a form of the organizers.
        question = FeedbackQuestion(form=form, kind="long_text", label="What should change?")
        db.session.add(question)
        db.session.flush()
        response = FeedbackResponse(form_id=form.id, submitted_on=now.date())
        db.session.add(response)
        db.session.flush()
        db.session.add(
            FeedbackAnswer(
                response_id=response.id, question_id=question.id, text=f"Confidential {tag} answer"
            )
        )
    db.session.add(Document(collection=collection, title="Document for everyone", visibility="members"))
    db.session.add(
        Announcement(texts={"title": {"en": "Roundtable replicated in Alexandria"}, "body": {"en": "News"}})
    )
    db.session.commit()


def test_the_home_page_shows_each_part_and_nothing_of_another_embassy(
    client, organization, other_organization, focal_point, other_focal_point
):
    _records(organization, other_organization, focal_point, other_focal_point)
    login(client, focal_point)
    page = client.get("/").get_data(as_text=True)
    for mine in (
        "Roundtable ours",
        "your organization is invited",
        "Registered ours",
        "you are on the waitlist",
        "Form ours",
        "Commitment ours",
        "Document ours",
        "Document for everyone",
        "Suggestion ours",
        "Roundtable replicated in Alexandria",
    ):
        assert mine in page, mine
    for theirs in (
        "Roundtable theirs",
        "Registered theirs",
        "Form theirs",
        "Commitment theirs",
        "Document theirs",
        "Suggestion theirs",
        "Confidential",
    ):
        assert theirs not in page, theirs


def test_an_answered_form_leaves_the_home_page(
    client, organization, other_organization, focal_point, other_focal_point
):
    _records(organization, other_organization, focal_point, other_focal_point)
    form = db.session.scalar(select(FeedbackForm).where(FeedbackForm.title == "Form ours"))
    db.session.add(
        FeedbackRespondent(
            form_id=form.id, user=focal_point, organization_id=organization.id, responded_on=date.today()
        )
    )
    db.session.commit()
    login(client, focal_point)
    page = client.get("/").get_data(as_text=True)
    assert "Form ours" not in page and "No form awaits your answer." in page


def test_documents_are_new_since_the_sign_in_before(client, member):
    collection = Collection(name="Guides")
    old = Document(collection=collection, title="Old guide", visibility="members")
    db.session.add(old)
    db.session.commit()
    login(client, member)
    client.post("/logout")
    old.created_at = utcnow() - timedelta(minutes=1)
    db.session.add(Document(collection=collection, title="Fresh guide", visibility="members"))
    db.session.commit()
    login(client, member)
    page = client.get("/").get_data(as_text=True)
    assert "Fresh guide" in page and "Old guide" not in page


def test_an_empty_home_page_says_so(client, member):
    login(client, member)
    page = client.get("/").get_data(as_text=True)
    assert "No roundtable coming for you at the moment." in page
    assert "Nothing new in the library since your last visit." in page


def test_home_page_queries_do_not_grow(client, count_queries):
    organization = make_organization(name="Embassy of Mali")
    person = make_user(organization=organization)
    collection = Collection(name="Guides")
    login(client, person)
    client.get("/")  # the navigation bar, kept per user

    def grow_to(total: int, start: int) -> int:
        for number in range(start, total):
            other = make_organization(name=f"Partner {number}")
            roundtable = _roundtable(f"Roundtable {number}")
            db.session.add_all([
                Invitation(roundtable=roundtable, organization=organization),
                Invitation(roundtable=roundtable, organization=other),
                Document(collection=collection, title=f"Document {number}", visibility="members"),
                ActionItem(roundtable=roundtable, description="Commitment", owner_organization=organization,
                           due_on=date.today()),
            ])  # fmt: skip
        db.session.commit()
        with count_queries() as statements:
            page = client.get("/").get_data(as_text=True)
        assert "Roundtable 0" in page and "Document" in page and "Commitment" in page
        return len(statements)

    assert grow_to(5, 0) == grow_to(200, 5)


def test_the_home_page_shows_each_change_on_the_next_view(client, organizer, organization, focal_point):
    form = make_form(organizer, ({"kind": "long_text", "label": "What should change?"},), title="Your view")
    login(client, focal_point)
    assert "Your view" in client.get("/").get_data(as_text=True)

    # Answering the form, through the form itself.
    question = form.questions[0]
    client.post(f"/feedback/{form.id}/answer", data={f"q{question.id}": "More time", "action": "submit"})
    page = client.get("/").get_data(as_text=True)
    assert "Your view" not in page and "No form awaits your answer." in page

    # Each other part, changed from elsewhere.
    roundtable = _roundtable("Roundtable on return")
    db.session.add(Invitation(roundtable=roundtable, organization=organization))
    db.session.commit()
    assert "Roundtable on return" in client.get("/").get_data(as_text=True)
    db.session.add(
        ActionItem(
            roundtable=roundtable,
            description="Share the referral list",
            owner_organization=organization,
            due_on=date.today(),
        )
    )
    db.session.commit()
    assert "Share the referral list" in client.get("/").get_data(as_text=True)
    db.session.add(Document(collection=Collection(name="Guides"), title="AVRR guide", visibility="members"))
    db.session.commit()
    assert "AVRR guide" in client.get("/").get_data(as_text=True)
    suggestion = Suggestion(
        title="Health desk", description="Text", service_area="health", organization=organization
    )
    db.session.add(suggestion)
    db.session.commit()
    assert "Health desk" not in client.get("/").get_data(as_text=True)
    suggestion.reply, suggestion.replied_at, suggestion.status = "Planned.", utcnow(), "planned"
    db.session.commit()
    assert "Health desk" in client.get("/").get_data(as_text=True)
    db.session.add(Announcement(texts={"title": {"en": "Office closed on Thursday"}, "body": {"en": "News"}}))
    db.session.commit()
    assert "Office closed on Thursday" in client.get("/").get_data(as_text=True)
    organization.name = "Embassy of the Republic of Mali"
    db.session.commit()
    assert "Embassy of the Republic of Mali" in client.get("/").get_data(as_text=True)
