"""The learner's database: settings, schedules, answers and card marks, as rows mapped to plain values."""

from __future__ import annotations

import json
import os
import sqlite3
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from sqlite_utils import Database

from trainer.model import (
    BEST_QUALITY,
    Answer,
    CardId,
    CardState,
    CardTally,
    Phase,
    Rating,
    Schedule,
    Settings,
    SettingsError,
    parse_settings,
)
from trainer.paths import PRIVATE_FILE_MODE, DataFolder, fsync_path, make_private, make_private_folder
from trainer.storage.errors import StoreError, check_writable, explain, write_failure

__all__ = ["QUICK_CHECK_LIMIT", "Store", "StoreError", "stamp"]
from trainer.storage.migrations import migrations
from trainer.storage.usability import check_header, check_usable

# Cards kept out of the queue at an instant: suspended, or buried until later than it.
_NOT_HELD = "card_id not in (select card_id from card_marks where suspended = 1 or buried_until > ?)"


T = TypeVar("T")
QUICK_CHECK_LIMIT = 64 * 1024 * 1024  # bytes; larger databases get a fast check, the full one off the GUI thread


def _create(path: Path) -> None:
    """Create a new database whole: built under a temporary name, renamed only when its schema is complete.

    A crash or a full disk during the very first start therefore leaves no file at all, or a complete one.
    """
    for leftover in path.parent.glob(f".{path.name}.new-*"):
        leftover.unlink(missing_ok=True)
    partial = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        descriptor = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        os.close(descriptor)
        conn = sqlite3.connect(partial)
        try:
            migrations.apply(Database(conn))
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()  # the last connection checkpoints and removes the WAL
        with partial.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(partial, path)
        fsync_path(path.parent)
    except (sqlite3.Error, OSError) as error:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
        if isinstance(error, sqlite3.DatabaseError):
            raise StoreError(explain(path, error)) from None
        reason = error.strerror if isinstance(error, OSError) else None
        raise StoreError(
            f"Cannot create {path} ({reason or error}). Free some space or choose another data folder "
            "with --data-dir, then start again; nothing was written."
        ) from None


def memory_sql(table: str) -> tuple[str, str]:
    """SQL over a schedules row (`table` names it) for: its memory columns can be read; and it is durable, that is
    its stability is at least `:min` days and no more whole days than its stability have passed since its last
    review at `:now` (FSRS's forgetting curve is at 90% recall then)."""
    readable = f"(typeof({table}.stability) in ('real', 'integer') and julianday({table}.last_review) is not null)"
    durable = (
        f"({table}.stability >= :min "
        f"and julianday(:now) - julianday({table}.last_review) < cast({table}.stability as integer) + 1)"
    )
    return readable, durable


def stamp(moment: datetime) -> str:
    """A UTC instant as fixed-width ISO text, so text order is time order."""
    return moment.isoformat(timespec="microseconds")


def instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment


# What a row that passed SQLite's integrity check can still get wrong: a value of the wrong kind.
BAD_VALUE = (ValueError, TypeError, KeyError, AttributeError)


class Store:
    """One open database. Every write is one transaction, committed before it returns."""

    def __init__(self, db: Database, path: Path | None = None):
        self.db = db
        self.path = path
        self.verified = True
        self._refusal: str | None = None
        self.skipped: Counter[str] = Counter()
        """Rows skipped because a value in them is unreadable, by table (see `trainer doctor`)."""

    @classmethod
    def open(
        cls, folder: Path, *, before_upgrade: Callable[[Store], None] | None = None, full_check: bool = True
    ) -> Store:
        """Open (creating if needed) the database in a data folder; see `at`."""
        try:
            make_private_folder(folder)
        except OSError as error:
            raise StoreError(f"Cannot create the data folder {folder}: {error.strerror}.") from None
        return cls.at(DataFolder(folder).database, before_upgrade=before_upgrade, full_check=full_check)

    @classmethod
    def at(cls, path: Path, *, before_upgrade: Callable[[Store], None] | None = None, full_check: bool = True) -> Store:
        """Open the database file at `path`, upgrading its schema; never modifies a file it cannot use.

        Args:
            path: the database file (created whole, or not at all, when missing).
            before_upgrade: called with the opened store just before an existing database's schema is
                upgraded (the place for a backup); not called for a new or up-to-date database.
            full_check: check every page before opening. With False, a file above QUICK_CHECK_LIMIT gets
                a fast check only and `verified` stays False: the caller must run `verify_in_background`
                (`usability.integrity_problems` on its own connection) and call `refuse_writes` if it fails.

        Raises:
            StoreError: the file is not SQLite, damaged, from a newer trainer, read-only or on a full disk.
        """
        if path.exists():
            check_header(path)
        check_writable(path)
        if not path.exists():
            _create(path)
        make_private(path)
        try:
            conn = sqlite3.connect(path, timeout=5.0)
        except sqlite3.Error as error:
            raise StoreError(f"Cannot open {path}: {error}.") from None
        store = cls(Database(conn), path)
        try:
            applied = check_usable(conn, path, full=full_check or path.stat().st_size <= QUICK_CHECK_LIMIT)
            store.verified = applied.verified
            store.db.execute("PRAGMA journal_mode=WAL")
            store.db.execute("PRAGMA synchronous=FULL")
            if before_upgrade is not None and migrations.applied(store.db) and migrations.pending(store.db):
                before_upgrade(store)
            migrations.apply(store.db)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(explain(path, error)) from None
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

    def refuse_writes(self, reason: str) -> None:
        """From now on every write fails with `reason` (the full check found the file damaged)."""
        self._refusal = reason

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; a failure to write becomes a StoreError saying what to do."""
        if self._refusal is not None:
            raise StoreError(self._refusal)
        try:
            with self.db.atomic():
                yield
        except sqlite3.Error as error:
            raise StoreError(write_failure(self.path, error)) from error

    def _read(self, table: str, rows: Iterable[Any], convert: Callable[[Any], T]) -> Iterator[T]:
        """Convert rows, skipping (and counting in `skipped`) those with a value that cannot be read."""
        for row in rows:
            try:
                yield convert(row)
            except BAD_VALUE:
                self.skipped[table] += 1

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
        with self.transaction():
            self.db.table("settings").upsert_all(rows, pk="key")

    # Schedules ------------------------------------------------------------

    def schedule(self, card_id: CardId) -> Schedule | None:
        rows = list(self.db.query("select * from schedules where card_id = ?", [card_id]))
        return next(self._read("schedules", rows, _schedule), None)

    def schedules(self) -> Iterator[Schedule]:
        """Every card that has been studied at least once."""
        return self._read("schedules", self.db.query("select * from schedules"), _schedule)

    def started_card_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("select card_id from schedules")}

    def suspended_card_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("select card_id from card_marks where suspended = 1")}

    def held_card_ids(self, now: datetime) -> set[str]:
        """Cards kept out of the queue at `now`: suspended, or buried until a later instant."""
        sql = "select card_id from card_marks where suspended = 1 or buried_until > ?"
        return {row[0] for row in self.db.execute(sql, [stamp(now)])}

    def due_card_ids(
        self, phases: tuple[Phase, ...], before: datetime, limit: int, *, now: datetime
    ) -> list[tuple[str, datetime]]:
        """Cards in the given phases due before an instant and not held at `now`, earliest first."""
        marks = ", ".join("?" for _ in phases)
        sql = (
            f"select card_id, due from schedules where phase in ({marks}) "
            f"and due < ? and {_NOT_HELD} order by due limit ?"
        )
        params = [int(p) for p in phases] + [stamp(before), stamp(now), limit]
        return list(self._read("schedules", self.db.execute(sql, params), lambda row: (row[0], instant(row[1]))))

    def count_due(self, phases: tuple[Phase, ...], before: datetime, *, now: datetime, cap: int = -1) -> int:
        """How many cards in the given phases are due before an instant and not held at `now`.

        With a `cap`, counting stops there, so the cost stays bounded however many cards are overdue.
        """
        marks = ", ".join("?" for _ in phases)
        sql = (
            f"select count(*) as n from (select 1 from schedules where phase in ({marks}) "
            f"and due < ? and {_NOT_HELD} limit ?)"
        )
        params = [int(p) for p in phases] + [stamp(before), stamp(now), cap]
        return int(next(self.db.query(sql, params))["n"])

    def next_due(self, after: datetime) -> datetime | None:
        """The earliest due instant at or after `after` among cards not held then."""
        sql = f"select min(due) as due from schedules where due >= ? and {_NOT_HELD}"
        due = next(self.db.query(sql, [stamp(after), stamp(after)]))["due"]
        return instant(due) if due else None

    def set_suspended(self, card_ids: list[str], suspended: bool) -> None:
        """Suspend cards (kept out of study until unsuspended) or unsuspend them, in one transaction."""
        with self.transaction():
            for card_id in card_ids:
                self.db.execute(
                    "insert into card_marks (card_id, suspended) values (?, ?) "
                    "on conflict(card_id) do update set suspended = excluded.suspended",
                    [card_id, int(suspended)],
                )
            self.db.execute("delete from card_marks where suspended = 0 and buried_until is null")

    def bury(self, card_ids: list[str], until: datetime) -> None:
        """Keep cards out of study until an instant (the start of the next learning day)."""
        with self.transaction():
            for card_id in card_ids:
                self.db.execute(
                    "insert into card_marks (card_id, buried_until) values (?, ?) "
                    "on conflict(card_id) do update set buried_until = excluded.buried_until",
                    [card_id, stamp(until)],
                )

    def reset_cards(self, card_ids: list[str]) -> int:
        """Make cards new again: delete their schedules and their answers; returns how many answers went."""
        marks = ", ".join("?" for _ in card_ids)
        with self.transaction():
            deleted = self.db.execute(f"delete from answers where card_id in ({marks})", card_ids).rowcount
            self.db.execute(f"delete from schedules where card_id in ({marks})", card_ids)
        return deleted

    def bring_forward(self, card_ids: Sequence[str], now: datetime) -> int:
        """Make studied cards due now (memory state unchanged); returns how many moved."""
        if not card_ids:
            return 0
        marks = ", ".join("?" for _ in card_ids)
        sql = f"update schedules set due = ? where card_id in ({marks}) and due > ?"
        with self.transaction():
            cursor = self.db.execute(sql, [stamp(now), *card_ids, stamp(now)])
        return cursor.rowcount

    # Answers --------------------------------------------------------------

    def record_answer(self, answer: Answer, phase_before: Phase, day: date, after: Schedule) -> int:
        """Store an answer and the card's new schedule in one durable transaction; returns the answer's id."""
        row = _answer_row(answer, phase_before, day)
        schedule = _schedule_row(after)
        with self.transaction():  # plain statements: sqlite-utils' insert and upsert ask for the schema each time
            answer_id = self.db.execute(_INSERT_ANSWER, [row[c] for c in _ANSWER_COLUMNS]).lastrowid
            self.db.execute(_UPSERT_SCHEDULE, [schedule[c] for c in _SCHEDULE_COLUMNS])
        assert answer_id is not None
        return int(answer_id)

    def import_history(self, answers: list[tuple[Answer, Phase, date]], schedules: list[Schedule]) -> None:
        """Bulk-write answers and schedules in one transaction (benchmark data, imports)."""
        rows = [_answer_row(answer, phase, day) for answer, phase, day in answers]
        with self.transaction():
            self.db.table("answers").insert_all(rows, batch_size=5000)
            self.db.table("schedules").upsert_all((_schedule_row(s) for s in schedules), pk="card_id", batch_size=5000)

    def answer_by_id(self, answer_id: int) -> Answer | None:
        rows = list(self.db.query("select * from answers where id = ?", [answer_id]))
        return next(self._read("answers", rows, _answer), None)

    def undo_answer(self, answer_id: int, restored: CardState | None) -> Answer:
        """Delete an answer and put its card's schedule back to `restored`, the state before it (None: new).

        Refuses, changing nothing, when the card was answered again since (by another writer).
        """
        with self.transaction():
            rows = list(self.db.query("select * from answers where id = ?", [answer_id]))
            if not rows:
                raise StoreError(f"Answer {answer_id} does not exist.")
            answer = _answer(rows[0])
            newest = self.db.execute("select max(id) from answers where card_id = ?", [answer.card_id]).fetchone()[0]
            if newest != answer_id:  # another window (or process) answered the card since: undoing would orphan it
                raise StoreError(
                    "This card was answered again since, so that answer cannot be undone; nothing changed."
                )
            if restored is None:
                self.db.execute("delete from schedules where card_id = ?", [answer.card_id])
            else:
                self.db.table("schedules").upsert(_schedule_row(Schedule(answer.card_id, restored)), pk="card_id")
            self.db.execute("delete from answers where id = ?", [answer_id])
        return answer

    def unreadable_rows(self) -> dict[str, list[int]]:
        """The rowids of answers and schedules holding a value that cannot be read (what `_read` skips)."""
        found: dict[str, list[int]] = {}
        for table, convert in (("answers", _answer), ("schedules", _schedule)):
            for row in self.db.query(f"select rowid as _rowid, * from {table}"):
                try:
                    convert(row)
                except BAD_VALUE:
                    found.setdefault(table, []).append(row["_rowid"])
        return found

    def repair_rows(self, found: dict[str, list[int]], state_of: Callable[[str], CardState]) -> int:
        """Delete unreadable rows in one transaction; a card whose schedule went gets it back from its last
        readable answer (`state_of` reads an answer's stored state) or becomes new. Returns rows deleted."""
        with self.transaction():
            cards = [
                row[0]
                for rowid in found.get("schedules", [])
                for row in self.db.execute("select card_id from schedules where rowid = ?", [rowid])
            ]
            for table, rowids in found.items():
                self.db.conn.executemany(f"delete from {table} where rowid = ?", [[r] for r in rowids])
            for card_id in cards:
                readable = self.answers(CardId(card_id))
                if readable:
                    state = state_of(readable[-1].state_after)
                    self.db.table("schedules").upsert(_schedule_row(Schedule(CardId(card_id), state)), pk="card_id")
        return sum(len(rowids) for rowids in found.values())

    def answers(self, card_id: CardId | None = None) -> list[Answer]:
        """Answers in the order given, for one card or all."""
        if card_id is None:
            return list(self._read("answers", self.db.query("select * from answers order by id"), _answer))
        sql = "select * from answers where card_id = ? order by id"
        return list(self._read("answers", self.db.query(sql, [card_id]), _answer))

    def memory_rows(self) -> list[tuple[str, float, datetime]]:
        """(card id, stability, last review) of every studied card, for recall predictions in bulk."""
        sql = "select card_id, stability, last_review from schedules where last_review is not null"
        rows = self.db.execute(sql).fetchall()
        return list(self._read("schedules", rows, lambda row: (row[0], float(row[1]), instant(row[2]))))

    def durable_flags(self, now: datetime, min_stability: float) -> list[tuple[str, bool]]:
        """(card id, durable) of every studied card: durable when its stability is at least `min_stability` days
        and no more whole days than its stability have passed since its last review (a card's predicted recall
        is at least 90% exactly then: see `figures`). Worked out in SQL, no timestamp parsed in Python; rows
        with an unreadable stability or time are skipped and counted."""
        readable, durable = memory_sql("schedules")
        sql = f"select card_id, {readable}, {durable} from schedules where last_review is not null"
        flags = []
        params = {"min": min_stability, "now": stamp(now)}
        for card_id, readable, durable in self.db.execute(sql, params).fetchall():
            if readable:
                flags.append((card_id, bool(durable)))
            else:
                self.skipped["schedules"] += 1
        return flags

    def review_facts_since(self, since: datetime) -> list[tuple[datetime, int, float | None, int]]:
        """(answered at, rating, interval before in days, duration ms) of answers since an instant, oldest first."""
        sql = (
            "select reviewed_at, rating, interval_days, duration_ms from answers "
            "where reviewed_at >= ? order by reviewed_at"
        )
        rows = self.db.execute(sql, [stamp(since)]).fetchall()
        return list(
            self._read("answers", rows, lambda row: (instant(row[0]), int(Rating(row[1])), row[2], int(row[3] or 0)))
        )

    def answers_per_day(self, since: date) -> dict[date, int]:
        """How many answers each learning day from `since` on had (days without answers are absent)."""
        sql = "select day, count(*) as n from answers where day >= ? group by day"
        rows = self.db.query(sql, [since.isoformat()])
        return dict(self._read("answers", rows, lambda row: (date.fromisoformat(row["day"]), row["n"])))

    # Statistics, aggregated in SQL (each one grouped query over an index; nothing per answer reaches Python)

    def reader(self) -> Store:
        """A second connection to the same file for one worker thread (reads only; close it when done)."""
        assert self.path is not None, "an in-memory database has no second connection"
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
        return Store(Database(conn), self.path)

    def retention_by_month(self, since: date, mature_days: float) -> dict[str, tuple[int, int]]:
        """Per month ('YYYY-MM') of learning days from `since` on: (passed, total) reviews of mature cards
        (interval at least `mature_days`; passed: any rating but Again)."""
        sql = (
            "select substr(day, 1, 7) as month, sum(rating != ?) as passed, count(*) as total from answers "
            "where day >= ? and interval_days >= ? group by month"
        )
        rows = self.db.execute(sql, [int(Rating.AGAIN), since.isoformat(), mature_days]).fetchall()
        return {str(month): (int(passed), int(total)) for month, passed, total in rows}

    def retention_since(self, since: date, mature_days: float) -> tuple[int, int]:
        """(passed, total) reviews of mature cards on learning days from `since` on."""
        sql = "select sum(rating != ?), count(*) from answers where day >= ? and interval_days >= ?"
        passed, total = self.db.execute(sql, [int(Rating.AGAIN), since.isoformat(), mature_days]).fetchone()
        return int(passed or 0), int(total)

    def median_answer_ms_by_week(self, first: date, weeks: int) -> dict[int, float]:
        """Median milliseconds per answer in each 7-day span from `first` (span 0) on, for spans with answers.

        Read from the per-day counts of answer_times, so the median is to the nearest tenth of a second: the
        middle of the median tenth (the mean of the two middle tenths for an even count), within 50 ms of the
        exact median. A day that cannot be read is skipped and counted.
        """
        last = first + timedelta(days=7 * weeks - 1)
        sql = (
            "select cast(julianday(day) - julianday(:first) as integer) / 7 as week, tenth, sum(n) from answer_times "
            "where day >= :first and day <= :last group by week, tenth"
        )
        counts: dict[int, dict[int, int]] = {}
        for week, tenth, n in self.db.execute(sql, {"first": first.isoformat(), "last": last.isoformat()}):
            if week is None:  # days that are not dates
                self.skipped["answers"] += 1
                continue
            counts.setdefault(int(week), {})[int(tenth)] = int(n)
        return {week: _median(tally) * 100 + 50 for week, tally in counts.items()}

    def due_counts(self, bounds: Sequence[datetime], now: datetime, excluded: Sequence[str] = ()) -> list[int]:
        """Cards not suspended falling due before each of `bounds` (the starts of the coming learning days):
        entry k counts those due from bounds[k-1] (entry 0: before bounds[0], overdue included) up to bounds[k].
        A card buried at `now` counts no earlier than entry 1; cards in `excluded` are left out."""
        cases = " ".join(f"when due >= ? then {k}" for k in range(len(bounds) - 1, 0, -1))
        sql = (
            f"select case {cases} else 0 end as slot, card_id in (select card_id from card_marks "
            "where buried_until > ?) as buried, count(*) from schedules where due < ? "
            "and card_id not in (select card_id from card_marks where suspended = 1) "
            "and card_id not in (select value from json_each(?)) group by slot, buried"
        )
        stamps = [stamp(b) for b in bounds]
        params = [*stamps[-2::-1][: len(bounds) - 1], stamp(now), stamps[-1], json.dumps(list(excluded))]
        counts = [0] * len(bounds)
        for slot, buried, count in self.db.execute(sql, params).fetchall():
            counts[max(slot, 1) if buried else slot] += count
        return counts

    def study_days(self) -> list[date]:
        """Every learning day with at least one answer, latest first."""
        # Day by day down the index on `day` (one seek per day), not a scan of every answer.
        sql = (
            "with recursive d(day) as (select max(day) from answers union all "
            "select (select max(day) from answers where day < d.day) from d where d.day is not null) "
            "select day from d where day is not null"
        )
        rows = self.db.execute(sql)
        return list(self._read("answers", rows, lambda row: date.fromisoformat(row[0])))

    def card_tallies(self) -> dict[str, CardTally]:
        """Per answered card: answers, lapses (Again on a card in review) and the last rating (from the roll-up
        kept by triggers, so no answer but each card's last is read)."""
        sql = (
            "select t.card_id, t.reviews, t.lapses, a.rating, a.reviewed_at "
            "from card_tallies t join answers a on a.id = t.last_id"
        )
        rows = self.db.query(sql)
        return dict(
            self._read(
                "answers",
                rows,
                lambda row: (
                    row["card_id"],
                    CardTally(row["reviews"], row["lapses"], Rating(row["rating"]), instant(row["reviewed_at"])),
                ),
            )
        )

    def count_answers(self, *, since: datetime | None = None, phase_before: Phase | None = None) -> int:
        """How many answers, optionally since an instant and from a phase (answered from an index alone)."""
        clauses: list[str] = []
        params: list[str | int] = []
        if since is not None:
            clauses.append("reviewed_at >= ?")
            params.append(stamp(since))
        if phase_before is not None:
            clauses.append("phase_before = ?")
            params.append(int(phase_before))
        where = f" where {' and '.join(clauses)}" if clauses else ""
        return int(next(self.db.query(f"select count(*) as n from answers{where}", params))["n"])


def _checked_state(text: str | None) -> str | None:
    """Stored state text, refused unless it is a JSON object (its meaning is the study layer's to read)."""
    if text is not None and not isinstance(json.loads(text), dict):
        raise ValueError("state is not a JSON object")
    return text


def _answer_row(answer: Answer, phase_before: Phase, day: date) -> dict[str, Any]:
    return {
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
        "interval_days": answer.interval_days,
    }


_ANSWER_COLUMNS = (
    "card_id",
    "reviewed_at",
    "day",
    "option_id",
    "quality",
    "rating",
    "duration_ms",
    "phase_before",
    "state_before",
    "state_after",
    "interval_days",
)
_INSERT_ANSWER = f"insert into answers ({', '.join(_ANSWER_COLUMNS)}) values ({', '.join('?' * len(_ANSWER_COLUMNS))})"
_SCHEDULE_COLUMNS = ("card_id", "phase", "due", "fsrs", "stability", "difficulty", "last_review")
_UPSERT_SCHEDULE = (
    f"insert into schedules ({', '.join(_SCHEDULE_COLUMNS)}) values ({', '.join('?' * len(_SCHEDULE_COLUMNS))}) "
    "on conflict(card_id) do update set " + ", ".join(f"{c} = excluded.{c}" for c in _SCHEDULE_COLUMNS[1:])
)


def _schedule(row: dict[str, Any]) -> Schedule:
    state = CardState(
        json=str(_checked_state(row["fsrs"])),
        phase=Phase(row["phase"]),
        due=instant(row["due"]),
        stability=None if row["stability"] is None else float(row["stability"]),
        difficulty=None if row["difficulty"] is None else float(row["difficulty"]),
        last_review=None if row["last_review"] is None else instant(row["last_review"]),
    )
    return Schedule(CardId(row["card_id"]), state)


def _schedule_row(schedule: Schedule) -> dict[str, Any]:
    state = schedule.state
    return {
        "card_id": schedule.card_id,
        "phase": int(state.phase),
        "due": stamp(state.due),
        "fsrs": state.json,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "last_review": None if state.last_review is None else stamp(state.last_review),
    }


def _median(counts: Mapping[int, int]) -> float:
    """The median of values given as value -> how many times it occurs (for an even count, the mean of the
    two middle values)."""
    values = sorted(counts)
    ends = list(accumulate(counts[value] for value in values))  # the 1-based position of each value's last copy
    total = ends[-1]

    def at(position: int) -> int:
        return values[bisect_left(ends, position)]

    return (at((total + 1) // 2) + at((total + 2) // 2)) / 2


def float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _quality(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= BEST_QUALITY:
        raise ValueError(f"quality {value!r}")
    return value


def _answer(row: dict[str, Any]) -> Answer:
    return Answer(
        id=row["id"],
        card_id=CardId(row["card_id"]),
        reviewed_at=instant(row["reviewed_at"]),
        rating=Rating(row["rating"]),
        duration_ms=int(row["duration_ms"] or 0),
        option_id=row["option_id"],
        quality=_quality(row["quality"]),
        state_before=_checked_state(row["state_before"]),
        state_after=str(_checked_state(row["state_after"])),
        interval_days=row["interval_days"],
    )
