"""Shared vocabularies: the Sustainable Development Goals and IOM's service areas."""

from flask_babel import lazy_gettext as _l

SDGS = {
    1: _l("No poverty"),
    2: _l("Zero hunger"),
    3: _l("Good health and well-being"),
    4: _l("Quality education"),
    5: _l("Gender equality"),
    6: _l("Clean water and sanitation"),
    7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"),
    9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"),
    11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"),
    13: _l("Climate action"),
    14: _l("Life below water"),
    15: _l("Life on land"),
    16: _l("Peace, justice and strong institutions"),
    17: _l("Partnerships for the goals"),
}

SERVICE_AREAS = {
    "localized_assistance": _l("Localized assistance"),
    "avrr": _l("Assisted voluntary return and reintegration (AVRR)"),
    "health": _l("Health"),
    "protection": _l("Protection"),
    "counter_trafficking": _l("Counter-trafficking"),
    "labour_mobility": _l("Labour mobility"),
    "community_engagement": _l("Community engagement"),
}

WORKING_LANGUAGES = {"en": "English", "fr": "Français", "ar": "العربية"}
