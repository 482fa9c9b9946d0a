"""Who may see and change the directory: organizations and their people."""

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.policy import is_organizer, manages_people_of, manages_person, rule, signed_in


@rule("directory.view")
def may_view_directory(user: User) -> bool:
    return signed_in(user)


@rule("directory.import")
@rule("directory.export")
@rule("organization.create")
@rule("organization.view_inactive")
@rule("person.move")
def is_directory_keeper(user: User, _record: object = None) -> bool:
    """The directory as a whole is IOM's to keep: organizers."""
    return is_organizer(user)


@rule("organization.edit")
def may_edit_organization(user: User, organization: Organization) -> bool:
    return is_organizer(user)


@rule("organization.deactivate")
def may_deactivate_organization(user: User, organization: Organization) -> bool:
    """Not one's own organization: that would lock the acting organizer out with it."""
    return is_organizer(user) and organization.id != user.organization_id


@rule("organization.add_person")
@rule("organization.view_inactive_people")
def manages_people_of_organization(user: User, organization: Organization) -> bool:
    return manages_people_of(user, organization.id)


@rule("person.edit")
def may_edit_person(user: User, person: User) -> bool:
    return manages_person(user, person)


@rule("person.change_email")
def may_change_email(user: User, person: User) -> bool:
    """Password resets go to the address on record: whoever may change someone's address may take
    over their account. Focal points therefore change only addresses not yet used to sign in."""
    return (
        is_organizer(user)
        or person.id == user.id
        or (manages_person(user, person) and not person.has_password)
    )


@rule("person.invite")
def may_invite_person(user: User, person: User) -> bool:
    return manages_person(user, person) and person.active and not person.has_password


@rule("person.deactivate")
def may_deactivate_person(user: User, person: User) -> bool:
    return manages_person(user, person) and person.id != user.id


def assignable_roles(user: User, organization: Organization | None) -> list[str]:
    """Roles `user` may give to a person of `organization`; organizers alone make organizers."""
    if is_organizer(user):
        return [Role.MEMBER, Role.FOCAL_POINT, Role.ORGANIZER]
    if organization is not None and manages_people_of(user, organization.id):
        return [Role.MEMBER, Role.FOCAL_POINT]
    return []
