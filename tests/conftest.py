"""Shared fixtures: a fixed clock, a real database file, the bundled library, a study session."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from trainer import paths
from trainer.collection import Collection
from trainer.library.loading import load_library
from trainer.model import Library
from trainer.storage.store import Store
from trainer.study.session import StudySession

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock tests move by hand; always an aware UTC instant."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def keys_at_test_speed(monkeypatch):
    """Tests press keys faster than a person; the 300 ms guard after a screen change has its own tests."""
    from trainer.ui.widgets import KeyGuard

    monkeypatch.setattr(KeyGuard, "quiet_ms", 0)


@pytest.fixture(autouse=True)
def window_settings_apart(tmp_path_factory):
    """Each test remembers window sizes and first-run flags in a folder of its own, never the user's."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    return folder


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def library() -> Library:
    loaded = load_library(paths.content_dir())
    assert not loaded.problems, loaded.problems
    return loaded


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):
    opened = Store.open(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def collection(store: Store, library: Library, clock: FakeClock) -> Collection:
    return Collection(store, library, clock=clock, zone=UTC, fuzzing=False)


@pytest.fixture
def session(collection: Collection) -> StudySession:
    """The collection's study session (tests drive the queue through it)."""
    return collection.study
