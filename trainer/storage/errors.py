"""Why a database cannot be used, in words a learner can act on (no SQL here: file checks and messages)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
RESTORE_HINT = (
    "Restore a backup (File > Restore from backup, or `trainer restore FILE`; backups are in the "
    "`backups` folder beside it) or move the file aside"
)


class StoreError(Exception):
    """The database cannot be used; the message says what happened and what to do."""


def check_header(path: Path) -> None:
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


def check_writable(path: Path) -> None:
    """Refuse a read-only folder or file up front: SQLite would fail later, or half-way."""
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as error:
        raise StoreError(
            f"The data folder {path.parent} is read-only ({error.strerror}). Make it writable or choose "
            "another data folder with --data-dir; nothing was changed."
        ) from None
    if not path.exists():
        return
    try:
        with path.open("r+b"):
            pass
    except OSError as error:
        raise StoreError(
            f"{path} is read-only ({error.strerror}). Make it writable or choose another data folder "
            "with --data-dir; it was not changed."
        ) from None


def write_failure(path: Path | None, error: sqlite3.Error) -> str:
    text = str(error)
    where = path or "the database"
    if "full" in text:
        return f"The disk holding {where} is full, so this was not saved. Free some space and try again."
    if "readonly" in text or "read-only" in text:
        return f"{where} has become read-only, so this was not saved. Make it writable and try again."
    if "locked" in text or "busy" in text:
        return f"{where} is busy in another program, so this was not saved. Try again in a moment."
    hint = RESTORE_HINT[0].lower() + RESTORE_HINT[1:]
    return f"Saving to {where} failed ({text}), so this was not saved. Try again; if it keeps failing, {hint}."


def explain(path: Path, error: sqlite3.DatabaseError) -> str:
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only. Make it writable or choose another data folder; it was not changed."
    if "disk is full" in text or "database or disk is full" in text:
        return f"The disk holding {path} is full. Free some space and start again; nothing was lost."
    if "locked" in text:
        return f"{path} is in use by another program. Close it and start again."
    return f"{path} is damaged or not a trainer database ({text}). {RESTORE_HINT}; it was not changed."
