"""Routes of the suggestions area: the list with its chart, proposing, supporting, discussing, triage."""

import functools

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.forms import ConfirmForm, run_rule
from coordination.i18n import current_language
from coordination.inputs import page_number
from coordination.policy import require
from coordination.suggestions import bp, rules
from coordination.suggestions.forms import (
    CommentForm,
    HideCommentForm,
    SuggestionFilterForm,
    SuggestionForm,
    TriageForm,
)
from coordination.suggestions.models import Suggestion, SuggestionComment, SuggestionStatus
from coordination.taxonomy import SDGS, SERVICE_AREAS

PER_PAGE = 20


@functools.cache
def _labels(language: str) -> dict:
    with force_locale(language):
        return {
            "service_area_labels": {key: str(label) for key, label in SERVICE_AREAS.items()},
            "sdg_labels": {key: str(label) for key, label in SDGS.items()},
        }


@bp.context_processor
def labels():
    # Translated once per language rather than on every row of every page.
    return {**_labels(current_language()), "suggestion_status": SuggestionStatus}


def _suggestion(suggestion_id: int) -> Suggestion:
    require(current_user, "suggestion.view")
    suggestion = rules.load_suggestion(suggestion_id)
    if suggestion is None:
        abort(404)
    return suggestion


@bp.get("/suggestions")
@login_required
def index():
    require(current_user, "suggestion.view")
    form = SuggestionFilterForm(request.args)
    form.organization.choices = [*form.organization.choices, *rules.proposing_organizations()]
    form.validate()
    filters = rules.SuggestionFilters(
        **{
            name: getattr(form, name).data or None
            for name in ("status", "service_area", "sdg")
            if not getattr(form, name).errors
        },
        organization_id=None if form.organization.errors else form.organization.data,
        sort="supported" if form.sort.data == "supported" else "newest",
    )
    # The page of ids, then its rows; the total is counted apart, without the sort's subqueries.
    page = db.paginate(
        rules.suggestion_ids(filters), page=page_number(), per_page=PER_PAGE, error_out=False, count=False
    )
    page.total = rules.count_suggestions(filters)
    page.items = rules.list_rows(list(page.items))
    counts = rules.counts_by_area_and_status()
    return render_template(
        "suggestions/index.html",
        form=form,
        page=page,
        counts=counts,
        statuses=list(SuggestionStatus),
        chart=_chart(counts),
        filtered=any((filters.status, filters.service_area, filters.sdg, filters.organization_id)),
    )


def _chart(counts: dict[str, dict[str, int]]) -> dict:
    """The chart's data: one bar per service area, stacked by status (the table shows the same)."""
    labels = _labels(current_language())
    return {
        "labels": [labels["service_area_labels"].get(area, area) for area in counts],
        "datasets": [
            {
                "label": str(status.label),
                "data": [counts[area].get(status, 0) for area in counts],
            }
            for status in SuggestionStatus
        ],
    }


@bp.route("/suggestions/new", methods=["GET", "POST"])
@login_required
def create():
    require(current_user, "suggestion.create")
    form = SuggestionForm()
    if form.validate_on_submit():
        saved, suggestion = run_rule(form, rules.propose_suggestion, current_user, **_fields(form))
        if saved:
            flash(_("Thank you: your suggestion is published for all members."), "success")
            return redirect(url_for("suggestions.detail", suggestion_id=suggestion.id))
    return render_template("suggestions/form.html", form=form, suggestion=None)


@bp.get("/suggestions/<int:suggestion_id>")
@login_required
def detail(suggestion_id: int):
    suggestion = _suggestion(suggestion_id)
    return _render_detail(suggestion, CommentForm())


def _render_detail(suggestion: Suggestion, comment_form: CommentForm, status: int = 200):
    return render_template(
        "suggestions/detail.html",
        suggestion=suggestion,
        supporters=rules.supporting_organizations(suggestion),
        comments=rules.comments_of(suggestion),
        own_support=rules.support_of(suggestion, current_user.organization_id),
        comment_form=comment_form,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/suggestions/<int:suggestion_id>/edit", methods=["GET", "POST"])
@login_required
def edit(suggestion_id: int):
    suggestion = _suggestion(suggestion_id)
    require(current_user, "suggestion.edit", suggestion)
    form = SuggestionForm(obj=suggestion)
    if (
        form.validate_on_submit()
        and run_rule(form, rules.update_suggestion, current_user, suggestion, **_fields(form))[0]
    ):
        flash(_("Your suggestion has been saved."), "success")
        return redirect(url_for("suggestions.detail", suggestion_id=suggestion.id))
    return render_template("suggestions/form.html", form=form, suggestion=suggestion)


@bp.route("/suggestions/<int:suggestion_id>/delete", methods=["GET", "POST"])
@login_required
def delete(suggestion_id: int):
    suggestion = _suggestion(suggestion_id)
    require(current_user, "suggestion.delete", suggestion)
    form = ConfirmForm()
    if form.validate_on_submit():
        rules.delete_suggestion(current_user, suggestion)
        db.session.commit()
        flash(_("Your suggestion has been withdrawn."), "success")
        return redirect(url_for("suggestions.index"))
    return render_template("suggestions/delete.html", form=form, suggestion=suggestion)


@bp.post("/suggestions/<int:suggestion_id>/support")
@login_required
def support(suggestion_id: int):
    suggestion = _suggestion(suggestion_id)
    require(current_user, "suggestion.support", suggestion)
    if ConfirmForm().validate_on_submit():
        try:
            rules.support_suggestion(current_user, suggestion)
            db.session.commit()
        except ValidationFailed as error:
            db.session.rollback()
            flash(str(error.message), "warning")
        except IntegrityError:
            # A colleague's support was saved between the check and this one.
            db.session.rollback()
            flash(str(rules.ALREADY_SUPPORTED), "warning")
        else:
            flash(
                _(
                    "%(organization)s now supports this suggestion.",
                    organization=current_user.organization.name,
                ),
                "success",
            )
    return redirect(url_for("suggestions.detail", suggestion_id=suggestion_id))


@bp.post("/suggestions/<int:suggestion_id>/support/withdraw")
@login_required
def withdraw_support(suggestion_id: int):
    suggestion = _suggestion(suggestion_id)
    own = rules.support_of(suggestion, current_user.organization_id)
    if own is None:
        flash(_("Your organization does not support this suggestion."), "info")
        return redirect(url_for("suggestions.detail", suggestion_id=suggestion_id))
    require(current_user, "suggestion.withdraw_support", own)
    if ConfirmForm().validate_on_submit():
        rules.withdraw_support(current_user, own)
        db.session.commit()
        flash(_("Your organization no longer supports this suggestion."), "success")
    return redirect(url_for("suggestions.detail", suggestion_id=suggestion_id))


@bp.post("/suggestions/<int:suggestion_id>/comments")
@login_required
def comment(suggestion_id: int):
    suggestion = _suggestion(suggestion_id)
    require(current_user, "suggestion.comment", suggestion)
    form = CommentForm()
    if form.validate_on_submit():
        saved, added = run_rule(form, rules.add_comment, current_user, suggestion, form.body.data)
        if saved:
            flash(_("Your comment has been added."), "success")
            return redirect(
                url_for("suggestions.detail", suggestion_id=suggestion_id, _anchor=f"comment-{added.id}")
            )
    return _render_detail(suggestion, form)


@bp.route("/suggestion-comments/<int:comment_id>/hide", methods=["GET", "POST"])
@login_required
def hide_comment(comment_id: int):
    comment = db.get_or_404(SuggestionComment, comment_id)
    require(current_user, "suggestion_comment.hide", comment)
    form = HideCommentForm()
    if (
        form.validate_on_submit()
        and run_rule(form, rules.hide_comment, current_user, comment, form.reason.data)[0]
    ):
        flash(_("The comment is hidden; members see your reason in its place."), "success")
        return redirect(
            url_for(
                "suggestions.detail", suggestion_id=comment.suggestion_id, _anchor=f"comment-{comment.id}"
            )
        )
    return render_template("suggestions/hide_comment.html", form=form, comment=comment)


@bp.route("/suggestions/<int:suggestion_id>/triage", methods=["GET", "POST"])
@login_required
def triage(suggestion_id: int):
    suggestion = _suggestion(suggestion_id)
    require(current_user, "suggestion.triage", suggestion)
    form = TriageForm(obj=suggestion)
    if form.validate_on_submit():
        saved, mailed = run_rule(
            form, rules.triage_suggestion, current_user, suggestion, form.status.data, form.reply.data
        )
        if saved:
            if mailed:
                flash(
                    _("Saved. The reply has been mailed to %(addresses)s.", addresses=", ".join(mailed)),
                    "success",
                )
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("suggestions.detail", suggestion_id=suggestion.id))
    return render_template("suggestions/triage.html", form=form, suggestion=suggestion)


def _fields(form: SuggestionForm) -> dict:
    return {name: getattr(form, name).data for name in rules.SUGGESTION_FIELDS}
