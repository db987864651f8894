"""The composition root: load content, open the database, build the window, run Qt."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from trainer import __version__, paths
from trainer.decks import load_library
from trainer.services import StudySession
from trainer.storage import Store, StoreError
from trainer.ui.main_window import MainWindow
from trainer.ui.theme import apply_theme

MIN_POINT_SIZE = 10.0


def create_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Reciprocity Trainer")
    app.setApplicationVersion(__version__)
    return app


def run(data_dir: str | None = None) -> int:
    """Start the GUI on a data folder; returns the exit code."""
    app = create_app()
    base_size = max(app.font().pointSizeF(), MIN_POINT_SIZE)
    library = load_library(paths.content_dir())
    try:
        store = Store.open(paths.data_dir(data_dir))
    except StoreError as error:
        apply_theme(app, "system", 0, base_size)
        QMessageBox.critical(None, "Reciprocity Trainer cannot open your data", str(error))
        return 2
    settings = store.settings()
    apply_theme(app, settings.theme, settings.text_size, base_size)
    session = StudySession(store, library)
    window = MainWindow(session, library)
    window.show()
    try:
        return app.exec()
    finally:
        store.close()
