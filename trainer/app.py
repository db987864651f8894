"""The composition root: load content, open the database, build the window, run Qt."""

from __future__ import annotations

import sqlite3
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from trainer import __version__, paths
from trainer.clock import system_clock
from trainer.collection import Collection
from trainer.folder_lock import FolderLockError
from trainer.storage.backup import open_store
from trainer.storage.content_cache import cached_library
from trainer.storage.store import StoreError
from trainer.ui import messages
from trainer.ui.about import app_icon
from trainer.ui.background_backup import BackgroundBackup
from trainer.ui.main_window import MainWindow
from trainer.ui.single_instance import SingleInstance
from trainer.ui.theme import apply_theme

MIN_POINT_SIZE = 10.0


def create_app() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Reciprocity Trainer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("reciprocity-trainer")  # matches `trainer install-desktop`'s entry (Wayland)
    app.setWindowIcon(app_icon())
    return app


def run(data_dir: str | None = None) -> int:
    """Start the GUI on a data folder; returns the exit code."""
    app = create_app()
    base_size = max(app.font().pointSizeF(), MIN_POINT_SIZE)
    folder = paths.data_dir(data_dir)
    guard = SingleInstance(folder)
    try:
        acquired = guard.acquire()
    except FolderLockError as error:
        apply_theme(app, "system", 0, base_size)
        messages.critical(None, "Reciprocity Trainer cannot open your data", str(error))
        return 2
    if not acquired:
        apply_theme(app, "system", 0, base_size)
        say_already_open(folder, guard.ask_running_to_come_forward())
        return 1
    try:
        store = open_store(folder, system_clock, full_check=False)
    except StoreError as error:
        apply_theme(app, "system", 0, base_size)
        messages.critical(None, "Reciprocity Trainer cannot open your data", str(error))
        guard.release()
        return 2
    library = cached_library(paths.content_dir(), folder)
    settings = store.settings()
    apply_theme(app, settings.theme, settings.text_size, base_size)
    window = MainWindow(Collection(store, library))
    guard.sig_activation_requested.connect(lambda: bring_forward(window))
    daily = BackgroundBackup(window.collection, window)
    daily.sig_finished.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    daily.sig_damaged.connect(lambda text: messages.critical(window, "Your database is damaged", text))
    previous_hook = sys.excepthook
    sys.excepthook = lambda kind, error, tb: report_error(window, kind, error, tb)
    window.show()
    window.welcome_if_first_run()
    daily.start()
    try:
        return app.exec()
    finally:
        daily.wait()
        sys.excepthook = previous_hook
        store.close()
        guard.release()


def say_already_open(folder: Path, brought_forward: bool) -> None:
    """Tell a second start that the trainer is already open on this data folder."""
    where = "Its window has been brought to the front." if brought_forward else "Switch to its window."
    messages.inform(
        None,
        "Reciprocity Trainer is already open",
        f"The trainer is already open on this data folder:\n{folder}\n\n{where} "
        "Only one trainer at a time uses a data folder, so that no answer is lost.",
    )


def bring_forward(window: QWidget) -> None:
    """Show a window un-minimised, on top and active (as far as the window system allows)."""
    window.setWindowState((window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


def report_error(parent: QWidget | None, kind: type[BaseException], error: BaseException, tb: TracebackType | None):
    """The error dialog for anything a screen did not handle; the app keeps running."""
    traceback.print_exception(kind, error, tb, file=sys.stderr)
    if isinstance(error, StoreError):
        title, text = "Your data could not be read or saved", str(error)
    elif isinstance(error, sqlite3.Error):  # a database failure no screen expected
        title = "Your data could not be read or saved"
        text = (
            f"The database reported: {error}.\n\nWhat was saved before is safe. If the disk is full, free some space."
        )
    else:
        title = "Something went wrong"
        text = (
            f"{kind.__name__}: {error}\n\nEvery answer you have rated is saved. If this happens again, "
            "please report it with the details printed in the terminal."
        )
    messages.critical(parent, title, text)
