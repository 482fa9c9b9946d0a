"""Routes of the library: browse, search, share, read, versions, trash, review, comments, follows."""

import logging

from flask import (
    abort,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from coordination.directory.models import Organization
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.forms import ConfirmForm, attach_error, run_rule
from coordination.library import bp, queries, rules, search, storage
from coordination.library.filetypes import KINDS
from coordination.library.forms import (
    CollectionForm,
    CommentForm,
    DigestForm,
    DocumentForm,
    FilterForm,
    FollowForm,
    UploadForm,
    VersionForm,
)
from coordination.library.models import (
    Collection,
    Comment,
    DigestSetting,
    Document,
    DocumentVersion,
    Download,
    Follow,
)
from coordination.library.policy import TRASH_DAYS
from coordination.mail.outbox import send_due
from coordination.pagination import paginate_capped
from coordination.policy import can, require
from coordination.roundtables.models import Roundtable
from coordination.taxonomy import SDGS, SERVICE_AREAS, WORKING_LANGUAGES

log = logging.getLogger("coordination.library")


@bp.context_processor
def vocabularies():
    return {
        "sdg_names": SDGS,
        "service_area_names": SERVICE_AREAS,
        "language_names": WORKING_LANGUAGES,
        "file_kinds": KINDS,
    }


# Loading with the permission check: hidden records answer 404.


def _document(document_id: int) -> Document:
    document = db.session.scalar(
        select(Document)
        .where(Document.id == document_id)
        .options(
            selectinload(Document.shared_with),
            selectinload(Document.tags),
            # What the document page shows around it: one query rather than one each.
            joinedload(Document.collection),
            joinedload(Document.organization),
            joinedload(Document.uploaded_by),
        )
    )
    if document is None or not can(current_user, "document.view", document):
        abort(404)
    return document


def _version(version_id: int) -> DocumentVersion:
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        abort(404)
    _document(version.document_id)
    return version


def _collection(collection_id: int) -> Collection:
    return db.get_or_404(Collection, collection_id)


# Choices of the forms.


def _collection_choices(collections: list[Collection]) -> list[tuple[int, str]]:
    """Each top-level collection followed by its sub-collections, from every collection by name."""
    choices = []
    for top in (c for c in collections if c.parent_id is None):
        choices.append((top.id, top.name))
        choices.extend((child.id, f"— {child.name}") for child in collections if child.parent_id == top.id)
    return choices


def _organization_choices() -> list[tuple[int, str]]:
    return list(
        db.session.execute(
            select(Organization.id, Organization.name)
            .where(Organization.active.is_(True))
            .order_by(Organization.name)
        ).tuples()
    )


def _roundtable_choices() -> list[tuple[int | None, str]]:
    query = select(Roundtable.id, Roundtable.title, Roundtable.starts_at).order_by(
        Roundtable.starts_at.desc()
    )
    if not can(current_user, "roundtable.view_drafts"):
        query = query.where(Roundtable.status != "draft")
    return [(None, "—")] + [
        (row.id, f"{row.title} ({row.starts_at:%Y-%m-%d})") for row in db.session.execute(query)
    ]


def _document_choices(form) -> None:
    form.roundtable_id.choices = _roundtable_choices()
    form.organizations.choices = _organization_choices()


def _filters(form: FilterForm, collections: list[Collection]) -> queries.Filters:
    return queries.Filters(
        collection_id=form.collection.data,
        collection_ids=[
            c.id for c in collections if form.collection.data and c.parent_id == form.collection.data
        ],
        service_area=form.service_area.data or None,
        sdg=form.sdg.data,
        language=form.language.data or None,
        kind=form.kind.data or None,
        organization_id=form.organization.data,
        roundtable_id=form.roundtable.data,
        tag=(form.tag.data or "").strip().lower() or None,
        since=form.since.data,
        until=form.until.data,
        sort=form.sort.data or "newest",
    )


def _filter_form(collections: list[Collection]) -> FilterForm:
    form = FilterForm(request.args, meta={"csrf": False})
    form.collection.choices = [(None, _("All")), *_collection_choices(collections)]
    form.organization.choices = [(None, _("All")), *_organization_choices()]
    form.roundtable.choices = _roundtable_choices()
    if not form.validate():
        # A mistyped date or number is dropped rather than refused: the list still shows.
        for name in form.errors:
            getattr(form, name).data = None
    return form


def _listing(filters: queries.Filters):
    """A page of documents, walked in the order's index until the page is full; the count stops
    a little past the page (see CappedPagination)."""
    query = queries.document_list(current_user, filters).options(joinedload(Document.organization))
    return paginate_capped(query, current_app.config["PER_PAGE"], count=query.with_only_columns(Document.id))


# Browsing and search.


def _library_page(current: Collection | None):
    """The library home (`current` None) or a collection: its sub-collections, the filters, and
    the documents or the hits of a search."""
    collections = db.session.scalars(select(Collection).order_by(Collection.name)).all()
    form = _filter_form(collections)
    if current is not None:
        form.collection.data = current.id
    filters = _filters(form, collections)
    query_text = (form.q.data or "").strip()
    if query_text:
        page = search.search(current_user, query_text, filters, current_app.config["PER_PAGE"])
    else:
        page = _listing(filters)
    following = current is not None and db.session.scalar(
        select(Follow.id).where(Follow.user_id == current_user.id, Follow.collection_id == current.id)
    )
    parent_id = current.id if current is not None else None
    return render_template(
        "library/index.html",
        form=form,
        page=page,
        query_text=query_text,
        collections=[c for c in collections if c.parent_id == parent_id],
        collection=current,
        following=following,
        follow_form=FollowForm(),
    )


@bp.get("/library")
@login_required
def index():
    require(current_user, "library.view")
    return _library_page(None)


@bp.get("/library/collections/<int:collection_id>")
@login_required
def collection(collection_id: int):
    require(current_user, "library.view")
    return _library_page(_collection(collection_id))


@bp.route("/library/collections/new", methods=["GET", "POST"])
@login_required
def create_collection():
    require(current_user, "collection.create")
    return _collection_form(None)


@bp.route("/library/collections/<int:collection_id>/edit", methods=["GET", "POST"])
@login_required
def edit_collection(collection_id: int):
    current = _collection(collection_id)
    require(current_user, "collection.edit", current)
    return _collection_form(current)


def _collection_form(current: Collection | None):
    form = CollectionForm(obj=current)
    form.parent_id.choices = [(None, _("(top level)"))] + [
        (c.id, c.name)
        for c in db.session.scalars(
            select(Collection).where(Collection.parent_id.is_(None)).order_by(Collection.name)
        )
        if current is None or c.id != current.id
    ]
    if form.validate_on_submit():
        saved, saved_collection = run_rule(
            form,
            rules.save_collection,
            current_user,
            current,
            form.name.data,
            form.description.data,
            form.parent_id.data,
            form.members_may_contribute.data,
        )
        if saved:
            flash(_("The collection has been saved."), "success")
            return redirect(url_for("library.collection", collection_id=saved_collection.id))
    return render_template("library/collection_form.html", form=form, collection=current)


# Sharing.


def _extract_after_response(version_ids: list[int]) -> None:
    """Read the new files' text once the answer has gone out; `flask library extract` catches up."""
    if not version_ids or not current_app.config["LIBRARY_EXTRACT_AFTER_REQUEST"]:
        return
    app = current_app._get_current_object()
    limit = current_app.config["LIBRARY_EXTRACT_AFTER_REQUEST_LIMIT"]

    def extract():
        with app.app_context():
            try:
                rules.extract_versions(ids=version_ids[:limit])
                send_due(limit=10)  # the uploader's notice when the guard held a document
            except Exception:  # the command retries what is still pending
                db.session.rollback()
                log.exception("extracting text after the request failed")
            finally:
                db.session.remove()

    @after_this_request
    def schedule(response):
        response.call_on_close(extract)
        return response


def _discard(parts: list[storage.PartFile]) -> None:
    for part in parts:
        part.discard()
        if part.stored_name:
            storage.remove(part.stored_name)


def _files(form) -> list:
    return [file for file in (form.files.data or []) if file and file.filename]


@bp.route("/library/collections/<int:collection_id>/upload", methods=["GET", "POST"])
@login_required
def upload(collection_id: int):
    current = _collection(collection_id)
    require(current_user, "collection.contribute", current)
    form = UploadForm()
    _document_choices(form)
    if form.validate_on_submit():
        files = _files(form)
        if not files:
            form.files.errors = [_("Choose at least one file.")]
        else:
            documents = _share(form, current, files)
            if documents:
                _extract_after_response([v.id for d in documents for v in d.versions])
                _flash_shared(documents)
                if len(documents) == 1:
                    return redirect(url_for("library.document", document_id=documents[0].id))
                return redirect(url_for("library.collection", collection_id=current.id))
    return render_template("library/upload.html", form=form, collection=current)


def _share(form: UploadForm, current: Collection, files: list):
    """Store every file as a document, all or none; a refusal becomes an error on the form."""
    documents, parts = [], []
    try:
        for file in files:
            part = storage.receive(file.stream)
            parts.append(part)
            documents.append(
                rules.share_document(
                    current_user,
                    current,
                    part,
                    file.filename,
                    title=form.title.data if len(files) == 1 else None,
                    language=form.language.data,
                    tags=form.tags.data,
                    organization_ids=form.organizations.data or [],
                    description=form.description.data,
                    service_area=form.service_area.data or None,
                    sdg=form.sdg.data,
                    roundtable_id=form.roundtable_id.data,
                    visibility=form.visibility.data,
                )
            )
        db.session.commit()
    except ValidationFailed as error:
        db.session.rollback()
        attach_error(form, error)
        _discard(parts)
        return []
    except IntegrityError:  # a roundtable or organization chosen that does not exist (any longer)
        db.session.rollback()
        form.form_errors.append(_("A roundtable or organization you chose does not exist. Check them."))
        _discard(parts)
        return []
    except BaseException:
        db.session.rollback()
        _discard(parts)
        raise
    return documents


def _flash_shared(documents: list[Document]) -> None:
    flash(
        ngettext("%(num)d document has been shared.", "%(num)d documents have been shared.", len(documents)),
        "success",
    )
    for document in documents:
        for version in document.versions:
            if version.duplicate_of_id:
                flash(
                    _("%(name)s is identical to a file already in the library.", name=version.filename),
                    "warning",
                )
        if document.status == "checking":
            flash(
                _(
                    "%(title)s is being checked for personal data; others will see it in a moment.",
                    title=document.title,
                ),
                "info",
            )


@bp.get("/library/documents/<int:document_id>")
@login_required
def document(document_id: int):
    return _document_page(_document(document_id), CommentForm())


def _document_page(current: Document, comment_form: CommentForm):
    """The document page; a refused comment comes back in its form with the reason."""
    versions = db.session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == current.id)
        .options(joinedload(DocumentVersion.uploaded_by))
        .order_by(DocumentVersion.language, DocumentVersion.number.desc())
    ).all()
    by_language: dict[str, list[DocumentVersion]] = {}
    for version in versions:
        by_language.setdefault(version.language, []).append(version)
    reader_language = current_user.preferred_language
    languages = sorted(
        by_language, key=lambda code: (code != reader_language, code != current.language, code)
    )
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.document_id == current.id)
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at)
    ).all()
    followed_tags = set(
        db.session.scalars(
            select(Follow.tag).where(Follow.user_id == current_user.id, Follow.tag.is_not(None))
        )
    )
    return render_template(
        "library/document.html",
        document=current,
        by_language=by_language,
        languages=languages,
        missing=[code for code in WORKING_LANGUAGES if code not in by_language],
        comments=comments,
        comment_form=comment_form,
        confirm_form=ConfirmForm(),
        follow_form=FollowForm(),
        followed_tags=followed_tags,
        review_reasons=rules.review_reasons(current),
    )


@bp.route("/library/documents/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit_document(document_id: int):
    current = _document(document_id)
    require(current_user, "document.edit", current)
    form = DocumentForm(obj=current)
    _document_choices(form)
    if not form.is_submitted():
        form.tags.data = ", ".join(current.tag_names)
        form.organizations.data = [share.organization_id for share in current.shared_with]
    if form.validate_on_submit():
        saved, _result = run_rule(
            form,
            rules.update_document,
            current_user,
            current,
            tags=form.tags.data,
            organization_ids=form.organizations.data or [],
            title=form.title.data,
            description=form.description.data,
            service_area=form.service_area.data or None,
            sdg=form.sdg.data,
            roundtable_id=form.roundtable_id.data,
            visibility=form.visibility.data,
        )
        if saved:
            flash(_("The document has been saved."), "success")
            return redirect(url_for("library.document", document_id=current.id))
    return render_template("library/edit.html", form=form, document=current)


@bp.route("/library/documents/<int:document_id>/versions/new", methods=["GET", "POST"])
@login_required
def add_version(document_id: int):
    current = _document(document_id)
    require(current_user, "document.add_version", current)
    form = VersionForm(language=request.args.get("language") or current.language)
    if form.validate_on_submit():
        files = _files(form)
        if len(files) != 1:
            form.files.errors = [_("Choose one file.")]
        else:
            part = storage.receive(files[0].stream)
            saved, version = run_rule(
                form,
                rules.add_version,
                current_user,
                current,
                part,
                files[0].filename,
                form.language.data,
                form.note.data,
            )
            if not saved:
                _discard([part])
            else:
                _extract_after_response([version.id])
                flash(_("The new version has been added; earlier versions are kept."), "success")
                if version.duplicate_of_id:
                    flash(
                        _("%(name)s is identical to a file already in the library.", name=version.filename),
                        "warning",
                    )
                return redirect(url_for("library.document", document_id=current.id))
    return render_template("library/version_form.html", form=form, document=current)


# Reading.

FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def _file_response(version: DocumentVersion, inline: bool):
    path = storage.path_of(version.stored_name)
    if not path.is_file():
        log.error("file of version %s is missing: %s", version.id, path)
        abort(404)
    response = send_file(
        path,
        mimetype=version.content_type,
        as_attachment=not inline,
        download_name=version.filename,
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP if inline else f"{FILE_CSP}; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/library/versions/<int:version_id>/download")
@login_required
def download(version_id: int):
    version = _version(version_id)
    rules.record_download(current_user, version)
    db.session.commit()
    return _file_response(version, inline=KINDS[version.kind].inline)


@bp.get("/library/versions/<int:version_id>/preview")
@login_required
def preview(version_id: int):
    version = _version(version_id)
    if not KINDS[version.kind].inline:
        abort(404)
    return _file_response(version, inline=True)


@bp.get("/library/documents/<int:document_id>/downloads")
@login_required
def downloads(document_id: int):
    current = _document(document_id)
    require(current_user, "document.view_downloads", current)
    query = (
        select(Download)
        .where(Download.document_id == current.id)
        .options(joinedload(Download.organization), joinedload(Download.user))
        .order_by(Download.downloaded_at.desc())
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("library/downloads.html", document=current, page=page)


# Trash and review.


@bp.route("/library/documents/<int:document_id>/delete", methods=["GET", "POST"])
@login_required
def delete_document(document_id: int):
    current = _document(document_id)
    require(current_user, "document.delete", current)
    form = ConfirmForm()
    if form.validate_on_submit():
        rules.trash_document(current_user, current)
        db.session.commit()
        flash(_("The document is in the trash; organizers can restore it for 30 days."), "success")
        return redirect(url_for("library.collection", collection_id=current.collection_id))
    return render_template("library/delete.html", form=form, document=current)


@bp.get("/library/trash")
@login_required
def trash():
    require(current_user, "library.trash")
    query = (
        select(Document)
        .where(Document.deleted_at.is_not(None))
        .options(joinedload(Document.organization))
        .order_by(Document.deleted_at.desc())
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("library/trash.html", page=page, confirm_form=ConfirmForm(), trash_days=TRASH_DAYS)


@bp.post("/library/documents/<int:document_id>/restore")
@login_required
def restore_document(document_id: int):
    current = db.get_or_404(Document, document_id)
    if current.deleted_at is None or not can(current_user, "library.trash"):
        abort(404)
    require(current_user, "document.restore", current)
    if ConfirmForm().validate_on_submit():
        rules.restore_document(current_user, current)
        db.session.commit()
        flash(_("The document has been restored."), "success")
    return redirect(url_for("library.document", document_id=current.id))


@bp.get("/library/review")
@login_required
def review():
    require(current_user, "library.trash")
    documents = db.session.scalars(
        select(Document)
        .where(Document.status == "review", Document.deleted_at.is_(None))
        .options(joinedload(Document.organization), joinedload(Document.uploaded_by))
        .order_by(Document.created_at)
    ).all()
    return render_template("library/review.html", documents=documents, reasons=rules.review_reasons)


@bp.post("/library/documents/<int:document_id>/clear")
@login_required
def clear_document(document_id: int):
    current = _document(document_id)
    require(current_user, "document.clear", current)
    if ConfirmForm().validate_on_submit():
        rules.clear_document(current_user, current)
        db.session.commit()
        flash(_("The document is cleared: it is visible as its sharing allows."), "success")
    return redirect(url_for("library.document", document_id=current.id))


# Comments.


@bp.post("/library/documents/<int:document_id>/comments")
@login_required
def comment(document_id: int):
    current = _document(document_id)
    require(current_user, "document.comment", current)
    form = CommentForm()
    if form.validate_on_submit():
        saved, _added = run_rule(form, rules.add_comment, current_user, current, form.body.data)
        if saved:
            return redirect(url_for("library.document", document_id=current.id, _anchor="comments"))
        return _document_page(current, form)
    flash(_("A comment cannot be empty."), "danger")
    return redirect(url_for("library.document", document_id=current.id, _anchor="comments"))


def _comment(comment_id: int) -> Comment:
    found = db.session.get(Comment, comment_id)
    if found is None:
        abort(404)
    _document(found.document_id)
    return found


@bp.route("/library/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    found = _comment(comment_id)
    require(current_user, "comment.edit", found)
    form = CommentForm(obj=found)
    if form.validate_on_submit():
        saved, _result = run_rule(form, rules.edit_comment, current_user, found, form.body.data)
        if saved:
            return redirect(url_for("library.document", document_id=found.document_id, _anchor="comments"))
    return render_template("library/comment_form.html", form=form, comment=found)


@bp.post("/library/comments/<int:comment_id>/delete")
@login_required
def delete_comment(comment_id: int):
    found = _comment(comment_id)
    require(current_user, "comment.delete", found)
    document_id = found.document_id
    if ConfirmForm().validate_on_submit():
        rules.delete_comment(current_user, found)
        db.session.commit()
        flash(_("The comment has been removed."), "success")
    return redirect(url_for("library.document", document_id=document_id, _anchor="comments"))


# Follows and the digest.


@bp.route("/library/following", methods=["GET", "POST"])
@login_required
def following():
    require(current_user, "library.follow")
    setting = db.session.get(DigestSetting, current_user.id)
    form = DigestForm(frequency=setting.frequency if setting else "weekly")
    if form.validate_on_submit():
        rules.set_digest_frequency(current_user, form.frequency.data)
        db.session.commit()
        flash(_("Your digest setting has been saved."), "success")
        return redirect(url_for("library.following"))
    follows = db.session.scalars(
        select(Follow)
        .where(Follow.user_id == current_user.id)
        .options(joinedload(Follow.collection))
        .order_by(Follow.created_at)
    ).all()
    return render_template("library/following.html", form=form, follows=follows, confirm_form=ConfirmForm())


@bp.post("/library/follow")
@login_required
def follow():
    require(current_user, "library.follow")
    form = FollowForm()
    back = url_for("library.following")
    if form.validate_on_submit():
        if form.collection_id.data and db.session.get(Collection, form.collection_id.data) is None:
            abort(404)
        try:
            rules.follow(current_user, form.collection_id.data, form.tag.data)
            db.session.commit()
            flash(_("You will find what is new in your digest."), "success")
        except ValidationFailed as error:
            db.session.rollback()
            flash(str(error.message), "danger")
    return redirect(back)


@bp.post("/library/follows/<int:follow_id>/delete")
@login_required
def unfollow(follow_id: int):
    require(current_user, "library.follow")
    if (
        db.session.scalar(
            select(func.count(Follow.id)).where(Follow.id == follow_id, Follow.user_id == current_user.id)
        )
        == 0
    ):
        abort(404)
    if ConfirmForm().validate_on_submit():
        rules.unfollow(current_user, follow_id)
        db.session.commit()
        flash(_("You no longer follow it."), "success")
    return redirect(url_for("library.following"))
