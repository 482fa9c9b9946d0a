"""`flask library digest`: what is new in what one follows, once, never a hidden document."""

from datetime import timedelta

from coordination.extensions import db
from coordination.library.models import DigestSetting, Follow
from coordination.timeutil import utcnow
from tests.conftest import body_text, login
from tests.library.conftest import make_collection, make_document


def _run(runner):
    result = runner.invoke(args=["library", "digest"])
    assert result.exit_code == 0, result.output
    runner.invoke(args=["outbox", "send"])
    return result.output


def test_followers_get_new_visible_documents_once(
    runner, smtp_server, member, focal_point, organizer, other_organization, collection
):
    db.session.add_all(
        [
            Follow(user_id=member.id, collection_id=collection.id, created_at=utcnow() - timedelta(days=3)),
            Follow(user_id=focal_point.id, tag="avrr", created_at=utcnow() - timedelta(days=3)),
        ]
    )
    db.session.commit()
    make_document(organizer, collection, title="New clinic list")
    make_document(
        organizer,
        collection,
        title="Eritrea only",
        visibility="organizations",
        shared_with=[other_organization],
    )
    tagged = make_document(organizer, make_collection(name="Other"), title="Return guide")
    from coordination.library.models import DocumentTag

    db.session.add(DocumentTag(document_id=tagged.id, tag="avrr"))
    db.session.commit()
    output = _run(runner)
    assert "2 mail(s) queued" in output
    messages = {m["To"]: body_text(m) for m in smtp_server.wait_for(2)}
    assert "New clinic list" in messages[member.email]
    assert "Eritrea only" not in messages[member.email]
    assert (
        "Return guide" in messages[focal_point.email] and "New clinic list" not in messages[focal_point.email]
    )
    # The next day, nothing new: no mail; and what was sent is never sent again.
    for setting in db.session.query(DigestSetting):
        setting.last_sent_at = utcnow() - timedelta(days=8)
    db.session.commit()
    assert "0 mail(s) queued" in _run(runner)


def test_never_means_no_digest_and_daily_is_set_on_the_page(
    client, runner, smtp_server, member, organizer, collection
):
    db.session.add(Follow(user_id=member.id, collection_id=collection.id))
    db.session.commit()
    login(client, member)
    client.post("/library/following", data={"frequency": "never"})
    assert db.session.get(DigestSetting, member.id).frequency == "never"
    make_document(organizer, collection, title="Quiet")
    assert "0 mail(s) queued" in _run(runner)
    client.post("/library/following", data={"frequency": "daily"})
    assert "1 mail(s) queued" in _run(runner)


def test_following_a_collection_from_its_page(client, member, collection):
    login(client, member)
    client.post("/library/follow", data={"collection_id": str(collection.id)})
    client.post("/library/follow", data={"collection_id": str(collection.id)})
    assert db.session.query(Follow).count() == 1
    page = client.get("/library/following").get_data(as_text=True)
    assert collection.name in page
