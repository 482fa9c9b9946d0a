"""Routes of the announcements area: the list, one announcement, posting, correcting, the Atom feed."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordination.announcements import bp, feed, rules
from coordination.announcements.forms import LANGUAGE_NAMES, AnnouncementForm
from coordination.announcements.models import Announcement
from coordination.extensions import db
from coordination.forms import ConfirmForm, run_rule
from coordination.i18n import current_language
from coordination.policy import require
from coordination.texts import LANGUAGES, localize
from coordination.urls import external_url

PER_PAGE = 20
FEED_SIZE = 30


@bp.context_processor
def helpers():
    language = current_language()
    return {"tr": lambda texts: localize(texts, language), "language_names": LANGUAGE_NAMES}


def _announcement(announcement_id: int) -> Announcement:
    require(current_user, "announcement.view")
    announcement = db.session.scalar(rules.announcements_query().where(Announcement.id == announcement_id))
    if announcement is None:
        abort(404)
    return announcement


@bp.get("/announcements")
@login_required
def index():
    require(current_user, "announcement.view")
    page = db.paginate(rules.announcements_query(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "announcements/index.html",
        page=page,
        feed_url=external_url("announcements.atom", key=feed.feed_key(current_user)),
    )


@bp.get("/announcements/<int:announcement_id>")
@login_required
def detail(announcement_id: int):
    announcement = _announcement(announcement_id)
    return render_template("announcements/detail.html", announcement=announcement)


def _form(announcement: Announcement | None) -> AnnouncementForm:
    form = AnnouncementForm()
    form.roundtable_id.choices = [*form.roundtable_id.choices, *rules.roundtable_choices()]
    current = announcement.document_id if announcement is not None else None
    form.document_id.choices = [*form.document_id.choices, *rules.document_choices(current)]
    if request.method == "GET" and announcement is not None:
        form.fill_texts(announcement.texts)
        form.roundtable_id.data = announcement.roundtable_id
        form.document_id.data = announcement.document_id
    return form


@bp.route("/announcements/new", methods=["GET", "POST"])
@login_required
def create():
    require(current_user, "announcement.create")
    form = _form(None)
    if form.validate_on_submit():
        saved, result = run_rule(
            form,
            rules.post_announcement,
            current_user,
            texts=form.texts_data(),
            roundtable_id=form.roundtable_id.data,
            document_id=form.document_id.data,
            mail_members=form.mail_members.data,
        )
        if saved:
            announcement, queued = result
            if queued:
                flash(
                    _("Published, and queued by mail to %(count)s members.", count=queued),
                    "success",
                )
            else:
                flash(_("Published."), "success")
            return redirect(url_for("announcements.detail", announcement_id=announcement.id))
    return render_template("announcements/form.html", form=form, announcement=None, languages=LANGUAGES)


@bp.route("/announcements/<int:announcement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(announcement_id: int):
    announcement = _announcement(announcement_id)
    require(current_user, "announcement.edit", announcement)
    form = _form(announcement)
    del form.mail_members
    if form.validate_on_submit():
        saved, _result = run_rule(
            form,
            rules.update_announcement,
            current_user,
            announcement,
            texts=form.texts_data(),
            roundtable_id=form.roundtable_id.data,
            document_id=form.document_id.data,
        )
        if saved:
            flash(_("Saved."), "success")
            return redirect(url_for("announcements.detail", announcement_id=announcement.id))
    return render_template(
        "announcements/form.html", form=form, announcement=announcement, languages=LANGUAGES
    )


@bp.route("/announcements/<int:announcement_id>/delete", methods=["GET", "POST"])
@login_required
def delete(announcement_id: int):
    announcement = _announcement(announcement_id)
    require(current_user, "announcement.delete", announcement)
    form = ConfirmForm()
    if form.validate_on_submit():
        rules.delete_announcement(current_user, announcement)
        db.session.commit()
        flash(_("The announcement has been removed."), "success")
        return redirect(url_for("announcements.index"))
    return render_template("announcements/delete.html", form=form, announcement=announcement)


@bp.get("/announcements.atom")
def atom():
    """The feed, for a signed-in browser or a feed reader holding the person's key."""
    reader = (
        current_user if current_user.is_authenticated else feed.user_for_feed_key(request.args.get("key"))
    )
    if reader is None:
        abort(404)  # a feed reader cannot sign in: a missing or spent key simply finds nothing
    require(reader, "announcement.view")
    language = reader.preferred_language if reader.preferred_language in LANGUAGES else "en"
    items = list(db.session.scalars(rules.announcements_query().limit(FEED_SIZE)))
    with force_locale(language):
        body = feed.atom_feed(
            items,
            language,
            title=_("Announcements · %(site)s", site=current_app.config["SITE_NAME"]),
            self_url=external_url("announcements.atom", **request.args.to_dict()),
            reader=reader,
        )
    return Response(body, mimetype="application/atom+xml")
