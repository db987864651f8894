"""Quiz history: every finished attempt in a table, and the score over time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trainer.model import Library, QuizAttempt
from trainer.ui.charts import accent, chart
from trainer.ui.widgets import text_label

COLUMNS = ("Finished", "Mode", "Items", "Topics", "Score")


class HistoryView(QWidget):
    """Lists finished attempts, newest first; double-click (or Enter) opens an attempt's report."""

    sig_report_requested = Signal(int)
    """Emitted with an attempt id to open its report."""

    sig_home_requested = Signal()
    """Emitted by the Home button or Esc."""

    def __init__(self, attempts: list[QuizAttempt], library: Library):
        super().__init__()
        self.attempts = sorted(attempts, key=lambda a: a.finished_at or a.started_at, reverse=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.addWidget(text_label("Quiz history", bold=True, scale=1.6))
        if not self.attempts:
            layout.addWidget(text_label("No finished quiz yet. Press Q on the home screen to take one.", muted=True))
        else:
            layout.addWidget(text_label("Your score in each finished quiz, oldest to newest.", muted=True))
            layout.addWidget(self._trend_chart(), 1)
        self.table = QTableWidget(len(self.attempts), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        all_topics = len(library.taxonomy.topics)
        for row, attempt in enumerate(self.attempts):
            topics = "all" if len(attempt.topics) == all_topics else ", ".join(attempt.topics)
            moment = attempt.finished_at or attempt.started_at
            cells = (
                f"{moment.astimezone():%d %b %Y, %H:%M}",
                attempt.mode.capitalize(),
                str(attempt.answered),
                topics,
                f"{round((attempt.score or 0) * 100)}%",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, attempt.id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _: self._open(row))
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.open_button = QPushButton("Open report")
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def _trend_chart(self) -> QWidget:
        from matplotlib.ticker import MaxNLocator

        canvas, axes = chart(7.0, 2.6)
        ordered = list(reversed(self.attempts))
        axes.plot(range(1, len(ordered) + 1), [(a.score or 0) * 100 for a in ordered], marker="o", color=accent())
        axes.set_ylim(0, 100)
        axes.set_xlabel("attempt")
        axes.set_ylabel("score (%)")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # attempts are whole numbers
        axes.set_xlim(0.5, len(ordered) + 0.5)
        return canvas

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.attempts):
            self.sig_report_requested.emit(self.attempts[row].id)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.sig_home_requested.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(self.table.currentRow())
        else:
            super().keyPressEvent(event)
