"""Backups of the learner's database: made online with SQLite's backup API, rotated, checked and restored.

Backups live in the `backups` folder of the data folder, one self-contained SQLite file each, named
`trainer-<UTC date>-<time>-<reason>.db`. A backup is written under a temporary name and renamed only
once complete, so a crash never leaves a half-written file that looks like a backup.
"""

from __future__ import annotations

import enum
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.paths import PRIVATE_FILE_MODE, DataFolder, fsync_path, make_private_folder
from trainer.storage.backup_records import Records as _Records
from trainer.storage.errors import StoreError
from trainer.storage.migrations import migrations
from trainer.storage.store import Store
from trainer.storage.usability import check_header, check_usable, integrity_problems


class BackupReason(enum.StrEnum):
    """Why a backup was made; it is part of the file's name."""

    DAILY = "daily"
    MANUAL = "manual"
    BEFORE_UPGRADE = "before-upgrade"
    BEFORE_RESTORE = "before-restore"
    BEFORE_FIT = "before-fit"  # before fitted scheduler parameters are adopted (or reset) and every card rescheduled
    DAMAGED = "damaged"  # an unusable database moved aside by a restore; never deleted


# How many of each kind rotation aims to keep (see `rotate` for what it never deletes).
KEEP = {
    BackupReason.DAILY: 7,
    BackupReason.MANUAL: 10,
    BackupReason.BEFORE_UPGRADE: 5,
    BackupReason.BEFORE_RESTORE: 5,
    BackupReason.BEFORE_FIT: 5,
}
BACKUP_EVERY = timedelta(days=1)
FUTURE_SLACK = timedelta(minutes=5)
PARTIAL_PREFIX = ".partial-"
PARTIAL_MAX_AGE_S = 3600  # an unfinished backup this old was left by a crash
_NAME = re.compile(r"^trainer-(\d{8}-\d{6})(?:-(\d+))?-([a-z-]+)\.db$")

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: where it is, when it was made (UTC) and why."""

    path: Path
    made_at: datetime
    reason: BackupReason


def backup_folder(data_folder: Path) -> Path:
    return DataFolder(data_folder).backups


def _store_folder(store: Store) -> Path:
    if store.path is None:
        raise StoreError("An in-memory database has no data folder to back up into.")
    return store.path.parent


def backups(data_folder: Path) -> list[Backup]:
    """The finished backups in a data folder, newest first."""
    folder = backup_folder(data_folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not (match and path.is_file()):
            continue
        try:
            made_at = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        except ValueError:  # named like a backup, but not by us
            continue
        try:
            reason = BackupReason(match.group(3))
        except ValueError:  # named like a backup, but not by us
            continue
        found.append((made_at, int(match.group(2) or 0), Backup(path, made_at, reason)))
    return [backup for *_, backup in sorted(found, key=lambda item: item[:2], reverse=True)]


def _new_name(folder: Path, now: datetime, reason: BackupReason) -> Path:
    moment = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    path = folder / f"trainer-{moment}-{reason}.db"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"trainer-{moment}-{number}-{reason}.db"
    return path


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def make_backup(store: Store, reason: BackupReason, now: datetime, *, rotate_after: bool = True) -> Backup:
    """Copy the open database into a new backup file (SQLite's online backup API), then rotate.

    Safe while the database is in use: the copy is one consistent snapshot.

    Raises:
        StoreError: the backup could not be written (the database itself is never touched).
    """
    return _write_backup(store.db.conn, _store_folder(store), reason, now, rotate_after=rotate_after)


def _write_backup(
    source: sqlite3.Connection, data_folder: Path, reason: BackupReason, now: datetime, *, rotate_after: bool = True
) -> Backup:
    folder = backup_folder(data_folder)
    try:
        make_private_folder(folder)
        final = _new_name(folder, now, reason)
        partial = folder / f"{PARTIAL_PREFIX}{os.getpid()}-{final.name}"
        _remove(partial)
        os.close(os.open(partial, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE))
    except OSError as error:
        raise StoreError(f"Cannot write a backup into {folder}: {error.strerror}. Your data was not changed.") from None
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, even from a WAL database
        finally:
            target.close()
        fsync_path(partial)
        partial.replace(final)
        fsync_path(folder)
    except (sqlite3.Error, OSError) as error:
        _remove(partial)
        raise StoreError(
            f"The backup into {folder} failed ({error}). Your data was not changed; free some space and try again."
        ) from None
    if rotate_after:
        rotate(folder.parent, now, keep=final)
    if not final.is_file():
        raise StoreError(f"The backup {final} vanished right after it was written. Your data was not changed.")
    return Backup(final, now.astimezone(UTC).replace(microsecond=0), reason)


def rotate(data_folder: Path, now: datetime, *, keep: Path | None = None) -> list[Path]:
    """Thin out each kind of backup to its KEEP newest, deleting only copies whose content exists elsewhere.

    Guarantees: the backup just made (`keep`) is never deleted; a backup is deleted only when the live
    database or another remaining backup holds every answer and quiz answer it holds (so the only copy
    of a state, such as the data from before a restore, is kept however many newer backups there are);
    files dated in the future (made while the clock was ahead) rank as older than any dated up to `now`;
    files that cannot be read are kept. Returns what was deleted.
    """
    found = backups(data_folder)
    records = _Records(data_folder)
    removed: list[Path] = []
    for reason, limit in KEEP.items():
        group = sorted((b for b in found if b.reason == reason), key=lambda b: _rank(b, now))
        surplus = len(group) - limit
        for backup in group:  # oldest first, until only `limit` are left or none can go
            if surplus <= 0:
                break
            others = [b.path for b in found if b.path != backup.path and b.path not in removed]
            if backup.path != keep and records.held_elsewhere(backup.path, others) and _delete(backup.path):
                removed.append(backup.path)
                surplus -= 1
    for partial in backup_folder(data_folder).glob(f"{PARTIAL_PREFIX}*"):
        try:
            stale = time.time() - partial.stat().st_mtime > PARTIAL_MAX_AGE_S
        except OSError:
            continue
        if stale and _delete(partial):
            removed.append(partial)
    return removed


def _rank(backup: Backup, now: datetime) -> tuple[bool, datetime]:
    """Newest first, but a file dated after `now` was made under a wrong clock: it ranks below the rest."""
    return (backup.made_at <= now + FUTURE_SLACK, backup.made_at)


def _delete(path: Path) -> bool:
    """Delete a file if possible; a backup that cannot be deleted is simply kept."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _backed_up_lately(data_folder: Path, now: datetime) -> bool:
    """A backup exists within a day of `now` (either side: clocks jump)."""
    return any(b.reason in KEEP and abs(now - b.made_at) < BACKUP_EVERY for b in backups(data_folder))


def backup_file_if_due(database: Path, now: datetime) -> Backup | None:
    """The daily backup from a connection of its own, so that a worker thread can make it.

    In WAL mode the copy is a consistent snapshot while the app goes on writing answers.
    """
    if _backed_up_lately(database.parent, now):
        return None
    try:
        source = sqlite3.connect(database, timeout=30.0)
        problems = integrity_problems(source)  # the daily integrity check, off the GUI thread
    except sqlite3.Error as error:
        raise StoreError(f"Cannot read {database} for a backup ({error}). Your data was not changed.") from None
    try:
        if problems:
            raise StoreError(
                f"{database} is damaged ({problems[0]}), so no backup was made over the good ones. "
                "Restore the latest backup (File > Restore from backup)."
            )
        return _write_backup(source, database.parent, BackupReason.DAILY, now)
    finally:
        source.close()


def upgrade_backup(clock: Clock) -> Callable[[Store], None]:
    """The `before_upgrade` hook for Store.open: back up before a schema upgrade (a failure stops the upgrade)."""

    def back_up(store: Store) -> None:
        make_backup(store, BackupReason.BEFORE_UPGRADE, clock())

    return back_up


def open_store(data_folder: Path, clock: Clock, *, full_check: bool = True) -> Store:
    """Open the data folder's database, backing it up first if its schema is about to be upgraded.

    `full_check=False` lets a large database open after a fast check; the caller then runs
    `verify_store` off the GUI thread (see Store.at).

    Raises:
        StoreError: the database cannot be used, or the backup before an upgrade failed.
    """
    return Store.open(data_folder, before_upgrade=upgrade_backup(clock), full_check=full_check)


def verify_store(store: Store) -> str | None:
    """The full check of a store opened after a fast one, on a connection of its own (any thread).

    When the file is damaged the store refuses every write from then on; returns the message, else None.
    """
    if store.verified or store.path is None:
        return None
    try:
        source = sqlite3.connect(store.path, timeout=30.0)
        try:
            problems = integrity_problems(source)
        finally:
            source.close()
    except sqlite3.Error as error:
        problems = [str(error)]
    if not problems:
        store.verified = True
        return None
    message = (
        f"{store.path} is damaged ({problems[0].splitlines()[0]}), so nothing more is saved into it. "
        "Quit, then restore the latest backup (trainer restore FILE, or File > Restore from backup); "
        "the file was not changed by this check."
    )
    store.refuse_writes(message)
    return message


# Checking and restoring ---------------------------------------------------------


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_backup(path: Path) -> list[str]:
    """Check that a file is a whole trainer database this version can read, without writing to it.

    Returns:
        The names of the schema migrations it has.

    Raises:
        StoreError: saying what is wrong with the file.
    """
    if not path.is_file():
        raise StoreError(f"{path} is not a file.")
    check_header(path)
    try:
        conn = _read_only(path)
        try:
            names = check_usable(conn, path).applied
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise StoreError(f"{path} is not a trainer backup ({error}).") from None
    if not names:
        raise StoreError(f"{path} is an SQLite database but not a trainer backup.")
    return names


def _copy_into(store: Store, source: Path) -> None:
    """Replace the store's content with a checked file's, in one transaction, and upgrade its schema."""
    conn = _read_only(source)
    try:
        conn.backup(store.db.conn)
    finally:
        conn.close()
    migrations.apply(store.db)


def restore(store: Store, source: Path, now: datetime) -> Backup:
    """Replace the open database's content with a backup's, after backing up the current content.

    The copy is one transaction through SQLite's backup API: a crash leaves either the old or the
    restored content, never a mix. An older backup is upgraded to the current schema.

    Returns:
        The backup of the content as it was before the restore.

    Raises:
        StoreError: the file is not a usable backup, or the restore failed (the data is then unchanged).
    """
    check_backup(source)
    if store.path is not None and source.resolve() == store.path.resolve():
        raise StoreError(f"{source} is the database in use, not a backup.")
    # Rotate only afterwards: the chosen file may be the oldest backup of its kind.
    safety = make_backup(store, BackupReason.BEFORE_RESTORE, now, rotate_after=False)
    try:
        _copy_into(store, source)
    except sqlite3.Error as error:
        raise StoreError(
            f"Restoring {source} failed ({error}). Your data is as it was; a copy is in {safety.path}."
        ) from None
    rotate(_store_folder(store), now, keep=safety.path)
    return safety


def move_aside(data_folder: Path, now: datetime) -> Path:
    """Move an unusable database (and its WAL files) into the backups folder, unchanged; returns its new path."""
    folder = backup_folder(data_folder)
    current = DataFolder(data_folder).database
    try:
        make_private_folder(folder)
        moved = _new_name(folder, now, BackupReason.DAMAGED)
        for suffix in ("-wal", "-shm", "-journal", ""):
            companion = Path(f"{current}{suffix}")
            if companion.exists():
                companion.replace(Path(f"{moved}{suffix}"))
    except OSError as error:
        raise StoreError(f"Cannot move {current} aside: {error.strerror}. Nothing was restored.") from None
    return moved


def restore_folder(data_folder: Path, source: Path, clock: Clock) -> Path:
    """Restore a data folder from a backup, even when its current database cannot be opened.

    A usable database is backed up first. One that is damaged, not SQLite or from a newer trainer is
    moved aside, unchanged, into the backups folder; any other failure (a read-only folder, a full
    disk) stops the restore with its message.

    Returns:
        Where the data from before the restore now is.

    Raises:
        StoreError: the file is not a usable backup, or the restore failed.
    """
    check_backup(source)
    try:
        store = open_store(data_folder, clock)
    except StoreError as failure:
        current = DataFolder(data_folder).database
        try:
            check_backup(current)
        except StoreError:
            kept = move_aside(data_folder, clock())
        else:
            raise failure from None
        with Store.open(data_folder) as fresh:
            try:
                _copy_into(fresh, source)
            except sqlite3.Error as error:
                raise StoreError(f"Restoring {source} failed ({error}); the old file is in {kept}.") from None
        return kept
    with store:
        return restore(store, source, clock()).path
