"""The quiz screen: one item at a time, then how sure you are; feedback now (practice) or in the report (exam)."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from trainer.model import Card, Library
from trainer.quiz import CONFIDENCE_LEVELS
from trainer.quiz_session import PRACTICE, QuizSession
from trainer.ui.card_front import CardFront
from trainer.ui.explanation import ExplanationPanel, mark_tiles, verdict_text
from trainer.ui.widgets import centred_scroll, connect_card_keys, text_label


class QuizView(QWidget):
    """Runs a QuizSession; every answer is committed before the next item shows."""

    sig_finished = Signal(object)
    """Emitted with the Report when the last item is answered."""

    sig_left = Signal()
    """Emitted when the learner leaves mid-way (Esc); the attempt stays open for later."""

    def __init__(self, library: Library):
        super().__init__()
        self.library = library
        self.quiz: QuizSession | None = None
        self.card: Card | None = None
        self.order: tuple[str, ...] = ()
        self.chosen: str | None = None
        self.answered = False
        self.timer = QElapsedTimer()
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._update_clock)
        self._build()
        self._connect_keys()

    def _build(self) -> None:
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.status = text_label(muted=True)
        self.clock = text_label(muted=True)
        column = QWidget()
        body = QVBoxLayout(column)
        body.setContentsMargins(8, 12, 8, 24)
        body.setSpacing(14)
        self.front = CardFront()
        self.front.sig_option_chosen.connect(self._choose)
        self.tiles = self.front.tiles
        body.addWidget(self.front)
        self.confidence_box = QWidget()
        confidence = QVBoxLayout(self.confidence_box)
        confidence.setContentsMargins(0, 0, 0, 0)
        confidence.addWidget(text_label("How sure are you? (keys 1 to 6)", bold=True))
        row = QHBoxLayout()
        self.confidence_buttons: dict[int, QPushButton] = {}
        for key, level in enumerate(CONFIDENCE_LEVELS, start=1):
            button = QPushButton(f"{level}%\n{key}")
            button.clicked.connect(lambda _=False, v=level: self._confirm(v))
            self.confidence_buttons[level] = button
            row.addWidget(button)
        row.addStretch(1)
        confidence.addLayout(row)
        body.addWidget(self.confidence_box)
        self.explanation = ExplanationPanel(self.library)
        body.addWidget(self.explanation)
        self.next_button = QPushButton("Next item (Enter)")
        self.next_button.clicked.connect(self._advance)
        body.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignLeft)
        body.addStretch(1)
        top = QHBoxLayout()
        top.setContentsMargins(16, 6, 16, 6)
        top.addWidget(self.status, 1)
        top.addWidget(self.clock)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.progress)
        layout.addLayout(top)
        layout.addWidget(centred_scroll(column), 1)

    def _connect_keys(self) -> None:
        connect_card_keys(self, 6, self._on_number, self._on_accept, self._leave)

    def start(self, quiz: QuizSession) -> None:
        """Show the first unanswered item of an attempt (new or resumed)."""
        self.quiz = quiz
        self.ticker.start()
        self._show_current()

    def _show_current(self) -> None:
        assert self.quiz is not None
        current = self.quiz.current()
        done, total = self.quiz.position(), len(self.quiz.items)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        mode = "Practice" if self.quiz.mode == PRACTICE else "Exam"
        if current is None:
            self.ticker.stop()
            self.sig_finished.emit(self.quiz.finish())
            return
        item, card = current
        self.status.setText(f"{mode} · item {done + 1} of {total} · {self.library.taxonomy.topics[card.topic]}")
        self.card, self.order, self.chosen, self.answered = card, item.option_order, None, False
        self.front.show_card(card, self.order)
        self.confidence_box.hide()
        self.explanation.hide()
        self.next_button.hide()
        self.timer.start()
        self._update_clock()
        self.tiles[0].setFocus()

    def _update_clock(self) -> None:
        seconds = self.timer.elapsed() // 1000 if self.timer.isValid() else 0
        self.clock.setText(f"{seconds // 60}:{seconds % 60:02d}")

    def _choose(self, index: int) -> None:
        if self.card is None or self.answered or index >= len(self.order):
            return
        self.chosen = self.order[index]
        for position, tile in enumerate(self.tiles[: len(self.order)]):
            tile.show_result("chosen" if position == index else "")
        self.confidence_box.show()
        self.confidence_buttons[CONFIDENCE_LEVELS[0]].setFocus()

    def _confirm(self, confidence: int) -> None:
        if self.quiz is None or self.card is None or self.chosen is None or self.answered:
            return
        self.quiz.answer(self.chosen, confidence, self.timer.elapsed())  # a failed save raises: the item stays open
        self.answered = True
        if self.quiz.mode != PRACTICE:
            self._show_current()
            return
        self.confidence_box.hide()
        mark_tiles(self.tiles, self.order, self.card, self.chosen)
        self.explanation.show_card(self.card, *verdict_text(self.card, self.chosen, self.library))
        self.next_button.show()
        self.next_button.setFocus()

    def _advance(self) -> None:
        if self.answered:
            self._show_current()

    def _on_number(self, number: int) -> None:
        if self.answered:
            return
        if self.confidence_box.isVisible() and number <= len(CONFIDENCE_LEVELS):
            self._confirm(CONFIDENCE_LEVELS[number - 1])
        elif number <= 4:
            self._choose(number - 1)

    def _on_accept(self) -> None:
        if self.answered:
            self._advance()
            return
        focused = next((i for i, tile in enumerate(self.tiles) if tile.hasFocus()), None)
        if focused is not None:
            self._choose(focused)
            return
        button = next((v for v, b in self.confidence_buttons.items() if b.hasFocus()), None)
        if button is not None:
            self._confirm(button)

    def _leave(self) -> None:
        self.ticker.stop()
        self.sig_left.emit()
