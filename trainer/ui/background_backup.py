"""The daily backup, made on a worker thread so the window never waits for a large copy."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from trainer.collection import Collection, StoreError

CHECK_EVERY_MS = 60 * 60 * 1000  # a trainer left open for days still gets its daily backup


class BackgroundBackup(QObject):
    """Checks at start and every hour; the copy runs on its own thread with its own connection."""

    sig_finished = Signal(str)
    """Emitted (on the GUI thread) with a one-line status: where the backup went, or why it failed."""

    sig_damaged = Signal(str)
    """Emitted when the full check of a large database (opened after a fast one) finds damage."""

    def __init__(self, collection: Collection, parent: QObject | None = None):
        super().__init__(parent)
        self.collection = collection
        self._worker: threading.Thread | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.start)
        self.timer.start(CHECK_EVERY_MS)

    def start(self) -> None:
        """Begin a backup check unless one is still running."""
        if self._worker is not None and self._worker.is_alive():
            return
        self._worker = threading.Thread(target=self._run, name="daily-backup", daemon=True)
        self._worker.start()

    def wait(self, seconds: float = 60.0) -> None:
        """Let a running backup finish (on quit, and in tests)."""
        if self._worker is not None:
            self._worker.join(seconds)

    def _run(self) -> None:
        damage = self.collection.verify()  # the store refuses writes from here on if it is damaged
        if damage is not None:
            self.sig_damaged.emit(damage)
            return
        try:
            made = self.collection.daily_backup()
        except StoreError as error:
            self.sig_finished.emit(f"Today's backup was not made: {error}")
            return
        if made is not None:
            self.sig_finished.emit(f"Backed up to {made.path}")
