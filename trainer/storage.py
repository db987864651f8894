"""The learner's database: the only module with table names and SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, fields
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from trainer.migrations import known_names, migrations
from trainer.model import Answer, CardId, Phase, Rating, Schedule, Settings, SettingsError, parse_settings
from trainer.paths import DATABASE_NAME
from trainer.scheduling import state_from_json

SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be used; the message says what happened and what to do."""


def stamp(moment: datetime) -> str:
    """A UTC instant as fixed-width ISO text, so text order is time order."""
    return moment.isoformat(timespec="microseconds")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Store:
    """One open database. Every write is one transaction, committed before it returns."""

    def __init__(self, db: Database, path: Path | None = None):
        self.db = db
        self.path = path

    @classmethod
    def open(cls, folder: Path) -> Store:
        """Open (creating if needed) the database in a data folder."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"Cannot create the data folder {folder}: {error.strerror}.") from None
        return cls.at(folder / DATABASE_NAME)

    @classmethod
    def at(cls, path: Path) -> Store:
        """Open the database file at `path`, upgrading its schema; never modifies a file it cannot use."""
        if path.exists():
            _check_header(path)
        try:
            conn = sqlite3.connect(path, timeout=5.0)
        except sqlite3.Error as error:
            raise StoreError(f"Cannot open {path}: {error}.") from None
        store = cls(Database(conn), path)
        try:
            store._check_version()
            store.db.execute("PRAGMA journal_mode=WAL")
            store.db.execute("PRAGMA synchronous=FULL")
            migrations.apply(store.db)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(_explain(path, error)) from None
        except StoreError:
            conn.close()
            raise
        return store

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory database with the schema applied (for tests and benchmarks)."""
        db = Database(memory=True)
        migrations.apply(db)
        return cls(db)

    def _check_version(self) -> None:
        applied = [m.name for m in migrations.applied(self.db)]
        unknown = [name for name in applied if name not in known_names()]
        if unknown:
            raise StoreError(
                f"{self.path} was written by a newer version of the trainer (schema {unknown[-1]}). "
                "Update the trainer to open it; the file was not changed."
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # Settings -------------------------------------------------------------

    def settings(self) -> Settings:
        """The stored settings; unreadable or out-of-range values fall back to their defaults."""
        stored = {row["key"]: row["value"] for row in self.db.query("select key, value from settings")}
        defaults = Settings()
        values = {}
        for item in fields(Settings):
            if item.name not in stored:
                continue
            try:
                parse_settings({item.name: stored[item.name]})
                values[item.name] = stored[item.name]
            except SettingsError:
                values[item.name] = getattr(defaults, item.name)
        return parse_settings(values)

    def save_settings(self, settings: Settings) -> None:
        """Validate and store every setting in one transaction; raises SettingsError."""
        checked = parse_settings(asdict(settings))
        rows = [{"key": key, "value": str(value)} for key, value in asdict(checked).items()]
        with self.db.atomic():
            self.db.table("settings").upsert_all(rows, pk="key")

    # Schedules ------------------------------------------------------------

    def schedule(self, card_id: CardId) -> Schedule | None:
        rows = list(self.db.query("select * from schedules where card_id = ?", [card_id]))
        return _schedule(rows[0]) if rows else None

    def schedules(self) -> Iterator[Schedule]:
        """Every card that has been studied at least once."""
        return map(_schedule, self.db.query("select * from schedules"))

    def started_card_ids(self) -> set[str]:
        return {row["card_id"] for row in self.db.query("select card_id from schedules")}

    def suspended_card_ids(self) -> set[str]:
        return {row["card_id"] for row in self.db.query("select card_id from schedules where suspended = 1")}

    def due_card_ids(self, phases: tuple[Phase, ...], before: datetime, limit: int) -> list[tuple[str, datetime]]:
        """Unsuspended cards in the given phases due before an instant, earliest first."""
        marks = ", ".join("?" for _ in phases)
        sql = (
            f"select card_id, due from schedules where suspended = 0 and phase in ({marks}) "
            "and due < ? order by due limit ?"
        )
        params = [int(p) for p in phases] + [stamp(before), limit]
        return [(row["card_id"], _instant(row["due"])) for row in self.db.query(sql, params)]

    def count_due(self, phases: tuple[Phase, ...], before: datetime) -> int:
        marks = ", ".join("?" for _ in phases)
        sql = f"select count(*) as n from schedules where suspended = 0 and phase in ({marks}) and due < ?"
        return next(self.db.query(sql, [int(p) for p in phases] + [stamp(before)]))["n"]

    def next_due(self, after: datetime) -> datetime | None:
        """The earliest due instant at or after `after` among unsuspended cards."""
        sql = "select min(due) as due from schedules where suspended = 0 and due >= ?"
        due = next(self.db.query(sql, [stamp(after)]))["due"]
        return _instant(due) if due else None

    def bring_forward(self, card_ids: list[str], now: datetime) -> int:
        """Make studied cards due now (memory state unchanged); returns how many moved."""
        if not card_ids:
            return 0
        marks = ", ".join("?" for _ in card_ids)
        sql = f"update schedules set due = ? where card_id in ({marks}) and due > ? and suspended = 0"
        with self.db.atomic():
            cursor = self.db.execute(sql, [stamp(now), *card_ids, stamp(now)])
        return cursor.rowcount

    # Answers --------------------------------------------------------------

    def record_answer(self, answer: Answer, phase_before: Phase, day: date, after: Schedule) -> int:
        """Store an answer and the card's new schedule in one durable transaction; returns the answer's id."""
        row = {
            "card_id": answer.card_id,
            "reviewed_at": stamp(answer.reviewed_at),
            "day": day.isoformat(),
            "option_id": answer.option_id,
            "quality": answer.quality,
            "rating": int(answer.rating),
            "duration_ms": answer.duration_ms,
            "phase_before": int(phase_before),
            "state_before": answer.state_before,
            "state_after": answer.state_after,
        }
        with self.db.atomic():
            answer_id = self.db.table("answers").insert(row).last_pk
            self.db.table("schedules").upsert(_schedule_row(after), pk="card_id")
        return int(answer_id)

    def last_answer(self) -> Answer | None:
        rows = list(self.db.query("select * from answers order by id desc limit 1"))
        return _answer(rows[0]) if rows else None

    def undo_answer(self, answer_id: int) -> Answer:
        """Delete an answer and put its card's schedule back exactly as it was before it."""
        with self.db.atomic():
            rows = list(self.db.query("select * from answers where id = ?", [answer_id]))
            if not rows:
                raise StoreError(f"Answer {answer_id} does not exist.")
            answer = _answer(rows[0])
            current = self.schedule(answer.card_id)
            if answer.state_before is None:
                self.db.execute("delete from schedules where card_id = ?", [answer.card_id])
            else:
                restored = {
                    "card_id": answer.card_id,
                    "phase": rows[0]["phase_before"],
                    "due": _due_of(answer.state_before),
                    "fsrs": answer.state_before,
                    "suspended": int(current.suspended) if current else 0,
                }
                self.db.table("schedules").upsert(restored, pk="card_id")
            self.db.execute("delete from answers where id = ?", [answer_id])
        return answer

    def answers(self, card_id: CardId | None = None) -> list[Answer]:
        """Answers in the order given, for one card or all."""
        if card_id is None:
            return [_answer(row) for row in self.db.query("select * from answers order by id")]
        sql = "select * from answers where card_id = ? order by id"
        return [_answer(row) for row in self.db.query(sql, [card_id])]

    def count_answers(self, *, since: datetime | None = None, phase_before: Phase | None = None) -> int:
        clauses, params = [], []
        if since is not None:
            clauses.append("reviewed_at >= ?")
            params.append(stamp(since))
        if phase_before is not None:
            clauses.append("phase_before = ?")
            params.append(int(phase_before))
        where = f" where {' and '.join(clauses)}" if clauses else ""
        return next(self.db.query(f"select count(*) as n from answers{where}", params))["n"]


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"Cannot read {path}: {error.strerror}. The file was not changed.") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a trainer database (it is not an SQLite file). "
            "Move it aside or choose another data folder with --data-dir; the file was not changed."
        )


def _explain(path: Path, error: sqlite3.DatabaseError) -> str:
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only. Make it writable or choose another data folder; it was not changed."
    if "disk is full" in text or "database or disk is full" in text:
        return f"The disk holding {path} is full. Free some space and start again; nothing was lost."
    if "locked" in text:
        return f"{path} is in use by another program. Close it and start again."
    return (
        f"{path} is damaged or not a trainer database ({text}). "
        "Restore a backup from the data folder or move the file aside; it was not changed."
    )


def _due_of(state_json: str) -> str:
    return stamp(state_from_json(state_json).due)


def _schedule(row: dict) -> Schedule:
    return Schedule(
        card_id=CardId(row["card_id"]),
        phase=Phase(row["phase"]),
        due=_instant(row["due"]),
        fsrs_json=row["fsrs"],
        suspended=bool(row["suspended"]),
    )


def _schedule_row(schedule: Schedule) -> dict:
    return {
        "card_id": schedule.card_id,
        "phase": int(schedule.phase),
        "due": stamp(schedule.due),
        "fsrs": schedule.fsrs_json,
        "suspended": int(schedule.suspended),
    }


def _answer(row: dict) -> Answer:
    return Answer(
        id=row["id"],
        card_id=CardId(row["card_id"]),
        reviewed_at=_instant(row["reviewed_at"]),
        rating=Rating(row["rating"]),
        duration_ms=row["duration_ms"],
        option_id=row["option_id"],
        quality=row["quality"],
        state_before=row["state_before"],
        state_after=row["state_after"],
    )
