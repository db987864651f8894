"""The learning day: a local calendar day that starts at a chosen hour, mapped to UTC instants.

`zone` is a time zone, or None for the system's local time with its daylight-saving rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo


def learning_day(now: datetime, zone: tzinfo | None, start_hour: int) -> date:
    """The learning day an instant belongs to: before `start_hour` local time it is still yesterday."""
    local = now.astimezone(zone)
    return local.date() if local.hour >= start_hour else local.date() - timedelta(days=1)


def day_start(day: date, zone: tzinfo | None, start_hour: int) -> datetime:
    """The UTC instant a learning day begins, correct across daylight-saving changes."""
    return datetime.combine(day, time(start_hour), tzinfo=zone).astimezone(UTC)


def day_bounds(now: datetime, zone: tzinfo | None, start_hour: int) -> tuple[datetime, datetime]:
    """The UTC start of the current learning day and of the next one."""
    today = learning_day(now, zone, start_hour)
    return day_start(today, zone, start_hour), day_start(today + timedelta(days=1), zone, start_hour)
