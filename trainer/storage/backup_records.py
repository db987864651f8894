"""What a database file holds of the learner's work, so rotation deletes a backup only when it is held elsewhere.

Answers and quiz items only ever grow at the end of their tables (ids are never reused), so a file
"holds" another's work when it has the same number of rows up to the other's last id and the same
last row. A restore, a reset or an undo breaks that, and the older file then counts as unique.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from trainer.paths import DataFolder

# table -> the columns that identify its last row, and which rows count (quiz items only once answered)
_TABLES = {
    "answers": ("card_id, reviewed_at, rating", "1"),
    "quiz_items": ("card_id, option_id, confidence", "option_id is not null"),
}


@dataclass(frozen=True, slots=True)
class Work:
    """One table's share of a file's work: its rows up to its last id, and that last row."""

    count: int
    last_id: int
    last_row: tuple[object, ...] | None


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}


def read_work(path: Path) -> dict[str, Work] | None:
    """The work a database file holds, or None when it cannot be read."""
    try:
        conn = _connect(path)
        try:
            present = _tables(conn)
            work = {}
            for table, (columns, counted) in _TABLES.items():
                if table not in present:
                    work[table] = Work(0, 0, None)
                    continue
                count, last = conn.execute(
                    f"select count(*), coalesce(max(id), 0) from {table} where {counted}"
                ).fetchone()
                row = conn.execute(f"select {columns} from {table} where id = ?", [last]).fetchone()
                work[table] = Work(count, last, tuple(row) if row else None)
            return work
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _holds(path: Path, work: dict[str, Work]) -> bool:
    """Whether the file at `path` holds every row counted in `work`."""
    try:
        conn = _connect(path)
        try:
            present = _tables(conn)
            for table, (columns, counted) in _TABLES.items():
                mine = work[table]
                if mine.count == 0:
                    continue
                if table not in present:
                    return False
                query = f"select count(*) from {table} where id <= ? and {counted}"
                if conn.execute(query, [mine.last_id]).fetchone()[0] != mine.count:
                    return False
                row = conn.execute(f"select {columns} from {table} where id = ?", [mine.last_id]).fetchone()
                if (tuple(row) if row else None) != mine.last_row:
                    return False
            return True
        finally:
            conn.close()
    except sqlite3.Error:
        return False


class Records:
    """Answers 'is this backup's work held by the live database or another backup?' for one data folder."""

    def __init__(self, data_folder: Path):
        self.live = DataFolder(data_folder).database

    def held_elsewhere(self, backup: Path, others: list[Path]) -> bool:
        work = read_work(backup)
        if work is None:
            return False  # never delete what could not be read
        candidates = [self.live, *others] if self.live.is_file() else others
        return any(_holds(other, work) for other in candidates)
