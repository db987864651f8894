"""Helpers for driving the real window with the keyboard in GUI tests."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.collection import Collection
from trainer.ui.main_window import MainWindow


def press(qtbot, key: Qt.Key) -> None:
    """Type a key into whatever has the focus, as a learner would."""
    qtbot.keyClick(QApplication.focusWidget(), key)


def digit(n: int) -> Qt.Key:
    return Qt.Key(Qt.Key.Key_0.value + n)


def open_window(qtbot, collection: Collection, seed: int = 7) -> MainWindow:
    """The main window, shown and active (shortcuts need an active window offscreen)."""
    window = MainWindow(collection, rng=random.Random(seed))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window
