"""One trainer per data folder: an operating-system lock on the folder, released when the process ends.

On POSIX the lock is `flock` on the folder itself, so no lock file can be deleted from under it, a
crashed trainer's lock goes with its process (no stale PIDs to guess about) and taking it writes
nothing (it works on a full disk). Elsewhere it is an exclusive lock on a file in the folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from trainer.paths import DataFolder, make_private_folder


class FolderLockError(Exception):
    """The guard could not be taken at all: the folder must not be opened for writing."""


class FolderLock:
    """An exclusive lock on a data folder, held until `release` or the end of the process."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._descriptor: int | None = None

    def acquire(self) -> bool:
        """Take the folder: True, or False when another trainer holds it.

        Raises:
            FolderLockError: the lock cannot be taken (the folder cannot be made or opened).
        """
        if self._descriptor is not None:
            return True
        try:
            make_private_folder(self.folder)
            descriptor = _open_lockable(self.folder)
        except OSError as error:
            raise FolderLockError(
                f"Cannot take the data folder {self.folder} ({error.strerror or error}), so it was not opened: "
                "another trainer might be using it. Check the folder (or choose another with --data-dir) and "
                "start again; nothing was changed."
            ) from None
        if not _try_lock(descriptor):
            os.close(descriptor)
            return False
        self._descriptor = descriptor
        return True

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the descriptor drops the lock
            self._descriptor = None


if sys.platform != "win32":
    import fcntl

    def _open_lockable(folder: Path) -> int:
        return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

else:  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _open_lockable(folder: Path) -> int:
        return os.open(DataFolder(folder).lock, os.O_RDWR | os.O_CREAT, 0o600)

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
