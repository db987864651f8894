"""Why a database cannot be used, in words a learner can act on (no SQL here: file checks and messages)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

RESTORE_HINT = (
    "Restore a backup (File > Restore from backup, or `trainer restore FILE`; backups are in the "
    "`backups` folder beside it) or move the file aside"
)


class StoreError(Exception):
    """The database cannot be used; the message says what happened and what to do."""


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


# What a failed write or open means, by SQLite's own error name (sqlite3.Error.sqlite_errorname).
_FULL = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC"}
_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY"}


def _kind(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", None) or ""
    if name in _FULL:
        return "full"
    if name.startswith("SQLITE_READONLY"):
        return "read-only"
    if name in _BUSY:
        return "busy"
    return "other"


def write_failure(path: Path | None, error: sqlite3.Error) -> str:
    where = path or "the database"
    kind = _kind(error)
    if kind == "full":
        return f"The disk holding {where} is full, so this was not saved. Free some space and try again."
    if kind == "read-only":
        return f"{where} has become read-only, so this was not saved. Make it writable and try again."
    if kind == "busy":
        return f"{where} is busy in another program, so this was not saved. Try again in a moment."
    hint = RESTORE_HINT[0].lower() + RESTORE_HINT[1:]
    return f"Saving to {where} failed ({error}), so this was not saved. Try again; if it keeps failing, {hint}."


def explain(path: Path, error: sqlite3.DatabaseError) -> str:
    kind = _kind(error)
    if kind == "read-only":
        return f"{path} is read-only. Make it writable or choose another data folder; it was not changed."
    if kind == "full":
        return f"The disk holding {path} is full. Free some space and start again; nothing was lost."
    if kind == "busy":
        return f"{path} is in use by another program. Close it and start again."
    return f"{path} is damaged or not a trainer database ({error}). {RESTORE_HINT}; it was not changed."
