"""Routes of the roundtables area: schedule, event page, status changes, agenda."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.audit.rules import record_event
from coordination.auth.models import Role, User
from coordination.directory.countries import country_name
from coordination.directory.forms import KIND_LABELS
from coordination.directory.models import Organization
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.feedback import rules as feedback_rules
from coordination.forms import ConfirmForm, attach_error, run_rule
from coordination.library import rules as library_rules
from coordination.policy import can, require
from coordination.roundtables import bp, rules
from coordination.roundtables import calendar as calendars
from coordination.roundtables import registrations as rules_registrations
from coordination.roundtables.calendar import calendar_of
from coordination.roundtables.follow_up.views import event_page_context
from coordination.roundtables.forms import (
    AgendaItemForm,
    CancelForm,
    CheckInHelperForm,
    InviteForm,
    NewPersonForm,
    RoundtableForm,
    WalkInForm,
)
from coordination.roundtables.models import AgendaItem, Invitation, Registration, Roundtable
from coordination.taxonomy import SDGS, SERVICE_AREAS, WORKING_LANGUAGES
from coordination.timeutil import utcnow


@bp.context_processor
def vocabularies():
    return {"sdg_names": SDGS, "service_area_names": SERVICE_AREAS, "language_names": WORKING_LANGUAGES}


def _roundtable(roundtable_id: int) -> Roundtable:
    """The roundtable with its series and minutes (one query); 404 when the viewer may not see it."""
    roundtable = db.session.scalar(
        select(Roundtable)
        .where(Roundtable.id == roundtable_id)
        .options(joinedload(Roundtable.series), joinedload(Roundtable.minutes))
    )
    if roundtable is None or not can(current_user, "roundtable.view", roundtable):
        abort(404)
    return roundtable


def _fields(form: RoundtableForm) -> dict:
    return {name: getattr(form, name).data for name in (*rules.ROUNDTABLE_FIELDS, "series_name")}


@bp.get("/roundtables")
@login_required
def index():
    now = utcnow()
    upcoming = db.paginate(
        rules.upcoming(current_user, now), per_page=rules.UPCOMING_PER_PAGE, error_out=False
    )
    # The past ones under the first page of the coming ones only.
    past = rules.past(current_user, now) if upcoming.page == 1 else []
    return render_template("roundtables/index.html", upcoming=upcoming, past=past)


@bp.route("/roundtables/new", methods=["GET", "POST"])
@login_required
def create():
    require(current_user, "roundtable.create")
    form = RoundtableForm()
    if form.validate_on_submit():
        saved, roundtable = run_rule(form, rules.create_roundtable, current_user, **_fields(form))
        if saved:
            flash(_("The roundtable has been saved as a draft. Add its agenda, then publish it."), "success")
            return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))
    return render_template("roundtables/form.html", form=form, roundtable=None)


@bp.get("/roundtables/<int:roundtable_id>")
@login_required
def detail(roundtable_id: int):
    return _detail_page(_roundtable(roundtable_id))


def _detail_page(roundtable: Roundtable, new_person_form: NewPersonForm | None = None):
    """The event page: the roundtable, its linked documents and the feedback forms the viewer may
    answer, the viewer's delegation (if their organization is invited), the agenda and the follow-up."""
    invitation = rules_registrations.invitation_for(roundtable, current_user.organization_id)
    delegation, candidates = [], []
    if invitation is not None:
        delegation = rules_registrations.delegation(roundtable, invitation.organization_id)
        candidates = rules_registrations.registrable_people(current_user, roundtable, invitation, delegation)
    return render_template(
        "roundtables/detail.html",
        roundtable=roundtable,
        linked_documents=library_rules.documents_of_roundtable(current_user, roundtable),
        feedback_forms=feedback_rules.forms_to_answer(current_user, roundtable, utcnow()),
        invitation=invitation,
        delegation=delegation,
        candidates=candidates,
        new_person_form=new_person_form or NewPersonForm(formdata=None),
        **event_page_context(current_user, roundtable),
    )


@bp.route("/roundtables/<int:roundtable_id>/edit", methods=["GET", "POST"])
@login_required
def edit(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.edit", roundtable)
    form = RoundtableForm(obj=roundtable)
    if not form.is_submitted():
        form.series_name.data = roundtable.series.name if roundtable.series else ""
        for name in ("starts_at", "ends_at", "registration_closes_at"):
            getattr(form, name).data = rules.to_local(getattr(roundtable, name), roundtable.timezone)
    if (
        form.validate_on_submit()
        and run_rule(form, rules.update_roundtable, current_user, roundtable, **_fields(form))[0]
    ):
        flash(_("The roundtable has been saved."), "success")
        return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))
    return render_template("roundtables/form.html", form=form, roundtable=roundtable)


@bp.post("/roundtables/<int:roundtable_id>/publish")
@login_required
def publish(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.publish", roundtable)
    if ConfirmForm().validate_on_submit():
        rules.publish_roundtable(current_user, roundtable)
        db.session.commit()
        flash(_("The roundtable is published: members can see it."), "success")
    return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))


@bp.post("/roundtables/<int:roundtable_id>/complete")
@login_required
def complete(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.complete", roundtable)
    if ConfirmForm().validate_on_submit():
        rules.complete_roundtable(current_user, roundtable)
        db.session.commit()
        flash(_("The roundtable is marked as held."), "success")
    return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))


@bp.route("/roundtables/<int:roundtable_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.cancel", roundtable)
    form = CancelForm()
    if (
        form.validate_on_submit()
        and run_rule(form, rules.cancel_roundtable, current_user, roundtable, form.reason.data)[0]
    ):
        flash(_("The roundtable is cancelled."), "success")
        return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))
    return render_template("roundtables/cancel.html", form=form, roundtable=roundtable)


def _presenters() -> list[tuple[int, str]]:
    """People who can present: organizers and focal points, by name."""
    rows = db.session.execute(
        select(User.id, User.name)
        .where(User.active.is_(True), User.role.in_([Role.ORGANIZER, Role.FOCAL_POINT]))
        .order_by(User.name)
    )
    return [(row.id, row.name) for row in rows]


def _agenda_fields(form: AgendaItemForm) -> dict:
    return {name: getattr(form, name).data or None for name in rules.AGENDA_FIELDS} | {
        "duration_minutes": form.duration_minutes.data,
        "service_area": form.service_area.data or None,
    }


@bp.route("/roundtables/<int:roundtable_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.edit_agenda", roundtable)
    form = AgendaItemForm(presenters=_presenters())
    if (
        form.validate_on_submit()
        and run_rule(form, rules.add_agenda_item, current_user, roundtable, **_agenda_fields(form))[0]
    ):
        flash(_("The item has been added to the agenda."), "success")
        return redirect(url_for("roundtables.agenda", roundtable_id=roundtable.id))
    return _agenda_page(roundtable, form, item=None)


def _agenda_page(roundtable: Roundtable, form: AgendaItemForm, item: AgendaItem | None):
    """The agenda with the form to add an item, or to edit `item`."""
    return render_template(
        "roundtables/agenda.html",
        roundtable=roundtable,
        agenda=rules.agenda_of(roundtable),
        form=form,
        confirm_form=ConfirmForm(),
        item=item,
    )


def _agenda_item(item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    if not can(current_user, "roundtable.view", item.roundtable):
        abort(404)
    require(current_user, "roundtable.edit_agenda", item.roundtable)
    return item


@bp.route("/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_agenda_item(item_id: int):
    item = _agenda_item(item_id)
    roundtable = item.roundtable
    form = AgendaItemForm(obj=item, presenters=_presenters())
    if not form.is_submitted():
        form.starts_at.data = rules.to_local(item.starts_at, roundtable.timezone)
    if (
        form.validate_on_submit()
        and run_rule(form, rules.update_agenda_item, current_user, item, **_agenda_fields(form))[0]
    ):
        flash(_("The agenda item has been saved."), "success")
        return redirect(url_for("roundtables.agenda", roundtable_id=roundtable.id))
    return _agenda_page(roundtable, form, item=item)


@bp.post("/agenda-items/<int:item_id>/delete")
@login_required
def delete_agenda_item(item_id: int):
    item = _agenda_item(item_id)
    roundtable_id = item.roundtable_id
    if ConfirmForm().validate_on_submit():
        rules.remove_agenda_item(current_user, item)
        db.session.commit()
        flash(_("The item has been removed from the agenda."), "success")
    return redirect(url_for("roundtables.agenda", roundtable_id=roundtable_id))


@bp.post("/agenda-items/<int:item_id>/move/<any(up, down):direction>")
@login_required
def move_agenda_item(item_id: int, direction: str):
    item = _agenda_item(item_id)
    roundtable_id = item.roundtable_id
    if ConfirmForm().validate_on_submit():
        rules.move_agenda_item(current_user, item, -1 if direction == "up" else 1)
        db.session.commit()
    return redirect(url_for("roundtables.agenda", roundtable_id=roundtable_id))


@bp.route("/roundtables/<int:roundtable_id>/invitations", methods=["GET", "POST"])
@login_required
def invitations(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.view_registrations", roundtable)
    candidates = rules_registrations.invitable_organizations(roundtable)
    form = InviteForm(
        organizations=[(organization.id, organization.name) for organization in candidates],
        kinds=[(kind, str(label)) for kind, label in KIND_LABELS.items()],
    )
    if not form.is_submitted():
        form.organizations.data = rules.previous_invitation_list(roundtable)
    if form.validate_on_submit():
        require(current_user, "roundtable.invite", roundtable)
        chosen = {organization.id: organization for organization in candidates}
        picked = [chosen[i] for i in form.organizations.data or [] if i in chosen]
        if form.kind.data:
            picked += [o for o in candidates if o.kind == form.kind.data and o not in picked]
        invited = rules_registrations.invite_organizations(current_user, roundtable, picked)
        db.session.commit()
        flash(
            ngettext("%(num)d organization invited.", "%(num)d organizations invited.", len(invited)),
            "success",
        )
        return redirect(url_for("roundtables.invitations", roundtable_id=roundtable.id))
    overview = rules_registrations.invitation_overview(roundtable)
    return render_template(
        "roundtables/invitations.html",
        roundtable=roundtable,
        form=form,
        overview=overview,
        confirm_form=ConfirmForm(),
    )


@bp.post("/roundtables/<int:roundtable_id>/invitations/remind")
@login_required
def remind_invited(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.invite", roundtable)
    if ConfirmForm().validate_on_submit():
        sent = rules_registrations.remind_unanswered(current_user, roundtable)
        db.session.commit()
        if sent:
            flash(_("Reminder sent to %(addresses)s.", addresses=", ".join(sent)), "success")
        else:
            flash(_("Every invited organization has answered: nobody to remind."), "info")
    return redirect(url_for("roundtables.invitations", roundtable_id=roundtable.id))


@bp.get("/invitations/<token>")
@login_required
def open_invitation(token: str):
    invitation = rules_registrations.open_invitation(token)
    if invitation is None:
        abort(404)
    db.session.commit()
    return redirect(url_for("roundtables.detail", roundtable_id=invitation.roundtable_id))


@bp.post("/invitations/<int:invitation_id>/<any(accept, decline):answer>")
@login_required
def answer_invitation(invitation_id: int, answer: str):
    invitation = db.get_or_404(Invitation, invitation_id)
    require(current_user, "invitation.answer", invitation)
    if ConfirmForm().validate_on_submit():
        rules_registrations.answer_invitation(current_user, invitation, answer == "accept")
        db.session.commit()
        flash(_("Your answer has been recorded."), "success")
    return redirect(url_for("roundtables.detail", roundtable_id=invitation.roundtable_id))


@bp.post("/roundtables/<int:roundtable_id>/register")
@login_required
def register(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    person = db.session.get(User, request.form.get("person_id", type=int) or 0)
    if person is None:
        abort(400)
    require(current_user, "registration.create", roundtable, person)
    if ConfirmForm().validate_on_submit():
        try:
            registration = rules_registrations.register(current_user, roundtable, person)
            db.session.commit()
        except ValidationFailed as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            if registration.status == "waitlisted":
                flash(_("The roundtable is full: %(name)s is on the waitlist.", name=person.name), "warning")
            else:
                flash(_("%(name)s is registered.", name=person.name), "success")
    return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))


@bp.post("/roundtables/<int:roundtable_id>/register-new")
@login_required
def register_new_person(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "registration.create_new", roundtable)
    form = NewPersonForm()
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in ("name", "email", "preferred_language")}
        saved, registration = run_rule(
            form, rules_registrations.register_new_person, current_user, roundtable, **fields
        )
        if saved:
            name = registration.user.name
            if registration.status == "waitlisted":
                flash(_("The roundtable is full: %(name)s is on the waitlist.", name=name), "warning")
            else:
                flash(_("%(name)s is registered and invited to the platform.", name=name), "success")
            return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))
    return _detail_page(roundtable, new_person_form=form)


@bp.post("/registrations/<int:registration_id>/withdraw")
@login_required
def withdraw(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    require(current_user, "registration.withdraw", registration)
    if ConfirmForm().validate_on_submit():
        rules_registrations.withdraw(current_user, registration)
        db.session.commit()
        flash(_("The registration is withdrawn."), "success")
    return redirect(url_for("roundtables.detail", roundtable_id=registration.roundtable_id))


@bp.get("/roundtables/<int:roundtable_id>/calendar.ics")
@login_required
def calendar(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    return Response(
        calendar_of([roundtable], name=roundtable.title),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="roundtable-{roundtable.id}.ics"'},
    )


@bp.get("/roundtables/<int:roundtable_id>/registrations")
@login_required
def registrations(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.view_registrations", roundtable)
    rows = rules_registrations.registrations_of(roundtable)
    return render_template("roundtables/registrations.html", roundtable=roundtable, rows=rows)


def _check_in_page(
    roundtable: Roundtable,
    walk_in_form: WalkInForm | None = None,
    helper_form: CheckInHelperForm | None = None,
):
    """The check-in page, or only its list of matches for the search-as-you-type requests."""
    query = request.args.get("q", "")[:200]  # SQLite refuses a LIKE pattern of 50,000 characters
    rows = rules_registrations.check_in_list(roundtable, query)
    if request.headers.get("HX-Request") and walk_in_form is None:
        return render_template("roundtables/_check_in_rows.html", roundtable=roundtable, rows=rows)
    delegates = can(current_user, "roundtable.delegate_check_in", roundtable)
    form = walk_in_form or WalkInForm(formdata=None)
    invited = rules_registrations.invited_organization_ids(roundtable)
    if can(current_user, "roundtable.add_any_walk_in", roundtable):
        # Walk-ins mostly come from the invited organizations: those first, out of hundreds.
        form.organization_id.first = (invited, _("Invited to this roundtable"))
    else:  # a check-in helper adds walk-ins of the invited organizations alone
        form.organization_id.only = invited
    return render_template(
        "roundtables/check_in.html",
        roundtable=roundtable,
        query=query,
        rows=rows,
        counts=rules_registrations.check_in_counts(roundtable),
        form=form,
        helper_form=(helper_form or CheckInHelperForm(formdata=None)) if delegates else None,
        helpers=roundtable.helpers if delegates else [],
    )


@bp.get("/roundtables/<int:roundtable_id>/check-in")
@login_required
def check_in(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.check_in", roundtable)
    return _check_in_page(roundtable)


def _registration_for_check_in(registration_id: int) -> Registration:
    registration = db.get_or_404(Registration, registration_id)
    require(current_user, "roundtable.check_in", registration.roundtable)
    return registration


@bp.post("/registrations/<int:registration_id>/<any('check-in', 'undo-check-in'):action>")
@login_required
def check_in_person(registration_id: int, action: str):
    registration = _registration_for_check_in(registration_id)
    roundtable = registration.roundtable
    if ConfirmForm().validate_on_submit():
        if action == "check-in":
            rules_registrations.check_in(current_user, registration)
        else:
            rules_registrations.undo_check_in(current_user, registration)
        db.session.commit()
    if request.headers.get("HX-Request"):
        # One tap: the row and the counts change in place, without reloading the page.
        return render_template(
            "roundtables/_check_in_row.html",
            roundtable=roundtable,
            registration=registration,
            counts=rules_registrations.check_in_counts(roundtable),
            confirm_form=ConfirmForm(),
            swap_counts=True,
        )
    return redirect(url_for("roundtables.check_in", roundtable_id=roundtable.id))


@bp.post("/roundtables/<int:roundtable_id>/walk-in")
@login_required
def walk_in(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.check_in", roundtable)
    form = WalkInForm()
    if form.validate_on_submit():
        organization = db.session.get(Organization, form.organization_id.data)
        try:
            rules_registrations.add_walk_in(
                current_user,
                roundtable,
                name=form.name.data,
                email=form.email.data,
                organization=organization,
            )
            db.session.commit()
        except ValidationFailed as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("%(name)s is registered and checked in.", name=form.name.data), "success")
            return redirect(url_for("roundtables.check_in", roundtable_id=roundtable.id))
    return _check_in_page(roundtable, walk_in_form=form)


@bp.post("/roundtables/<int:roundtable_id>/check-in/helpers")
@login_required
def add_check_in_helper(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.delegate_check_in", roundtable)
    form = CheckInHelperForm()
    if form.validate_on_submit():
        saved, helper = run_rule(
            form, rules_registrations.add_check_in_helper, current_user, roundtable, form.email.data
        )
        if saved:
            flash(
                _("%(name)s can now check people in; they have been mailed the link.", name=helper.name),
                "success",
            )
            return redirect(url_for("roundtables.check_in", roundtable_id=roundtable.id))
    return _check_in_page(roundtable, helper_form=form)


@bp.post("/roundtables/<int:roundtable_id>/check-in/helpers/<int:user_id>/remove")
@login_required
def remove_check_in_helper(roundtable_id: int, user_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.delegate_check_in", roundtable)
    helper = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        rules_registrations.remove_check_in_helper(current_user, roundtable, helper)
        db.session.commit()
        flash(_("%(name)s no longer helps with the check-in.", name=helper.name), "success")
    return redirect(url_for("roundtables.check_in", roundtable_id=roundtable.id))


@bp.get("/roundtables/<int:roundtable_id>/attendance")
@login_required
def attendance(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.check_in", roundtable)
    rows = rules_registrations.attendance_sheet(roundtable)
    return render_template(
        "roundtables/attendance.html", roundtable=roundtable, rows=rows, country_name=country_name
    )


@bp.post("/roundtables/<int:roundtable_id>/prepare-next")
@login_required
def prepare_next(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    require(current_user, "roundtable.create")
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("roundtables.detail", roundtable_id=roundtable.id))
    copy = rules.prepare_next(current_user, roundtable)
    db.session.commit()
    flash(_("A new draft is ready: check its date, then send the invitations."), "success")
    return redirect(url_for("roundtables.edit", roundtable_id=copy.id))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """A person's private feed of the roundtables they registered for; the token is the key."""
    user = calendars.user_for_calendar_token(token)
    if user is None:
        abort(404)
    return Response(
        calendars.calendar_of(calendars.registered_roundtables(user), name="Roundtables"),
        mimetype="text/calendar",
    )


@bp.post("/profile/calendar")
@login_required
def renew_calendar_feed():
    if ConfirmForm().validate_on_submit():
        calendars.renew_calendar_token(current_user)
        record_event(current_user, "roundtables.calendar_feed.renew", current_user)
        db.session.commit()
        flash(_("Your calendar address is ready. Any earlier address no longer works."), "success")
    return redirect(url_for("auth.profile"))
