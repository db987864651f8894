"""The database schema as ordered migrations; append new ones, never edit a released one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("trainer")


@migrations()
def m001_study(db: Database) -> None:
    """Settings, each card's scheduling state, and every answer."""
    db.table("settings").create({"key": str, "value": str}, pk="key", strict=True)
    db.table("schedules").create(
        {
            "card_id": str,
            "phase": int,
            "due": str,
            "fsrs": str,
            "suspended": int,
        },
        pk="card_id",
        not_null={"phase", "due", "fsrs", "suspended"},
        defaults={"suspended": 0},
        strict=True,
    )
    db.table("schedules").create_index(["suspended", "phase", "due"], index_name="schedules_by_due")
    db.table("answers").create(
        {
            "id": int,
            "card_id": str,
            "reviewed_at": str,
            "day": str,
            "option_id": str,
            "quality": int,
            "rating": int,
            "duration_ms": int,
            "phase_before": int,
            "state_before": str,
            "state_after": str,
        },
        pk="id",
        not_null={"card_id", "reviewed_at", "day", "rating", "duration_ms", "phase_before", "state_after"},
        strict=True,
    )
    db.table("answers").create_index(["card_id", "id"], index_name="answers_by_card")
    db.table("answers").create_index(["reviewed_at"], index_name="answers_by_time")
    db.table("answers").create_index(["day", "phase_before"], index_name="answers_by_day")


def known_names() -> list[str]:
    """Names of every migration this version knows, in order."""
    return [migration.name for migration in migrations.pending(Database(memory=True))]
