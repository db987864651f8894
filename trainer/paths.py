"""Where things live: the learner's data folder and the bundled content and assets."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import platformdirs

APP_NAME = "trainer"
DATA_DIR_ENV = "TRAINER_DATA_DIR"
CONTENT_DIR_ENV = "TRAINER_CONTENT_DIR"
DATABASE_NAME = "trainer.db"


@dataclass(frozen=True, slots=True)
class DataFolder:
    """The learner's data folder and the one place that names what is in it."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def content_cache(self) -> Path:
        return self.root / "content-cache.sqlite3"

    @property
    def lock(self) -> Path:
        """The lock file, where a folder itself cannot be locked (Windows)."""
        return self.root / "trainer.lock"

    @property
    def decks(self) -> Path:
        """The learner's own deck files."""
        return self.root / "decks"


PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_folder(folder: Path) -> None:
    """Create a folder (and its parents) that only its owner can read; raises OSError.

    A folder that already exists keeps its mode: it may be one the learner chose and shares on purpose.
    """
    folder.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)


def make_private(path: Path) -> None:
    """Make a file readable by its owner only (POSIX; a no-op where modes do not apply)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):  # not ours to change: reading it is still fine
            os.chmod(path, PRIVATE_FILE_MODE)


def fsync_path(path: Path) -> None:
    """Make a file's (or a folder's) content durable; folders cannot be synced on Windows."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the learner's database: the override, $TRAINER_DATA_DIR, or the platform's."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def _bundled(name: str) -> Path:
    # In a wheel the folder is inside the package; in an editable install it is
    # the repository's top-level folder beside the package.
    packaged = files("trainer") / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def content_dir() -> Path:
    """The content folder (decks, taxonomy, references): $TRAINER_CONTENT_DIR, or the bundled one."""
    chosen = os.environ.get(CONTENT_DIR_ENV)
    return Path(chosen).expanduser() if chosen else _bundled("content")


def assets_dir() -> Path:
    """The bundled assets folder (icon, screenshots)."""
    return _bundled("assets")
