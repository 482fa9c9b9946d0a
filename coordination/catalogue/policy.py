"""Who reads and keeps the service catalogue and uses the eligibility guide."""

from flask import current_app, has_app_context

from coordination.auth.models import User
from coordination.catalogue.models import Service
from coordination.policy import is_organizer, rule, signed_in


@rule("catalogue.view")
@rule("catalogue.use_guide")
def reads_catalogue(user: User) -> bool:
    """Members read the catalogue and use the guide; CATALOGUE_PUBLIC opens both to everyone."""
    return signed_in(user) or (has_app_context() and bool(current_app.config.get("CATALOGUE_PUBLIC")))


@rule("catalogue.manage")
@rule("service.view_withdrawn")
def keeps_catalogue(user: User) -> bool:
    return is_organizer(user)


@rule("service.view_revisions")
@rule("service.review")
def keeps_service(user: User, service: Service) -> bool:
    return is_organizer(user)


@rule("service.withdraw")
def may_withdraw(user: User, service: Service) -> bool:
    return is_organizer(user) and service.archived_at is None


@rule("service.restore")
def may_restore(user: User, service: Service) -> bool:
    return is_organizer(user) and service.archived_at is not None
