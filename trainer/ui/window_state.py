"""The main window's size, place and maximised state, remembered between starts, and first-run flags.

Kept per user in Qt's settings (an INI file under the user's configuration folder), not in the database:
a window's place belongs to the screen it was on, not to the learner's data.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

ORGANISATION, APPLICATION = "ReciprocityTrainer", "trainer"
PREFERRED = (1280, 800)
SCREEN_SHARE = 0.9  # a first window takes at most this share of the available screen


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def restore(window: QWidget) -> None:
    """The size, place and maximised state of the last run; else 1280×800, or less to fit the screen, centred."""
    saved = settings().value("window/geometry")
    if isinstance(saved, QByteArray) and not saved.isEmpty() and window.restoreGeometry(saved):
        return
    screen = window.screen()
    if screen is None:
        window.resize(*PREFERRED)
        return
    available = screen.availableGeometry()
    width = min(PREFERRED[0], int(available.width() * SCREEN_SHARE))
    height = min(PREFERRED[1], int(available.height() * SCREEN_SHARE))
    window.resize(width, height)
    frame = window.frameGeometry()
    frame.moveCenter(available.center())
    window.move(frame.topLeft())


def save(window: QWidget) -> None:
    store = settings()
    store.setValue("window/geometry", window.saveGeometry())
    store.sync()


def flag(name: str) -> bool:
    return settings().value(f"flags/{name}", False, type=bool) is True


def set_flag(name: str, value: bool = True) -> None:
    store = settings()
    store.setValue(f"flags/{name}", value)
    store.sync()
