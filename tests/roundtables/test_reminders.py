"""`flask roundtables remind`: registrants hear 7 days and 1 day before, never the same reminder twice."""

from datetime import UTC, datetime

from coordination.extensions import db
from coordination.roundtables.models import Registration
from tests.roundtables.conftest import make_roundtable

START = datetime(2030, 7, 15, 7, tzinfo=UTC)


def _remind(runner, at: str) -> str:
    result = runner.invoke(args=["roundtables", "remind", "--at", at])
    assert result.exit_code == 0, result.output
    return result.output


def _register(roundtable, *people, status="attending"):
    for person in people:
        db.session.add(
            Registration(
                roundtable=roundtable, user=person, organization_id=person.organization_id, status=status
            )
        )
    db.session.commit()


def test_reminders_go_out_7_days_and_1_day_before_once_each(runner, member, focal_point, smtp_server):
    roundtable = make_roundtable(starts_at=START, ends_at=START.replace(hour=10))
    _register(roundtable, member, focal_point)

    assert "0 reminders" in _remind(runner, "2030-07-07T12:00")  # 7 days 19 hours before: not yet
    assert "2 reminders" in _remind(runner, "2030-07-08T08:00")
    assert "0 reminders" in _remind(runner, "2030-07-08T09:00")  # running again sends nothing
    assert "2 reminders" in _remind(runner, "2030-07-14T08:00")
    assert "0 reminders" in _remind(runner, "2030-07-14T20:00")
    assert "0 reminders" in _remind(runner, "2030-07-15T08:00")  # it has started
    messages = smtp_server.wait_for(4)
    assert sorted(m["To"] for m in messages) == sorted([member.email, focal_point.email] * 2)
    assert all(m["Subject"].startswith("Soon:") for m in messages)


def test_a_late_registrant_gets_only_the_nearest_reminder(runner, member, smtp_server):
    roundtable = make_roundtable(starts_at=START, ends_at=START.replace(hour=10))
    _register(roundtable, member)
    assert "1 reminders" in _remind(runner, "2030-07-14T20:00")  # both 7 and 1 day are due: one mail
    assert "0 reminders" in _remind(runner, "2030-07-14T21:00")
    assert len(smtp_server.messages) == 1


def test_waitlisted_and_cancelled_get_no_reminder(runner, member, focal_point):
    roundtable = make_roundtable(starts_at=START, ends_at=START.replace(hour=10))
    _register(roundtable, member, status="waitlisted")
    cancelled = make_roundtable(starts_at=START, ends_at=START.replace(hour=10), status="cancelled")
    _register(cancelled, focal_point)
    assert "0 reminders" in _remind(runner, "2030-07-14T08:00")
