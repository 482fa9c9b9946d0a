"""What the directory does: list, create, edit and deactivate organizations, and own the records of
people (create, edit, move, (de)activate, invite). Their credentials belong to auth."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, or_, select

from coordination.audit.rules import record_event
from coordination.auth.models import Role, User
from coordination.auth.rules import find_user_by_email, normalize_email, revoke_access, send_invitation
from coordination.directory.models import Organization
from coordination.directory.policy import assignable_roles
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.policy import can, require
from coordination.records import apply_changes


@dataclass
class OrganizationFilters:
    q: str | None = None
    kind: str | None = None
    country: str | None = None
    status: str = "active"  # active, inactive or all


LIST_COLUMNS = (
    Organization.id,
    Organization.name,
    Organization.kind,
    Organization.country,
    Organization.city,
    Organization.active,
)


def organizations_query(viewer, filters: OrganizationFilters):
    """The rows (LIST_COLUMNS) of organizations `viewer` may see that match `filters`, by name."""
    query = select(*LIST_COLUMNS).order_by(func.lower(Organization.name))
    status = filters.status if can(viewer, "organization.view_inactive") else "active"
    if status == "active":
        query = query.where(Organization.active.is_(True))
    elif status == "inactive":
        query = query.where(Organization.active.is_(False))
    if filters.kind:
        query = query.where(Organization.kind == filters.kind)
    if filters.country:
        query = query.where(Organization.country == filters.country.upper())
    if filters.q:
        pattern = f"%{_escape_like(filters.q.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(Organization.name).like(pattern, escape="\\"),
                func.lower(Organization.city).like(pattern, escape="\\"),
            )
        )
    return query


# Built once: a page of the list asks it on every request.
_PEOPLE_COUNTS = (
    select(User.organization_id, func.count(User.id))
    .where(User.organization_id.in_(bindparam("ids", expanding=True)), User.active.is_(True))
    .group_by(User.organization_id)
)


def people_counts(organization_ids: list[int]) -> dict[int, int]:
    """Active people per organization, in one query."""
    if not organization_ids:
        return {}
    return dict(db.session.execute(_PEOPLE_COUNTS, {"ids": organization_ids}).all())


def people_of(viewer, organization: Organization) -> list[User]:
    """The people of `organization` that `viewer` may see (inactive ones only to their managers)."""
    query = select(User).where(User.organization_id == organization.id).order_by(func.lower(User.name))
    if not can(viewer, "organization.view_inactive_people", organization):
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _check_name_free(name: str, organization: Organization | None = None) -> None:
    query = select(Organization.id).where(func.lower(Organization.name) == name.strip().lower())
    if organization is not None and organization.id is not None:
        query = query.where(Organization.id != organization.id)
    if db.session.scalar(query) is not None:
        raise ValidationFailed(_l("Another organization already has this name."), field="name")


ORGANIZATION_FIELDS = ("name", "kind", "country", "city", "address", "email", "phone", "website")


def create_organization(actor, **fields) -> Organization:
    """Add an organization; raises ValidationFailed if the name is taken."""
    require(actor, "organization.create")
    _check_name_free(fields["name"])
    organization = Organization(**_clean(fields, ORGANIZATION_FIELDS))
    db.session.add(organization)
    db.session.flush()
    record_event(actor, "directory.organization.create", organization)
    return organization


def update_organization(actor, organization: Organization, **fields) -> list[str]:
    """Save changes to an organization; returns the changed fields; raises ValidationFailed."""
    require(actor, "organization.edit", organization)
    _check_name_free(fields["name"], organization)
    changed = apply_changes(organization, _clean(fields, ORGANIZATION_FIELDS))
    if changed:
        record_event(actor, "directory.organization.update", organization, fields=changed)
    return changed


def set_organization_active(actor, organization: Organization, active: bool) -> int:
    """(De)activate an organization; deactivating also signs its people out for good.

    Returns how many people were deactivated with it.
    """
    require(actor, "organization.deactivate", organization)
    organization.active = active
    deactivated = []
    if not active:
        for person in db.session.scalars(
            select(User).where(User.organization_id == organization.id, User.active.is_(True))
        ):
            person.active = False
            revoke_access(person)
            deactivated.append(person.id)
    record_event(
        actor,
        "directory.organization.activate" if active else "directory.organization.deactivate",
        organization,
        people_deactivated=deactivated,
    )
    return len(deactivated)


def create_person(
    actor,
    organization: Organization | None,
    *,
    name: str,
    email: str,
    role: str = Role.MEMBER,
    position: str | None = None,
    phone: str | None = None,
    preferred_language: str = "en",
    invitation_contact: bool = False,
) -> User:
    """Add a person to the directory (no password yet); raises ValidationFailed on a taken address.

    The callers check who may add whom (`add_person`, registrations, commands, the demo).
    """
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise ValidationFailed(_l("Someone already uses this email address."), field="email")
    person = User(
        name=name.strip(),
        email=email,
        role=role,
        position=position or None,
        phone=phone or None,
        preferred_language=preferred_language,
        invitation_contact=invitation_contact,
        organization=organization,
    )
    db.session.add(person)
    db.session.flush()
    record_event(
        actor,
        "directory.person.create",
        person,
        role=role,
        organization=organization.name if organization else None,
    )
    return person


PERSON_FIELDS = ("name", "email", "position", "phone", "role", "preferred_language", "invitation_contact")


def update_person(actor, person: User, **fields) -> list[str]:
    """Save changes to a person; a role outside what `actor` may give raises ValidationFailed."""
    require(actor, "person.edit", person)
    fields = _clean(fields, PERSON_FIELDS)
    fields["email"] = normalize_email(fields["email"])
    if fields["email"] != person.email:
        if not can(actor, "person.change_email", person):
            raise ValidationFailed(
                _l("This person already signs in with this address: only IOM's organizers can change it."),
                field="email",
            )
        other = find_user_by_email(fields["email"])
        if other is not None and other.id != person.id:
            raise ValidationFailed(_l("Someone already uses this email address."), field="email")
    if fields["role"] != person.role:
        check_role_allowed(actor, person.organization, fields["role"])
        if person.id == actor.id:
            raise ValidationFailed(_l("You cannot change your own role."), field="role")
    old_role = person.role
    changed = apply_changes(person, fields)
    if "role" in changed:
        record_event(actor, "auth.role.change", person, old=old_role, new=person.role)
    if changed:
        record_event(actor, "directory.person.update", person, fields=changed)
    return changed


def check_role_allowed(actor, organization: Organization | None, role: str) -> None:
    """Raise ValidationFailed unless `actor` may give `role` to a person of `organization`."""
    if role not in assignable_roles(actor, organization):
        raise ValidationFailed(_l("You may not give this role."), field="role")


def move_person(actor, person: User, organization: Organization | None) -> None:
    """Attach a person to another organization (organizers only)."""
    require(actor, "person.move", person)
    if person.organization_id != (organization.id if organization else None):
        old = person.organization.name if person.organization else None
        person.organization = organization
        record_event(
            actor, "directory.person.move", person, old=old, new=organization.name if organization else None
        )


def set_person_active(actor, person: User, active: bool) -> None:
    """(De)activate a person's account; a deactivated person cannot sign in."""
    require(actor, "person.deactivate", person)
    if person.active != active:
        person.active = active
        if not active:  # sessions opened before must not come back with a reactivation
            revoke_access(person)
        record_event(actor, "directory.person.activate" if active else "directory.person.deactivate", person)


def _clean(fields: dict, allowed: tuple[str, ...]) -> dict:
    cleaned = {}
    for key in allowed:
        if key not in fields:
            continue
        value = fields[key]
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[key] = value
    if cleaned.get("country"):
        cleaned["country"] = cleaned["country"].upper()
    return cleaned


def add_person(actor, organization: Organization, *, invite: bool, **fields) -> User:
    """Add a person to `organization`, mailing them an invitation if `invite`; raises ValidationFailed."""
    require(actor, "organization.add_person", organization)
    if not organization.active:
        raise ValidationFailed(_l("This organization is inactive: reactivate it first."))
    check_role_allowed(actor, organization, fields.get("role", Role.MEMBER))
    person = create_person(actor, organization, **_clean(fields, PERSON_FIELDS))
    if invite:
        send_invitation(actor, person)
    return person


def invite_person(actor, person: User) -> None:
    """(Re)send the invitation mail of someone who has not set a password yet."""
    require(actor, "person.invite", person)
    send_invitation(actor, person)
