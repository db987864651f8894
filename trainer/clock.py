"""The clock type every time-dependent function takes, and the real one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, as an aware UTC instant."""
    return datetime.now(UTC)
