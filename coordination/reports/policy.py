"""Who reads the reports: the engagement dashboard is IOM's; an organization's record is its own."""

from coordination.auth.models import Role, User
from coordination.directory.models import Organization
from coordination.policy import is_organizer, manages_people_of, rule, signed_in


@rule("dashboard.view")
def may_view_dashboard(user: User) -> bool:
    return is_organizer(user)


@rule("organization.view_record")
def may_view_record(user: User, organization: Organization) -> bool:
    return manages_people_of(user, organization.id)


@rule("organization.view_own_record")
def may_view_own_record(user: User) -> bool:
    """The same for one's own organization, without loading it (the navigation bar asks)."""
    return signed_in(user) and user.role == Role.FOCAL_POINT and user.organization_id is not None
