"""Every action the code or a template asks about is answered by an area's policy, so that a
mistyped name fails here rather than when a user clicks; and no area's policy answers for nothing."""

import re
from pathlib import Path

import pytest

from coordination.policy import UnknownAction, actions, can

REPO = Path(__file__).resolve().parents[1]
# can(user, "area.verb", …) and require(user, "area.verb", …) in Python; can("area.verb", …) in
# templates; the catalogue's `_may("area.verb", …)`.
ASKED = re.compile(r"""\b(?:can|require|_may)\(\s*(?:[\w.]+\s*,\s*)?["']([a-z_]+\.[a-z_]+)["']""")


def _asked_in(paths) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in paths:
        for action in ASKED.findall(path.read_text(encoding="utf-8")):
            found.setdefault(action, set()).add(str(path.relative_to(REPO)))
    return found


@pytest.fixture(scope="module")
def asked(app) -> dict[str, set[str]]:
    code = [p for p in (REPO / "coordination").rglob("*.py") if p.name != "policy.py"]
    return _asked_in([*code, *(REPO / "templates").rglob("*.html")])


def test_every_action_asked_is_answered_by_a_policy(asked):
    unknown = {action: sorted(where) for action, where in asked.items() if action not in actions()}
    assert unknown == {}


def test_every_policy_answers_something_the_code_asks(asked):
    assert sorted(actions() - set(asked)) == []


def test_the_scan_sees_the_actions_of_views_rules_and_templates(asked):
    """The test above would pass on an empty scan: it must find actions of each kind of file."""
    assert "coordination/roundtables/views.py" in asked["roundtable.check_in"]
    assert "coordination/roundtables/registrations.py" in asked["registration.create"]
    assert "templates/roundtables/minutes.html" in asked["minutes.read_comments"]
    assert len(asked) > 80


def test_asking_an_unknown_action_raises(organizer):
    with pytest.raises(UnknownAction):
        can(organizer, "roundtable.delete_everything")
