"""Test helpers: real database files at any schema version, filled with data, and whole-database dumps."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from trainer.model import Library, Rating
from trainer.storage.migrations import known_names, migrations
from trainer.storage.store import stamp
from trainer.study.scheduling import Scheduler, state_from_json


def database_at(path: Path, stop_before: str | None) -> Database:
    """A database file with every migration applied up to (not including) `stop_before`."""
    db = Database(sqlite3.connect(path))
    db.execute("PRAGMA journal_mode=WAL")
    migrations.apply(db, stop_before=stop_before)
    return db


def schema_of(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("select name from _sqlite_migrations order by id")]


def earlier_versions() -> list[str]:
    """For each earlier schema version, the first migration it lacks (so `stop_before` builds it)."""
    return known_names()[1:]


def fill(db: Database, library: Library, start: datetime, *, answers: int = 40, seed: int = 1) -> None:
    """Realistic data for whatever tables the schema has: answers and schedules, settings, quizzes, marks."""
    with db.atomic():
        _fill(db, library, start, answers, seed)


def _fill(db: Database, library: Library, start: datetime, answers: int, seed: int) -> None:
    rng = random.Random(seed)
    tables = set(db.table_names())
    scheduler = Scheduler(fuzzing=False)
    cards = sorted(library.cards)[:12]
    states: dict[str, str] = {}
    phases: dict[str, int] = {}
    rows: list[dict] = []
    schedules: dict[str, dict] = {}
    now = start
    for number in range(answers):
        card_id = cards[number % len(cards)]
        before = states.get(card_id)
        rating = Rating(rng.randint(1, 4))
        after = scheduler.review(card_id, state_from_json(before) if before else None, rating, now)
        card = library.cards[card_id]
        option = card.options[number % len(card.options)] if card.options else None
        rows.append(
            {
                "card_id": card_id,
                "reviewed_at": stamp(now),
                "day": now.date().isoformat(),
                "option_id": option.id if option else None,
                "quality": option.quality if option else None,
                "rating": int(rating),
                "duration_ms": rng.randint(1000, 20000),
                "phase_before": phases.get(card_id, 0),
                "state_before": before,
                "state_after": after.json,
            }
        )
        schedules[card_id] = {"card_id": card_id, "phase": int(after.phase), "due": stamp(after.due)}
        schedules[card_id] |= {"fsrs": after.json}
        states[card_id], phases[card_id] = after.json, int(after.phase)
        now += timedelta(hours=rng.randint(1, 30))
    db.table("answers").insert_all(rows)
    columns = {column.name for column in db.table("schedules").columns}
    if "suspended" in columns:  # before m006
        schedules = {card_id: row | {"suspended": 0} for card_id, row in schedules.items()}
    if "difficulty" in columns:  # m006 on: the store writes the memory columns with every schedule
        for row in schedules.values():
            row |= {"stability": None, "difficulty": None, "last_review": None}
    db.table("schedules").upsert_all(schedules.values(), pk="card_id")
    db.table("settings").upsert_all(
        [{"key": "new_per_day", "value": "12"}, {"key": "theme", "value": "dark"}], pk="key"
    )
    suspended = cards[0]
    if "card_marks" in tables:
        db.table("card_marks").upsert({"card_id": suspended, "suspended": 1}, pk="card_id")
    else:
        db.execute("update schedules set suspended = 1 where card_id = ?", [suspended])
    if "quiz_attempts" in tables:
        _fill_quiz(db, library, now, rng)


def _fill_quiz(db: Database, library: Library, now: datetime, rng: random.Random) -> None:
    cards = [card for card in library.cards.values() if card.options][:5]
    attempt = {
        "started_at": stamp(now),
        "finished_at": stamp(now + timedelta(minutes=9)),
        "mode": "exam",
        "topics": json.dumps(sorted({card.topic for card in cards})),
        "length": len(cards),
        "status": "finished",
    }
    attempt_id = db.table("quiz_attempts").insert(attempt).last_pk
    for position, card in enumerate(cards):
        order = [option.id for option in card.options]
        rng.shuffle(order)
        chosen = card.options[rng.randrange(len(card.options))]
        db.table("quiz_items").insert(
            {
                "attempt_id": attempt_id,
                "position": position,
                "card_id": card.id,
                "option_order": json.dumps(order),
                "option_id": chosen.id,
                "quality": chosen.quality,
                "confidence": rng.randint(1, 4),
                "duration_ms": rng.randint(2000, 9000),
                "answered_at": stamp(now + timedelta(minutes=position + 1)),
            }
        )


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (except the migrations record), for comparing whole databases."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute("select name from sqlite_master where type = 'table' order by name")
            if not row[0].startswith(("sqlite_", "_sqlite_migrations"))
        ]
        return {table: conn.execute(f"select * from [{table}] order by 1").fetchall() for table in tables}
    finally:
        conn.close()
