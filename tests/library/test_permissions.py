"""Who may do what in the library: every route × role, with documents of each visibility.

The documents: `public` (all members; shared by the focal point of the Sudanese embassy),
`shared` (the same focal point, chosen organizations: a third embassy), `shared_other` (an
organizer's, shared with Eritrea only), `held` (the member's, held by the personal-data guard),
`organizers_only` (an organizer's), `trashed` (in the trash). Hidden documents answer 404.
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.library import queries
from coordination.library.models import Comment, Document, DocumentVersion, Download, Follow
from coordination.policy import can
from coordination.timeutil import utcnow
from tests.factories import make_organization
from tests.library import files
from tests.library.conftest import make_collection, make_document
from tests.matrix import (
    LOGIN,
    ORGANIZER_200,
    ORGANIZER_ONLY,
    ROLES,
    SIGNED_IN_200,
    Case,
    Redirect,
    check,
    check_paths,
    database_state,
    params,
)

DOC = "/library/documents/{%s}"
ALL_REDIRECT = lambda to: (LOGIN, *[Redirect(to)] * 4)  # noqa: E731

CASES = [
    Case("library.index", "GET", "/library", SIGNED_IN_200),
    Case("library.index", "GET", "/library?q=guide", SIGNED_IN_200, note="search"),
    Case("library.collection", "GET", "/library/collections/{collection}", SIGNED_IN_200),
    Case("library.collection", "GET", "/library/collections/999999", (LOGIN, 404, 404, 404, 404)),
    Case("library.create_collection", "GET", "/library/collections/new", ORGANIZER_200),
    Case("library.create_collection", "POST", "/library/collections/new", ORGANIZER_200, data={"name": ""}),
    Case("library.edit_collection", "GET", "/library/collections/{collection}/edit", ORGANIZER_200),
    Case(
        "library.edit_collection",
        "POST",
        "/library/collections/{collection}/edit",
        ORGANIZER_200,
        data={"name": ""},
    ),
    Case("library.upload", "GET", "/library/collections/{collection}/upload", SIGNED_IN_200),
    Case(
        "library.upload",
        "POST",
        "/library/collections/{collection}/upload",
        SIGNED_IN_200,
        data={"language": "en"},
    ),
    Case(
        "library.upload",
        "GET",
        "/library/collections/{closed}/upload",
        ORGANIZER_200,
        note="organizers' collection",
    ),
    Case(
        "library.upload",
        "POST",
        "/library/collections/{closed}/upload",
        ORGANIZER_200,
        data={"language": "en"},
    ),
    # Reading: the document page, every version's download and the preview.
    Case("library.document", "GET", DOC % "public", SIGNED_IN_200),
    Case("library.document", "GET", DOC % "shared", (LOGIN, 200, 200, 404, 200), note="outside the chosen"),
    Case(
        "library.document", "GET", DOC % "shared_other", (LOGIN, 404, 404, 200, 200), note="inside the chosen"
    ),
    Case(
        "library.document", "GET", DOC % "held", (LOGIN, 200, 404, 404, 200), note="uploader and organizers"
    ),
    Case("library.document", "GET", DOC % "organizers_only", (LOGIN, 404, 404, 404, 200)),
    Case("library.document", "GET", DOC % "trashed", (LOGIN, 404, 404, 404, 404)),
    Case("library.document", "GET", "/library/documents/999999", (LOGIN, 404, 404, 404, 404)),
    Case(
        "library.download",
        "GET",
        "/library/versions/{public_v1}/download",
        SIGNED_IN_200,
        note="earlier version",
    ),
    Case("library.download", "GET", "/library/versions/{public_v2}/download", SIGNED_IN_200),
    Case("library.download", "GET", "/library/versions/{shared_v1}/download", (LOGIN, 200, 200, 404, 200)),
    Case(
        "library.download", "GET", "/library/versions/{shared_other_v1}/download", (LOGIN, 404, 404, 200, 200)
    ),
    Case("library.download", "GET", "/library/versions/{held_v1}/download", (LOGIN, 200, 404, 404, 200)),
    Case(
        "library.download",
        "GET",
        "/library/versions/{organizers_only_v1}/download",
        (LOGIN, 404, 404, 404, 200),
    ),
    Case("library.download", "GET", "/library/versions/{trashed_v1}/download", (LOGIN, 404, 404, 404, 404)),
    Case("library.download", "GET", "/library/versions/999999/download", (LOGIN, 404, 404, 404, 404)),
    Case("library.preview", "GET", "/library/versions/{public_v2}/preview", SIGNED_IN_200),
    Case("library.preview", "GET", "/library/versions/{shared_v1}/preview", (LOGIN, 200, 200, 404, 200)),
    Case("library.preview", "GET", "/library/versions/{held_v1}/preview", (LOGIN, 200, 404, 404, 200)),
    Case(
        "library.preview",
        "GET",
        "/library/versions/{docx_v1}/preview",
        (LOGIN, 404, 404, 404, 404),
        note="not previewable",
    ),
    Case(
        "library.downloads",
        "GET",
        DOC % "public" + "/downloads",
        (LOGIN, 200, 200, 403, 200),
        note="uploader's organization",
    ),
    Case("library.downloads", "GET", DOC % "shared_other" + "/downloads", (LOGIN, 404, 404, 403, 200)),
    # Changing a document: its uploader and organizers; deleting: organizers.
    Case("library.edit_document", "GET", DOC % "public" + "/edit", (LOGIN, 403, 200, 403, 200)),
    Case(
        "library.edit_document",
        "POST",
        DOC % "public" + "/edit",
        (LOGIN, 403, 200, 403, 200),
        data={"title": ""},
    ),
    Case("library.edit_document", "GET", DOC % "shared" + "/edit", (LOGIN, 403, 200, 404, 200)),
    Case("library.add_version", "GET", DOC % "public" + "/versions/new", (LOGIN, 403, 200, 403, 200)),
    Case(
        "library.add_version",
        "POST",
        DOC % "public" + "/versions/new",
        (LOGIN, 403, 200, 403, 200),
        data={"language": "fr"},
    ),
    Case("library.add_version", "GET", DOC % "held" + "/versions/new", (LOGIN, 200, 404, 404, 200)),
    Case("library.delete_document", "GET", DOC % "public" + "/delete", ORGANIZER_200),
    Case("library.delete_document", "GET", DOC % "shared" + "/delete", (LOGIN, 403, 403, 404, 200)),
    Case(
        "library.delete_document",
        "POST",
        DOC % "public" + "/delete",
        (*ORGANIZER_ONLY, Redirect("/library/collections/{collection}")),
    ),
    Case("library.trash", "GET", "/library/trash", ORGANIZER_200),
    Case(
        "library.restore_document",
        "POST",
        DOC % "trashed" + "/restore",
        (LOGIN, 404, 404, 404, Redirect(DOC % "trashed")),
    ),
    Case(
        "library.restore_document",
        "POST",
        DOC % "public" + "/restore",
        (LOGIN, 404, 404, 404, 404),
        note="not in the trash",
    ),
    Case("library.review", "GET", "/library/review", ORGANIZER_200),
    Case(
        "library.clear_document",
        "POST",
        DOC % "held" + "/clear",
        (LOGIN, 403, 404, 404, Redirect(DOC % "held")),
    ),
    # Comments.
    Case(
        "library.comment",
        "POST",
        DOC % "public" + "/comments",
        ALL_REDIRECT(DOC % "public"),
        data={"body": "Useful, thank you."},
    ),
    Case(
        "library.comment",
        "POST",
        DOC % "shared" + "/comments",
        (LOGIN, Redirect(DOC % "shared"), Redirect(DOC % "shared"), 404, Redirect(DOC % "shared")),
        data={"body": "Useful."},
    ),
    Case(
        "library.comment",
        "POST",
        DOC % "held" + "/comments",
        (LOGIN, 403, 404, 404, 403),
        data={"body": "Held."},
        note="not while held",
    ),
    Case("library.edit_comment", "GET", "/library/comments/{comment}/edit", (LOGIN, 200, 403, 403, 403)),
    Case(
        "library.edit_comment",
        "POST",
        "/library/comments/{comment}/edit",
        (LOGIN, 200, 403, 403, 403),
        data={"body": ""},
    ),
    Case(
        "library.edit_comment",
        "GET",
        "/library/comments/{old_comment}/edit",
        (LOGIN, 403, 403, 403, 403),
        note="after 15 minutes",
    ),
    Case(
        "library.edit_comment", "GET", "/library/comments/{shared_comment}/edit", (LOGIN, 200, 403, 404, 403)
    ),
    Case(
        "library.delete_comment",
        "POST",
        "/library/comments/{comment}/delete",
        (LOGIN, Redirect(DOC % "public"), 403, 403, Redirect(DOC % "public")),
    ),
    Case(
        "library.delete_comment",
        "POST",
        "/library/comments/{old_comment}/delete",
        (*ORGANIZER_ONLY, Redirect(DOC % "public")),
        note="organizers moderate",
    ),
    # Following and the digest setting.
    Case("library.following", "GET", "/library/following", SIGNED_IN_200),
    Case(
        "library.following",
        "POST",
        "/library/following",
        ALL_REDIRECT("/library/following"),
        data={"frequency": "daily"},
    ),
    Case(
        "library.follow",
        "POST",
        "/library/follow",
        ALL_REDIRECT("/library/following"),
        data={"collection_id": "{collection}"},
    ),
    Case(
        "library.unfollow",
        "POST",
        "/library/follows/{follow}/delete",
        (LOGIN, Redirect("/library/following"), 404, 404, 404),
    ),
]


def library_state():
    """What a refused request must leave untouched, the library's records included."""
    db.session.rollback()
    return {
        **database_state(),
        "documents": db.session.execute(
            select(
                Document.id, Document.title, Document.status, Document.deleted_at, Document.download_count
            ).order_by(Document.id)
        ).all(),
        "versions": db.session.scalar(select(func.count(DocumentVersion.id))),
        "downloads": db.session.scalar(select(func.count(Download.id))),
        "comments": db.session.execute(select(Comment.id, Comment.body).order_by(Comment.id)).all(),
        "follows": db.session.scalar(select(func.count(Follow.id))),
    }


@pytest.fixture
def records(organization, other_organization, organizer, focal_point, member, other_focal_point):
    third = make_organization(name="Embassy of Kenya", country="KE")
    collection = make_collection(name="Service guides")
    closed = make_collection(name="Meeting materials", members_may_contribute=False)
    public = make_document(focal_point, collection, title="Public guide")
    make_later_version(public, focal_point)
    shared = make_document(
        focal_point, collection, title="Shared guide", visibility="organizations", shared_with=[third]
    )
    shared_other = make_document(
        organizer,
        collection,
        title="Guide for Eritrea",
        visibility="organizations",
        shared_with=[other_organization],
    )
    held = make_document(member, collection, title="Held list", status="review", review_reason="passport")
    organizers_only = make_document(organizer, closed, title="Organizers note", visibility="organizers")
    trashed = make_document(
        focal_point, collection, title="Old guide", deleted_at=utcnow() - timedelta(days=2)
    )
    docx = make_document(
        focal_point, collection, title="Word guide", content=files.docx(["Word"]), filename="g.docx"
    )
    comment = Comment(document_id=public.id, author_id=member.id, body="Very useful.")
    old_comment = Comment(
        document_id=public.id, author_id=member.id, body="Old.", created_at=utcnow() - timedelta(hours=1)
    )
    shared_comment = Comment(document_id=shared.id, author_id=member.id, body="On the shared one.")
    follow = Follow(user_id=member.id, tag="avrr")
    db.session.add_all([comment, old_comment, shared_comment, follow])
    db.session.commit()
    users = {
        "member": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organizer": organizer,
    }
    ids = {
        "collection": collection.id,
        "closed": closed.id,
        "comment": comment.id,
        "old_comment": old_comment.id,
        "shared_comment": shared_comment.id,
        "follow": follow.id,
    }
    for name, document in {
        "public": public,
        "shared": shared,
        "shared_other": shared_other,
        "held": held,
        "organizers_only": organizers_only,
        "trashed": trashed,
        "docx": docx,
    }.items():
        ids[name] = document.id
        for version in document.versions:
            ids[f"{name}_v{version.number}"] = version.id
    return {
        "users": users,
        "ids": ids,
        "documents": [public, shared, shared_other, held, organizers_only, trashed, docx],
    }


def make_later_version(document, uploader):
    from tests.library.conftest import add_version_file

    add_version_file(document, uploader, files.pdf("Second edition"), "guide-v2.pdf")


@pytest.mark.parametrize(("case", "role", "expected"), list(params(CASES)))
def test_permission_matrix(app, client, records, case, role, expected):
    check(client, records, case, role, expected, library_state)


def test_matrix_paths_reach_the_endpoint_they_name(app, records):
    check_paths(app, records, [replace(case, path=case.path.split("?")[0]) for case in CASES])


def _role_users(records):
    return {"anonymous": AnonymousUserMixin(), **records["users"]}


def test_the_sql_visibility_agrees_with_the_permission_for_every_role(records):
    """Lists and search filter in SQL, pages check in Python: both give the same answer."""
    for role, user in _role_users(records).items():
        in_sql = set(db.session.scalars(select(Document.id).where(queries.visible_to(user))))
        in_python = {d.id for d in records["documents"] if can(user, "document.view", d)}
        assert in_sql == in_python, role


EXPECTED_TITLES = {
    "anonymous": None,
    "member": {"Public guide", "Shared guide", "Held list", "Word guide"},
    "focal_point": {"Public guide", "Shared guide", "Word guide"},
    "other_focal_point": {"Public guide", "Guide for Eritrea", "Word guide"},
    "organizer": {
        "Public guide",
        "Shared guide",
        "Guide for Eritrea",
        "Held list",
        "Organizers note",
        "Word guide",
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/library", "/library?q=guide+OR+list+OR+note", "/library?q=guide"])
def test_list_and_search_show_exactly_what_each_role_may_see(client, records, role, path):
    from tests.conftest import login

    if role != "anonymous":
        login(client, records["users"][role])
    response = client.get(path)
    expected = EXPECTED_TITLES[role]
    if expected is None:
        assert response.status_code == 302
        return
    page = response.get_data(as_text=True)
    shown = {d.title for d in records["documents"] if f"> {d.title}</a>" in page}
    if "q=guide+OR" in path:
        # Every word must match: "guide OR list OR note" finds nothing, for anyone.
        assert shown == set()
    elif "q=guide" in path:
        assert shown == {title for title in expected if "guide" in title.lower()}
    else:
        assert shown == expected


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_the_digest_mails_each_role_exactly_what_it_may_see(runner, records, smtp_server, role):
    from coordination.library.models import Collection
    from tests.conftest import body_text

    user = records["users"][role]
    for collection_id in db.session.scalars(select(Collection.id)):
        db.session.add(Follow(user_id=user.id, collection_id=collection_id))
    db.session.commit()
    assert runner.invoke(args=["library", "digest"]).exit_code == 0
    runner.invoke(args=["outbox", "send"])
    text = body_text(smtp_server.wait_for(1)[0])
    mailed = {d.title for d in records["documents"] if f"- {d.title} (" in text}
    assert mailed == EXPECTED_TITLES[role] - {"Held list"}  # held documents are never in a digest
