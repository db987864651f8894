"""The home screen: today's numbers, the Study button, skipped decks and the deck list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from trainer.model import Library
from trainer.services import StudySession
from trainer.ui.widgets import centred_scroll, text_label


class HomeView(QWidget):
    """What a learner sees first; `refresh()` re-reads the numbers from the session."""

    sig_study_requested = Signal()
    """Emitted when the learner asks to study (button or S)."""

    def __init__(self, session: StudySession, library: Library):
        super().__init__()
        self.session = session
        self.library = library
        column = QWidget()
        self.column = QVBoxLayout(column)
        self.column.setContentsMargins(8, 32, 8, 24)
        self.column.setSpacing(16)
        self.column.addWidget(text_label("Reciprocity Trainer", bold=True, scale=1.8))
        self.summary = text_label(scale=1.15)
        self.column.addWidget(self.summary)
        self.study_button = QPushButton("Study (S)")
        self.study_button.setObjectName("primary")
        self.study_button.clicked.connect(self.sig_study_requested)
        self.column.addWidget(self.study_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.warnings = QVBoxLayout()
        self.column.addLayout(self.warnings)
        self._add_warnings()
        self.column.addWidget(text_label("Decks", bold=True, scale=1.2))
        self.deck_grid = QGridLayout()
        self.deck_grid.setHorizontalSpacing(24)
        self.deck_grid.setColumnStretch(0, 1)
        self.column.addLayout(self.deck_grid)
        self.column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(centred_scroll(column))
        self.refresh()

    def _add_warnings(self) -> None:
        for path, problems in self.library.skipped_decks().items():
            strip = QFrame()
            strip.setObjectName("warning")
            row = QHBoxLayout(strip)
            first = problems[0]
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            detail = str(first).removeprefix(path).lstrip(":0123456789 ")
            message = text_label(f"Skipped {path}: {detail}{more}. Run `trainer check` for every problem.")
            row.addWidget(message, 1)
            dismiss = QPushButton("Dismiss")
            dismiss.clicked.connect(strip.deleteLater)
            row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
            self.warnings.addWidget(strip)

    def refresh(self) -> None:
        """Re-read today's numbers and the per-deck counts."""
        counts = self.session.counts()
        done = self.session.answered_today()
        self.summary.setText(
            f"Due now: {counts.learning + counts.review}   ·   New today: {counts.new}   ·   Done today: {done}"
        )
        while self.deck_grid.count():
            item = self.deck_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        started = self.session.started_ids()
        for row, deck in enumerate(self.library.decks):
            studied = sum(card.id in started for card in deck.cards)
            self.deck_grid.addWidget(text_label(deck.title), row, 0)
            self.deck_grid.addWidget(text_label(f"{len(deck.cards)} cards", muted=True), row, 1)
            self.deck_grid.addWidget(text_label(f"{studied} started", muted=True), row, 2)
        if not self.library.decks:
            self.deck_grid.addWidget(text_label("No decks could be loaded.", muted=True), 0, 0)
