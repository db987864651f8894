"""The main window: navigation between home and study, the menus and the global keys."""

from __future__ import annotations

import random

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget

from trainer import __version__
from trainer.model import Library
from trainer.services import StudySession
from trainer.ui.help_overlay import HelpOverlay
from trainer.ui.home_view import HomeView
from trainer.ui.study_view import StudyView


class MainWindow(QMainWindow):
    """Wires the views together; holds no study logic of its own."""

    sig_closed = Signal()
    """Emitted when the window has closed."""

    def __init__(self, session: StudySession, library: Library, *, rng: random.Random | None = None):
        super().__init__()
        self.setWindowTitle("Reciprocity Trainer")
        self.resize(1280, 800)
        self.setMinimumSize(960, 600)
        self.home = HomeView(session, library)
        self.study = StudyView(session, library, rng=rng)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.study)
        self.setCentralWidget(self.pages)
        self.help = HelpOverlay(self.pages)
        self.home.sig_study_requested.connect(self.show_study)
        self.study.sig_home_requested.connect(self.show_home)
        self._build_menus()

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("&Study", "S", self._on_study_key))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", QKeySequence.StandardKey.Quit, self.close))
        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo last answer", None, self._undo)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutVisibleInContextMenu(True)
        edit_menu.addAction(self.undo_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", "F1", self.help.toggle))
        help_menu.addAction(self._action("&About", None, self._about))

    def _on_study_key(self) -> None:
        if self.pages.currentWidget() is self.home and not self.help.isVisible():
            self.show_study()

    def _undo(self) -> None:
        if self.study.session.can_undo():
            self.help.hide()
            self.pages.setCurrentWidget(self.study)
            self.study.undo()

    def show_study(self) -> None:
        self.help.hide()
        self.pages.setCurrentWidget(self.study)
        self.study.start()

    def show_home(self) -> None:
        if self.help.isVisible():
            self.help.hide()
            return
        self.home.refresh()
        self.pages.setCurrentWidget(self.home)
        self.home.study_button.setFocus()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Reciprocity Trainer",
            f"Reciprocity Trainer {__version__}\n\n"
            "Situation cards and a self-assessment quiz on reciprocity in negotiation, "
            "scheduled with FSRS.",
        )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().closeEvent(event)
        self.sig_closed.emit()
