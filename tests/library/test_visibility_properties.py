"""Who sees a document is written twice: in SQL for every list and search (queries.visible_to) and
in Python for one document (permissions, "document.view"). For random small worlds of
organizations, people of each role and documents of every visibility, status and sharing, both
give the same answer for every (person, document) pair."""

from datetime import timedelta

from flask_login import AnonymousUserMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.extensions import db
from coordination.library.models import (
    Collection,
    Document,
    DocumentOrganization,
    DocumentStatus,
    Visibility,
)
from coordination.library.queries import visible_to
from coordination.policy import can
from coordination.timeutil import utcnow
from tests.conftest import forget_everything

ORGANIZATIONS = 3
NOBODY = -1  # no organization, or no uploader

people = st.lists(
    st.tuples(
        st.sampled_from(list(Role)),
        st.booleans(),  # active
        st.integers(NOBODY, ORGANIZATIONS - 1),
    ),
    min_size=1,
    max_size=5,
)


def documents(people_count: int):
    return st.lists(
        st.fixed_dictionaries(
            {
                "visibility": st.sampled_from(list(Visibility)),
                "status": st.sampled_from(list(DocumentStatus)),
                "deleted": st.booleans(),
                "uploader": st.integers(NOBODY, people_count - 1),
                "organization": st.integers(NOBODY, ORGANIZATIONS - 1),
                "shared_with": st.sets(st.integers(0, ORGANIZATIONS - 1), max_size=ORGANIZATIONS),
            }
        ),
        min_size=1,
        max_size=6,
    )


worlds = people.flatmap(lambda persons: st.tuples(st.just(persons), documents(len(persons))))


def build(persons, specs) -> tuple[list[User], list[Document]]:
    organizations = [
        Organization(name=f"Embassy {number}", kind="embassy", country="SD")
        for number in range(ORGANIZATIONS)
    ]
    users = [
        User(
            name=f"Person {number}",
            email=f"person{number}@example.org",
            role=role,
            active=active,
            organization=organizations[organization] if organization != NOBODY else None,
        )
        for number, (role, active, organization) in enumerate(persons)
    ]
    collection = Collection(name="Guides")
    db.session.add_all([*organizations, *users, collection])
    db.session.flush()
    records = []
    for number, spec in enumerate(specs):
        document = Document(
            collection_id=collection.id,
            title=f"Document {number}",
            visibility=spec["visibility"],
            status=spec["status"],
            deleted_at=utcnow() - timedelta(days=1) if spec["deleted"] else None,
            uploaded_by_id=users[spec["uploader"]].id if spec["uploader"] != NOBODY else None,
            organization_id=(
                organizations[spec["organization"]].id if spec["organization"] != NOBODY else None
            ),
        )
        db.session.add(document)
        db.session.flush()
        db.session.add_all(
            DocumentOrganization(document_id=document.id, organization_id=organizations[index].id)
            for index in spec["shared_with"]
        )
        records.append(document)
    db.session.commit()
    return users, records


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_the_sql_list_and_the_permission_agree_for_every_person_and_document(app, world):
    persons, specs = world
    try:
        users, records = build(persons, specs)
        for user in [*users, AnonymousUserMixin()]:
            listed = set(db.session.scalars(select(Document.id).where(visible_to(user))))
            for document in records:
                allowed = can(user, "document.view", document)
                assert (document.id in listed) == allowed, (
                    f"{user!r} / document {document.id}: SQL lists it: {document.id in listed}, "
                    f"the permission allows it: {allowed}"
                )
    finally:
        forget_everything()
