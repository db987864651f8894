"""File menu actions for the learner's data: Back up now, and Restore from backup… with a confirmation."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from trainer.collection import Collection, StoreError
from trainer.ui import messages

STATUS_MS = 10_000


class RestoreDialog:
    """The two questions a restore asks; tests replace `choose_file` and `confirm`."""

    @classmethod
    def choose_file(cls, parent: QWidget, folder: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Restore from backup", str(folder), "Trainer backups (*.db);;All files (*)"
        )
        return Path(name) if name else None

    @classmethod
    def confirm(cls, parent: QWidget, source: Path) -> bool:
        return messages.ask(
            parent,
            "Restore from backup?",
            "Replace everything in the trainer (answers, schedules, quizzes, settings) with the backup\n"
            f"{source.name}?\n\nYour current data is backed up first, so this can be undone by restoring "
            "that backup.",
            "Restore",
        )


class BackupActions(QObject):
    """Owns the two actions; reports success in the status bar and failure in a dialog."""

    sig_data_replaced = Signal()
    """Emitted after a restore replaced the database's content: every screen must re-read it."""

    def __init__(self, window: QWidget, collection: Collection, show_status):
        super().__init__(window)
        self.window = window
        self.collection = collection
        self.show_status = show_status
        self.back_up_action = QAction("&Back up now", window)
        self.back_up_action.triggered.connect(self._on_back_up_triggered)
        self.restore_action = QAction("&Restore from backup…", window)
        self.restore_action.triggered.connect(self._on_restore_triggered)

    def _on_back_up_triggered(self) -> None:
        try:
            made = self.collection.back_up_now()
        except StoreError as error:
            messages.warn(self.window, "The backup failed", str(error))
            return
        self.show_status(f"Backed up to {made.path}", STATUS_MS)

    def _on_restore_triggered(self) -> None:
        folder = self.collection.backups_folder
        source = RestoreDialog.choose_file(self.window, folder if folder.is_dir() else folder.parent)
        if source is None:
            return
        try:
            self.collection.check_backup(source)
        except StoreError as error:
            messages.warn(self.window, "That file cannot be restored", str(error))
            return
        if not RestoreDialog.confirm(self.window, source):
            return
        try:
            safety = self.collection.restore(source)
        except StoreError as error:
            messages.warn(self.window, "The restore failed", str(error))
            return
        self.sig_data_replaced.emit()
        self.show_status(f"Restored {source.name}. Your data from before is in {safety.path}", STATUS_MS)
