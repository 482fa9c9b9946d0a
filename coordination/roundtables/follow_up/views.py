"""Routes of a roundtable's follow-up: minutes (revisions, clearance, comments) and action items."""

import functools

from babel import dates as babel_dates
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.forms import ConfirmForm, run_rule
from coordination.i18n import current_language
from coordination.policy import can, require
from coordination.roundtables import bp
from coordination.roundtables.follow_up import actions
from coordination.roundtables.follow_up import minutes as rules_minutes
from coordination.roundtables.follow_up.forms import (
    ActionItemForm,
    BoardFilterForm,
    CirculateForm,
    CommentForm,
    MinutesForm,
    NoteForm,
)
from coordination.roundtables.models import ActionItemStatus, Roundtable
from coordination.roundtables.registrations import attending_organizations
from coordination.roundtables.rules import agenda_of, to_utc
from coordination.taxonomy import SDGS, SERVICE_AREAS
from coordination.timeutil import utcnow


@functools.cache
def _labels(language: str) -> dict:
    """The follow-up lists' words in `language`, translated once per process rather than per row."""
    date_pattern = babel_dates.get_date_format("medium", locale=language)
    return {
        "sdg": {number: _("SDG %(num)d", num=number) for number in SDGS},
        "area": {key: str(label) for key, label in SERVICE_AREAS.items()},
        # "{date}" is filled in per row, with a date formatted by `day`.
        "due": _("Due %(date)s", date="{date}"),
        "day": functools.partial(babel_dates.format_date, format=date_pattern, locale=language),
    }


@bp.context_processor
def follow_up_labels():
    return {"follow_up_labels": _labels(current_language()), "minutes_html": rules_minutes.minutes_html}


def _roundtable(roundtable_id: int) -> Roundtable:
    """The roundtable with its minutes (one query); 404 when the viewer may not see it."""
    roundtable = db.session.scalar(
        select(Roundtable).where(Roundtable.id == roundtable_id).options(joinedload(Roundtable.minutes))
    )
    if roundtable is None or not can(current_user, "roundtable.view", roundtable):
        abort(404)
    return roundtable


def _visible_minutes(roundtable: Roundtable):
    """The minutes and whether the viewer took part; 404 unless the viewer may read them."""
    minutes = roundtable.minutes
    # Taking part matters while the minutes are circulated or adopted, and not to organizers.
    participant = (
        minutes is not None
        and minutes.status in ("circulated", "adopted")
        and not can(current_user, "minutes.read_comments", minutes)
        and rules_minutes.is_participant(current_user, roundtable)
    )
    if not can(current_user, "minutes.view", minutes, participant):
        abort(404)
    return minutes, participant


def _minutes_page(roundtable, minutes, participant, comment_form=None):
    organizer_view = can(current_user, "minutes.read_comments", minutes)
    if organizer_view:
        comments = rules_minutes.comments_of(minutes) if minutes is not None else []
    elif participant:
        comments = rules_minutes.comments_of(minutes, author=current_user)
    else:
        comments = []
    may_comment = can(current_user, "minutes.comment", minutes, participant)
    return render_template(
        "roundtables/minutes.html",
        roundtable=roundtable,
        minutes=minutes,
        participant=participant,
        comments=comments,
        may_comment=may_comment,
        comments_open=may_comment
        and (minutes.comment_deadline is None or utcnow() <= minutes.comment_deadline),
        comment_form=comment_form or CommentForm(),
        confirm_form=ConfirmForm(),
    )


@bp.get("/roundtables/<int:roundtable_id>/minutes")
@login_required
def minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    found, participant = _visible_minutes(roundtable)
    return _minutes_page(roundtable, found, participant)


@bp.route("/roundtables/<int:roundtable_id>/minutes/edit", methods=["GET", "POST"])
@login_required
def edit_minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    found, _participant = _visible_minutes(roundtable)
    require(current_user, "minutes.edit", found)
    form = MinutesForm(obj=found)
    if form.validate_on_submit():
        saved, revision = run_rule(
            form,
            rules_minutes.save_minutes,
            current_user,
            roundtable,
            form.body.data,
            form.chatham_house.data,
        )
        if saved:
            if revision is None:
                flash(_("Nothing has changed: no new revision."), "info")
            else:
                flash(_("The minutes are saved as revision %(num)d.", num=revision.number), "success")
                named = form.chatham_house.data and rules_minutes.attributed_organizations(
                    roundtable, form.body.data
                )
                if named:
                    flash(
                        _(
                            "Chatham House minutes should not attribute statements to organizations; "
                            "the text names %(names)s.",
                            names=", ".join(named),
                        ),
                        "warning",
                    )
            return redirect(url_for("roundtables.minutes", roundtable_id=roundtable.id))
    return render_template("roundtables/minutes_form.html", roundtable=roundtable, minutes=found, form=form)


@bp.get("/roundtables/<int:roundtable_id>/minutes/revisions")
@login_required
def minutes_revisions(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    found, _participant = _visible_minutes(roundtable)
    require(current_user, "minutes.view_history", found)
    if found is None:
        abort(404)
    return render_template(
        "roundtables/minutes_revisions.html",
        roundtable=roundtable,
        minutes=found,
        revisions=rules_minutes.revisions_of(found),
    )


@bp.get("/roundtables/<int:roundtable_id>/minutes/revisions/<int:number>")
@login_required
def minutes_revision(roundtable_id: int, number: int):
    roundtable = _roundtable(roundtable_id)
    found, _participant = _visible_minutes(roundtable)
    require(current_user, "minutes.view_history", found)
    revision = rules_minutes.revision(found, number) if found else None
    if revision is None:
        abort(404)
    previous = rules_minutes.revision(found, number - 1) if number > 1 else None
    return render_template(
        "roundtables/minutes_revision.html",
        roundtable=roundtable,
        minutes=found,
        revision=revision,
        previous=previous,
        changes=rules_minutes.changes(previous.body if previous else "", revision.body),
    )


@bp.route("/roundtables/<int:roundtable_id>/minutes/circulate", methods=["GET", "POST"])
@login_required
def circulate_minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    found, _participant = _visible_minutes(roundtable)
    require(current_user, "minutes.circulate", found)
    form = CirculateForm()
    if form.validate_on_submit():
        deadline = to_utc(form.comment_deadline.data, roundtable.timezone)
        saved, sent = run_rule(form, rules_minutes.circulate_minutes, current_user, found, deadline, utcnow())
        if saved:
            flash(
                ngettext(
                    "The minutes are circulated to %(num)d participant.",
                    "The minutes are circulated to %(num)d participants.",
                    len(sent),
                ),
                "success",
            )
            return redirect(url_for("roundtables.minutes", roundtable_id=roundtable.id))
    return render_template(
        "roundtables/minutes_circulate.html",
        roundtable=roundtable,
        minutes=found,
        form=form,
        recipients=rules_minutes.participants(roundtable),
    )


@bp.post("/roundtables/<int:roundtable_id>/minutes/comments")
@login_required
def comment_minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    found, participant = _visible_minutes(roundtable)
    require(current_user, "minutes.comment", found, participant)
    form = CommentForm()
    if form.validate_on_submit():
        saved, _comment = run_rule(
            form, rules_minutes.comment_on_minutes, current_user, found, form.text.data, participant, utcnow()
        )
        if saved:
            flash(_("Thank you: your comment has been sent to the organizers."), "success")
            return redirect(url_for("roundtables.minutes", roundtable_id=roundtable.id))
    return _minutes_page(roundtable, found, participant, comment_form=form)


@bp.post("/roundtables/<int:roundtable_id>/minutes/<any(adopt, publish):step>")
@login_required
def minutes_step(roundtable_id: int, step: str):
    roundtable = _roundtable(roundtable_id)
    found, _participant = _visible_minutes(roundtable)
    require(current_user, f"minutes.{step}", found)
    if ConfirmForm().validate_on_submit():
        rule = rules_minutes.adopt_minutes if step == "adopt" else rules_minutes.publish_minutes
        try:
            rule(current_user, found)
            db.session.commit()
        except ValidationFailed as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            if step == "adopt":
                flash(_("The minutes are adopted. Publish them to show them to all members."), "success")
            else:
                flash(_("The minutes are published: every member can read them."), "success")
    return redirect(url_for("roundtables.minutes", roundtable_id=roundtable.id))


def _action_fields(form: ActionItemForm) -> dict:
    return {name: getattr(form, name).data for name in actions.ACTION_FIELDS}


@bp.route("/roundtables/<int:roundtable_id>/action-items/new", methods=["GET", "POST"])
@login_required
def create_action_item(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "action_item.create", roundtable)
    people, organizations = actions.owner_choices(roundtable)
    form = ActionItemForm(people=people, organizations=organizations)
    if form.validate_on_submit():
        saved, _item = run_rule(
            form, actions.create_action_item, current_user, roundtable, **_action_fields(form)
        )
        if saved:
            flash(_("The action item has been added."), "success")
            if request.form.get("another"):
                return redirect(url_for("roundtables.create_action_item", roundtable_id=roundtable.id))
            return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id) + "#action-items")
    return render_template("roundtables/action_item_form.html", roundtable=roundtable, form=form, item=None)


def _action_item(item_id: int):
    item = actions.action_item(item_id)
    if item is None or not can(current_user, "action_item.view", item):
        abort(404)
    return item


def _statuses(item) -> list[tuple[str, str]]:
    return [
        (status.value, status.label)
        for status in ActionItemStatus
        if status != ActionItemStatus.DROPPED or can(current_user, "action_item.drop", item)
    ]


def _action_item_page(item, note_form=None):
    return render_template(
        "roundtables/action_item.html",
        item=item,
        roundtable=item.roundtable,
        note_form=note_form or NoteForm(statuses=_statuses(item)),
        confirm_form=ConfirmForm(),
    )


@bp.get("/action-items/<int:item_id>")
@login_required
def action_item(item_id: int):
    return _action_item_page(_action_item(item_id))


@bp.route("/action-items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action_item(item_id: int):
    item = _action_item(item_id)
    require(current_user, "action_item.edit", item)
    people, organizations = actions.owner_choices(item.roundtable, current=item)
    form = ActionItemForm(obj=item, people=people, organizations=organizations)
    if (
        form.validate_on_submit()
        and run_rule(form, actions.update_action_item, current_user, item, **_action_fields(form))[0]
    ):
        flash(_("The action item has been saved."), "success")
        return redirect(url_for("roundtables.action_item", item_id=item.id))
    return render_template(
        "roundtables/action_item_form.html", roundtable=item.roundtable, form=form, item=item
    )


@bp.post("/action-items/<int:item_id>/notes")
@login_required
def add_action_item_note(item_id: int):
    item = _action_item(item_id)
    require(current_user, "action_item.add_note", item)
    form = NoteForm(statuses=_statuses(item))
    if (
        form.validate_on_submit()
        and run_rule(form, actions.add_note, current_user, item, form.text.data, form.status.data)[0]
    ):
        flash(_("Your progress note has been added."), "success")
        return redirect(url_for("roundtables.action_item", item_id=item.id))
    return _action_item_page(item, note_form=form)


@bp.post("/action-items/<int:item_id>/delete")
@login_required
def delete_action_item(item_id: int):
    item = _action_item(item_id)
    require(current_user, "action_item.delete", item)
    roundtable_id = item.roundtable_id
    if ConfirmForm().validate_on_submit():
        actions.delete_action_item(current_user, item)
        db.session.commit()
        flash(_("The action item has been deleted."), "success")
    return redirect(url_for("roundtables.detail", roundtable_id=roundtable_id) + "#action-items")


@bp.get("/action-items")
@login_required
def action_items():
    require(current_user, "action_items.board")
    roundtables, organizations = actions.board_choices()
    form = BoardFilterForm(request.args, roundtables=roundtables, organizations=organizations)
    form.validate()
    page = db.paginate(
        actions.board_query(
            form.roundtable.data if not form.roundtable.errors else None,
            form.organization.data if not form.organization.errors else None,
            form.status.data if not form.status.errors else None,
        ),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("roundtables/action_items.html", form=form, page=page, today=utcnow().date())


@bp.get("/commitments")
@login_required
def commitments():
    require(current_user, "action_items.mine")
    page = db.paginate(
        actions.commitments_query(current_user), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    return render_template("roundtables/commitments.html", page=page, today=utcnow().date())


def event_page_context(viewer, roundtable: Roundtable) -> dict:
    """The event page's agenda, attendance and follow-up, in a fixed number of queries (the
    roundtable comes with its minutes)."""
    found = roundtable.minutes
    organizer_view = can(viewer, "minutes.read_comments", found)
    participant = (
        found is not None
        and found.status in ("circulated", "adopted")
        and not organizer_view
        and rules_minutes.is_participant(viewer, roundtable)
    )
    published = actions.published(found)
    # Chatham House: no attendance by organization next to the published minutes.
    hide_attendance = published and found.chatham_house and not organizer_view
    agenda = agenda_of(roundtable)
    return {
        "agenda": agenda,
        "attending_organizations": [] if hide_attendance else attending_organizations(roundtable),
        "follow_up": {
            "minutes": found,
            "show_minutes": published,
            "organizer_view": organizer_view,
            "participant": participant,
            "action_items": actions.items_of(roundtable) if organizer_view or published else [],
            "matters_arising": actions.matters_arising_of(roundtable) if agenda else {},
            "hide_attendance": hide_attendance,
        },
    }
