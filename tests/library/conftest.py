"""Fixtures of the library tests: collections, and sharing through the upload form."""

import io

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.library import rules
from coordination.library.models import Collection, Document
from tests.library import files


def make_collection(**overrides) -> Collection:
    fields = {"name": "Service guides", "members_may_contribute": True}
    fields.update(overrides)
    collection = Collection(**fields)
    db.session.add(collection)
    db.session.commit()
    return collection


@pytest.fixture
def collection():
    return make_collection()


def share(client, collection, content: bytes | list | None = None, filename: str = "guide.pdf", **fields):
    """Post the upload form as the signed-in user; `content` may also be a list of (bytes, name)."""
    uploads = (
        content
        if isinstance(content, list)
        else [(files.pdf("A service guide") if content is None else content, filename)]
    )
    data = {"language": "en", "visibility": "members", "title": "", **fields}
    data["files"] = [(io.BytesIO(body), name) for body, name in uploads]
    response = client.post(
        f"/library/collections/{collection.id}/upload", data=data, content_type="multipart/form-data"
    )
    # A WSGI server closes the answer once sent; that is when the text of the files is read.
    response.close()
    return response


def shared_document(title: str | None = None) -> Document:
    db.session.expire_all()
    query = select(Document).order_by(Document.id.desc())
    if title:
        query = query.where(Document.title == title)
    return db.session.scalars(query.limit(1)).first()


def extract_pending() -> int:
    """What `flask library extract` does, for tests that run with extraction after requests off."""
    return rules.extract_versions(limit=1000)


def make_document(
    uploader,
    collection,
    *,
    title="A service guide",
    visibility="members",
    shared_with=(),
    status="published",
    content: bytes | None = None,
    filename="guide.pdf",
    language="en",
    text: str = "",
    **fields,
) -> Document:
    """A document with one version whose file is on disk, indexed as the upload would."""
    import hashlib
    import secrets

    from coordination.library import filetypes, search, storage
    from coordination.library.models import DocumentOrganization, DocumentVersion

    content = content if content is not None else files.pdf(title)
    stored_name = secrets.token_hex(20)
    path = storage.folder() / stored_name
    path.write_bytes(content)
    kind = filetypes.sniff(path, filename)
    document = Document(
        collection=collection,
        title=title,
        language=language,
        visibility=visibility,
        status=status,
        organization_id=uploader.organization_id,
        uploaded_by_id=uploader.id,
        file_kind=kind.kind,
        size=len(content),
        **fields,
    )
    document.shared_with = [DocumentOrganization(organization_id=o.id) for o in shared_with]
    document.versions.append(
        DocumentVersion(
            language=language,
            number=1,
            filename=filename,
            stored_name=stored_name,
            content_type=kind.content_type,
            kind=kind.kind,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by_id=uploader.id,
            extraction="done",
            extracted_text=text,
        )
    )
    db.session.add(document)
    db.session.flush()
    search.index_document(document, [text])
    db.session.commit()
    return document


def add_version_file(document, uploader, content: bytes, filename: str, language: str = "en"):
    """A later version of `document`, on disk, as an upload would add it."""
    import hashlib
    import secrets

    from coordination.library import filetypes, storage
    from coordination.library.models import DocumentVersion

    stored_name = secrets.token_hex(20)
    path = storage.folder() / stored_name
    path.write_bytes(content)
    kind = filetypes.sniff(path, filename)
    number = 1 + max((v.number for v in document.versions if v.language == language), default=0)
    version = DocumentVersion(
        document=document,
        language=language,
        number=number,
        filename=filename,
        stored_name=stored_name,
        content_type=kind.content_type,
        kind=kind.kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=uploader.id,
        extraction="done",
        extracted_text="",
    )
    db.session.add(version)
    db.session.commit()
    return version


def sign_in_as(client, user):
    """Sign out whoever is signed in, then sign in as `user`."""
    from tests.conftest import login

    client.post("/logout")
    return login(client, user)
