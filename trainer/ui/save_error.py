"""A strip that says an answer was not saved, and why, while the answer stays on screen to retry."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from trainer.ui.widgets import text_label


class SaveErrorStrip(QWidget):
    """Hidden until a commit fails; `show_error` names the failure and how to retry."""

    def __init__(self, retry_hint: str):
        super().__init__()
        self.retry_hint = retry_hint
        frame = QFrame()
        frame.setObjectName("warning")
        self.message = text_label()
        self.message.setProperty("tone", "bad")
        inner = QHBoxLayout(frame)
        inner.setContentsMargins(12, 8, 12, 8)
        inner.addWidget(self.message, 1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 0)
        outer.addWidget(frame)
        self.hide()

    def show_error(self, error: str) -> None:
        self.message.setText(f"⚠ Not saved. {error} {self.retry_hint}")
        self.show()

    def clear(self) -> None:
        self.message.clear()
        self.hide()
