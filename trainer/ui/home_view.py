"""The home dashboard: today's numbers, the streak, the actions, mastery by topic and the last quiz."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from trainer.collection import MASTERY_DEFINITION, Collection, Dashboard, Mastery
from trainer.ui.deck_list import DeckList
from trainer.ui.widgets import centred_scroll, clear_layout, side_by_side, text_label

WIDE_HOME = 1280  # from this width the deck list and mastery stand side by side
MASTERY_NOTE = "Share of each topic's cards you know durably. " + MASTERY_DEFINITION


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def due_in(moment: datetime, now: datetime) -> str:
    """'now', 'in 6 min', 'in 3 h' or 'in 2 days'."""
    minutes = -(-(moment - now).total_seconds() // 60)  # rounded up: "in 1 min" until it is due
    if minutes <= 0:
        return "now"
    if minutes < 60:
        return f"in {minutes:.0f} min"
    if minutes < 48 * 60:
        return f"in {round(minutes / 60)} h"
    return f"in {round(minutes / 1440)} days"


class HomeView(QWidget):
    """What a learner sees first; `refresh()` re-reads every figure from the collection."""

    sig_study_requested = Signal()
    """Emitted when the learner asks to study (button or S)."""

    sig_quiz_requested = Signal()
    """Emitted when the learner asks for a quiz (button or Q)."""

    sig_statistics_requested = Signal()
    """Emitted when the learner asks for the statistics (button or T)."""

    sig_browse_requested = Signal()
    """Emitted when the learner asks for the card browser (button or B)."""

    sig_rounds_requested = Signal()
    """Emitted when the learner asks for a negotiation round (button or R)."""

    sig_study_deck = Signal(str)
    """Emitted with a deck id when the learner asks to study that deck only (the deck list)."""

    def __init__(self, collection: Collection):
        super().__init__()
        self.collection = collection
        self.library = collection.library
        self.figures: Dashboard | None = None
        column = QWidget()
        self.column = QVBoxLayout(column)
        self.column.setContentsMargins(8, 32, 8, 24)
        self.column.setSpacing(16)
        self.column.addWidget(text_label("Reciprocity Trainer", bold=True, scale=1.8))
        self.summary = text_label(scale=1.15)
        self.column.addWidget(self.summary)
        self.today_line = text_label(muted=True)
        self.column.addWidget(self.today_line)
        self.column.addLayout(self._build_buttons())
        self.warnings = QVBoxLayout()
        self.column.addLayout(self.warnings)
        self._add_warnings()
        self.last_quiz = text_label()
        self.column.addWidget(self.last_quiz)
        self.last_game = text_label()
        self.column.addWidget(self.last_game)
        self.deck_list = DeckList(collection)
        self.deck_list.sig_study_deck.connect(self.sig_study_deck)
        self.deck_list.sig_switched.connect(self.refresh)
        mastery = QWidget()
        mastery_column = QVBoxLayout(mastery)
        mastery_column.setContentsMargins(0, 0, 0, 0)
        mastery_column.setSpacing(16)
        mastery_column.addWidget(text_label("Mastery by topic", bold=True, scale=1.2))
        mastery_column.addWidget(text_label(MASTERY_NOTE, muted=True))
        self.mastery_grid = QGridLayout()
        self.mastery_grid.setHorizontalSpacing(16)
        self.mastery_grid.setVerticalSpacing(8)
        self.mastery_grid.setColumnStretch(0, 3)
        self.mastery_grid.setColumnStretch(1, 2)
        mastery_column.addLayout(self.mastery_grid)
        # The decks and mastery: side by side on a wide window (both above the fold), one above the other otherwise.
        self.sections = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.sections.setSpacing(32)
        for section in (self.deck_list, mastery):
            self.sections.addWidget(section, 1, Qt.AlignmentFlag.AlignTop)
        self.column.addLayout(self.sections)
        self.column.addStretch(1)
        self.page_column = column
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(centred_scroll(column, name="Home"))
        self.refresh()

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_width(event.size().width())
        super().resizeEvent(event)

    def _fit_width(self, width: int) -> None:
        """Decks beside mastery from WIDE_HOME px (two columns of a readable width), below it otherwise."""
        side_by_side(self.sections, self.page_column, width >= WIDE_HOME)

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.study_button = QPushButton("Study (S)")
        self.study_button.setObjectName("primary")
        self.study_button.clicked.connect(self.sig_study_requested)
        self.quiz_button = QPushButton("Quiz (Q)")
        self.quiz_button.clicked.connect(self.sig_quiz_requested)
        self.statistics_button = QPushButton("Statistics (T)")
        self.statistics_button.clicked.connect(self.sig_statistics_requested)
        self.rounds_button = QPushButton("Negotiate (R)")
        self.rounds_button.clicked.connect(self.sig_rounds_requested)
        self.browse_button = QPushButton("Browse (B)")
        self.browse_button.clicked.connect(self.sig_browse_requested)
        buttons = (self.study_button, self.quiz_button, self.rounds_button, self.statistics_button, self.browse_button)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

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
        """Re-read today's numbers, the streak, mastery and the last quiz."""
        figures = self.figures = self.collection.dashboard()
        counts = figures.counts
        self.summary.setText(
            f"Due now: {counts.learning + counts.review}   ·   New today: {counts.new}   ·   "
            f"Done today: {figures.done_today}   ·   Streak: {plural(figures.streak, 'day')}"
        )
        self.today_line.setText(self._today_text())
        self.today_line.setVisible(bool(self.today_line.text()))
        quiz = figures.last_quiz
        if quiz is None:
            last = "Last quiz: no quiz yet. Press Q to test yourself."
        else:
            when = (quiz.finished_at or quiz.started_at).astimezone()
            last = f"Last quiz: {round((quiz.score or 0) * 100)}%  ·  {when:%a %d %b %Y}"
        if self.collection.quizzes.open_attempt() is not None:
            last = "Quiz in progress — Q to resume.   " + last.replace(" Press Q to test yourself.", "")
        self.last_quiz.setText(last)
        self.last_game.setText(self.collection.games.last_result())
        self._fill_mastery(figures.mastery)
        self.deck_list.refresh()

    def decks_reloaded(self) -> None:
        """After a deck was imported: read the library again, with its skipped-deck strips."""
        self.library = self.collection.library
        clear_layout(self.warnings)
        self._add_warnings()
        self.refresh()

    def _today_text(self) -> str:
        """'3 in learning, next in 6 min · 4 due from your last quiz' (empty when neither applies)."""
        study = self.collection.study
        parts = []
        learning = study.learning()
        if learning.count and learning.next_due is not None:
            when = due_in(learning.next_due, self.collection.clock())
            parts.append(f"{learning.count} in learning, " + ("next due now" if when == "now" else f"next {when}"))
        from_quizzes = study.from_quizzes()
        if from_quizzes:
            parts.append(f"{from_quizzes} due from your quizzes (answered below the best)")
        return "   ·   ".join(parts)

    def _fill_mastery(self, mastery: dict[str, Mastery]) -> None:
        clear_layout(self.mastery_grid)
        if not mastery:
            self.mastery_grid.addWidget(text_label("No decks could be loaded.", muted=True), 0, 0)
            return
        for row, (topic, figures) in enumerate(mastery.items()):
            self.mastery_grid.addWidget(_line(self.library.taxonomy.topics[topic]), row, 0)
            if figures.studied == 0:
                self.mastery_grid.addWidget(_line("not started", muted=True), row, 1, 1, 3)
                continue
            bar = QProgressBar()
            bar.setObjectName("mastery")
            bar.setTextVisible(False)
            bar.setRange(0, figures.total)
            bar.setValue(figures.mastered)
            bar.setAccessibleName(f"{self.library.taxonomy.topics[topic]} mastery")
            self.mastery_grid.addWidget(bar, row, 1, Qt.AlignmentFlag.AlignVCenter)
            self.mastery_grid.addWidget(_line(f"{round(figures.share * 100)}%"), row, 2)
            rest = f"{figures.not_started} not started" if figures.not_started else ""
            self.mastery_grid.addWidget(_line(rest, muted=True), row, 3)


def _line(text: str, *, muted: bool = False) -> QLabel:
    """A one-line label (short texts in a grid: wrapping them would only inflate the page's minimum height)."""
    label = text_label(text, muted=muted)
    label.setWordWrap(False)
    return label
