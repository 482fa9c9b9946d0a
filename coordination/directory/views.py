"""Routes of the directory: organizations and their people."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from coordination.auth.models import User
from coordination.directory import bp, rules
from coordination.directory.countries import country_name
from coordination.directory.forms import OrganizationFilterForm, OrganizationForm, PersonForm
from coordination.directory.models import Organization
from coordination.directory.policy import assignable_roles
from coordination.extensions import db
from coordination.forms import ConfirmForm, run_rule
from coordination.pagination import paginate_rows
from coordination.policy import require


@bp.context_processor
def helpers():
    return {"country_name": country_name}


def _organization(organization_id: int) -> Organization:
    organization = db.get_or_404(Organization, organization_id)
    require(current_user, "directory.view")
    if not organization.active and not current_user.is_organizer:
        abort(404)
    return organization


@bp.get("/organizations")
@login_required
def organizations():
    require(current_user, "directory.view")
    form = OrganizationFilterForm(request.args)
    form.validate()
    filters = rules.OrganizationFilters(
        q=(form.q.data or "")[:100] or None,  # the form's bound, kept even when it says so
        kind=form.kind.data or None,
        country=form.country.data or None,
        status=form.status.data or "active",
    )
    page = paginate_rows(rules.organizations_query(current_user, filters), per_page=25, count_apart=True)
    counts = rules.people_counts([organization.id for organization in page.items])
    return render_template("directory/organizations.html", form=form, page=page, counts=counts)


@bp.route("/organizations/new", methods=["GET", "POST"])
@login_required
def create_organization():
    require(current_user, "organization.create")
    form = OrganizationForm()
    if form.validate_on_submit():
        saved, organization = run_rule(
            form, rules.create_organization, current_user, **_organization_fields(form)
        )
        if saved:
            flash(_("The organization has been added."), "success")
            return redirect(url_for("directory.organization", organization_id=organization.id))
    return render_template("directory/organization_form.html", form=form, organization=None)


@bp.get("/organizations/<int:organization_id>")
@login_required
def organization(organization_id: int):
    organization = _organization(organization_id)
    people = rules.people_of(current_user, organization)
    return render_template("directory/organization.html", organization=organization, people=people)


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organization(organization_id: int):
    organization = _organization(organization_id)
    require(current_user, "organization.edit", organization)
    form = OrganizationForm(obj=organization)
    if (
        form.validate_on_submit()
        and run_rule(
            form, rules.update_organization, current_user, organization, **_organization_fields(form)
        )[0]
    ):
        flash(_("The organization has been saved."), "success")
        return redirect(url_for("directory.organization", organization_id=organization.id))
    return render_template("directory/organization_form.html", form=form, organization=organization)


@bp.route("/organizations/<int:organization_id>/deactivate", methods=["GET", "POST"])
@login_required
def deactivate_organization(organization_id: int):
    organization = _organization(organization_id)
    require(current_user, "organization.deactivate", organization)
    form = ConfirmForm()
    if form.validate_on_submit():
        count = rules.set_organization_active(current_user, organization, False)
        db.session.commit()
        flash(
            ngettext(
                "%(name)s is now inactive; %(num)d person lost access.",
                "%(name)s is now inactive; %(num)d people lost access.",
                count,
                name=organization.name,
            ),
            "success",
        )
        return redirect(url_for("directory.organization", organization_id=organization.id))
    active_people = rules.people_counts([organization.id]).get(organization.id, 0)
    return render_template(
        "directory/confirm_deactivate.html", form=form, organization=organization, active_people=active_people
    )


@bp.post("/organizations/<int:organization_id>/activate")
@login_required
def activate_organization(organization_id: int):
    organization = _organization(organization_id)
    require(current_user, "organization.deactivate", organization)
    if ConfirmForm().validate_on_submit():
        rules.set_organization_active(current_user, organization, True)
        db.session.commit()
        flash(
            _("%(name)s is active again. Reactivate its people one by one.", name=organization.name),
            "success",
        )
    return redirect(url_for("directory.organization", organization_id=organization.id))


@bp.route("/organizations/<int:organization_id>/people/new", methods=["GET", "POST"])
@login_required
def add_person(organization_id: int):
    organization = _organization(organization_id)
    require(current_user, "organization.add_person", organization)
    form = PersonForm(roles=assignable_roles(current_user, organization))
    if form.validate_on_submit():
        invite = form.send_invitation.data
        saved, person = run_rule(
            form, rules.add_person, current_user, organization, invite=invite, **_person_fields(form)
        )
        if saved:
            if invite:
                flash(_("%(name)s has been added and invited by mail.", name=person.name), "success")
            else:
                flash(_("%(name)s has been added.", name=person.name), "success")
            return redirect(url_for("directory.organization", organization_id=organization.id))
    return render_template("directory/person_form.html", form=form, organization=organization, person=None)


def _person(person_id: int) -> User:
    person = db.get_or_404(User, person_id)
    require(current_user, "person.edit", person)
    return person


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit_person(person_id: int):
    person = _person(person_id)
    roles = assignable_roles(current_user, person.organization)
    if person.role not in roles:
        roles = [person.role, *roles]
    form = PersonForm(obj=person, roles=roles)
    del form.send_invitation
    if (
        form.validate_on_submit()
        and run_rule(form, rules.update_person, current_user, person, **_person_fields(form))[0]
    ):
        flash(_("%(name)s has been saved.", name=person.name), "success")
        return redirect(_back_to(person))
    return render_template(
        "directory/person_form.html", form=form, organization=person.organization, person=person
    )


@bp.route("/people/<int:person_id>/deactivate", methods=["GET", "POST"])
@login_required
def deactivate_person(person_id: int):
    person = _person(person_id)
    require(current_user, "person.deactivate", person)
    form = ConfirmForm()
    if form.validate_on_submit():
        rules.set_person_active(current_user, person, False)
        db.session.commit()
        flash(_("%(name)s can no longer sign in.", name=person.name), "success")
        return redirect(_back_to(person))
    return render_template("directory/confirm_deactivate.html", form=form, person=person)


@bp.post("/people/<int:person_id>/activate")
@login_required
def activate_person(person_id: int):
    person = _person(person_id)
    require(current_user, "person.deactivate", person)
    if ConfirmForm().validate_on_submit():
        rules.set_person_active(current_user, person, True)
        db.session.commit()
        flash(_("%(name)s can sign in again.", name=person.name), "success")
    return redirect(_back_to(person))


@bp.post("/people/<int:person_id>/invite")
@login_required
def invite_person(person_id: int):
    person = _person(person_id)
    require(current_user, "person.invite", person)
    if ConfirmForm().validate_on_submit():
        rules.invite_person(current_user, person)
        db.session.commit()
        flash(_("An invitation has been sent to %(email)s.", email=person.email), "success")
    return redirect(_back_to(person))


def _back_to(person: User) -> str:
    if person.organization_id:
        return url_for("directory.organization", organization_id=person.organization_id)
    return url_for("directory.organizations")


def _organization_fields(form: OrganizationForm) -> dict:
    return {name: getattr(form, name).data for name in rules.ORGANIZATION_FIELDS}


def _person_fields(form: PersonForm) -> dict:
    return {name: getattr(form, name).data for name in rules.PERSON_FIELDS}
