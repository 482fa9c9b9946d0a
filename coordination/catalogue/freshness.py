"""Keeps the catalogue's cached fragments fresh: a flush that adds, changes or removes a service,
a criterion, a link between them or a revision replaces the area's cache token in the same
transaction (see coordination/fragments.py).
"""

from coordination.catalogue.models import Criterion, Service, ServiceCriterion, ServiceRevision
from coordination.fragments import watch

AREA = "catalogue"
WATCHED = (Service, ServiceCriterion, Criterion, ServiceRevision)


def watch_catalogue_changes() -> None:
    """Install the flush hook (once per process)."""
    watch(AREA, WATCHED)
