"""Whether a database file is one this trainer can use: the one place that decides, for opening the
database, checking a backup and restoring one. Nothing here writes to the file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from trainer.storage.errors import RESTORE_HINT, StoreError
from trainer.storage.migrations import known_names

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record, made before the first migration runs


@dataclass(frozen=True, slots=True)
class Usable:
    """A file that passed: the schema migrations it has, and whether every page was checked."""

    applied: list[str]
    verified: bool


def check_header(path: Path) -> None:
    """Refuse a file that is not SQLite at all (an empty file is fine: SQLite makes it a database)."""
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


def check_usable(conn: sqlite3.Connection, path: Path, *, full: bool = True) -> Usable:
    """Check an open database: intact (every page, or the fast check), the trainer's, not from a newer one.

    Raises:
        StoreError: what is wrong, in words a learner can act on; the file is never changed.
    """
    problems = integrity_problems(conn) if full else fast_check_problems(path, conn)
    if problems:
        raise StoreError(f"{path} is damaged ({problems[0]}). {RESTORE_HINT}; it was not changed.")
    tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    applied = []
    if MIGRATIONS_TABLE in tables:
        sql = f"select name from {MIGRATIONS_TABLE} where migration_set = 'trainer' order by id"
        applied = [row[0] for row in conn.execute(sql)]
    newer = [name for name in applied if name not in known_names()]
    if newer:
        raise StoreError(
            f"{path} was written by a newer version of the trainer (schema {newer[-1]}). "
            "Update the trainer to open it; the file was not changed."
        )
    if not applied and tables - {MIGRATIONS_TABLE}:
        raise StoreError(
            f"{path} is an SQLite database of another program, not the trainer's. Move it aside or "
            "choose another data folder with --data-dir; it was not changed."
        )
    return Usable(applied, full)


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What SQLite's quick_check finds wrong with a database (empty when it is intact)."""
    problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if problems == ["ok"] else problems


def fast_check_problems(path: Path, conn: sqlite3.Connection) -> list[str]:
    """A check that reads a few pages whatever the size: the header's page count and the schema.

    It catches a truncated or overwritten header and an unreadable schema; damage inside a table's pages
    needs the full check.
    """
    with path.open("rb") as stream:
        header = stream.read(100)
    page_size = int.from_bytes(header[16:18], "big") or 0
    page_size = 65536 if page_size == 1 else page_size
    pages, valid_for, changes = (int.from_bytes(header[i : i + 4], "big") for i in (28, 92, 24))
    wal = Path(f"{path}-wal")
    if page_size < 512 or page_size & (page_size - 1):
        return [f"the header gives an impossible page size ({page_size})"]
    if valid_for == changes and not (wal.exists() and wal.stat().st_size) and pages * page_size != path.stat().st_size:
        return [f"the file is {path.stat().st_size} bytes, but its header says {pages * page_size}"]
    try:
        tables = [row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            conn.execute(f"select * from [{table}] order by rowid desc limit 1").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return []
