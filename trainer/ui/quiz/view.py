"""The quiz screen: one item at a time (the best option, then in best-and-worst the worst), then how sure you
are; feedback now (practice) or in the report (exam)."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from trainer.collection import CONFIDENCE_STEPS, QuizSession, confidence_levels
from trainer.model import Card, ItemSource, Library, QuizMode
from trainer.ui.card_front import CardFront
from trainer.ui.explanation import ExplanationPanel, mark_tiles, verdict_text
from trainer.ui.widgets import KeyGuard, centred_scroll, connect_card_keys, text_label


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
        self.worst: str | None = None
        self.levels: tuple[int, ...] = confidence_levels(4)
        self.answered = False
        self.timer = QElapsedTimer()
        self.guard = KeyGuard()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys reach the view; no option is pre-focused
        self.setAccessibleName("Quiz item")
        self.setAccessibleDescription(
            "1 to 4 choose a response, then 1 to 6 say how sure you are; Enter goes on; Esc keeps the quiz for later"
        )
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
        self.note = text_label(muted=True)
        self.note.hide()
        column = QWidget()
        body = QVBoxLayout(column)
        body.setContentsMargins(8, 12, 8, 24)
        body.setSpacing(14)
        self.front = CardFront()
        self.front.sig_option_chosen.connect(self._choose)
        self.tiles = self.front.tiles
        body.addWidget(self.front)
        self.worst_hint = text_label(
            "Now the worst option: which response would do the most harm? (keys 1 to 4)", bold=True
        )
        body.addWidget(self.worst_hint)
        self.confidence_box = QWidget()
        confidence = QVBoxLayout(self.confidence_box)
        confidence.setContentsMargins(0, 0, 0, 0)
        self.confidence_title = text_label(bold=True)
        confidence.addWidget(self.confidence_title)
        row = QHBoxLayout()
        self.confidence_buttons: list[QPushButton] = []
        for index in range(CONFIDENCE_STEPS):
            button = QPushButton()
            button.clicked.connect(lambda _=False, i=index: self._confirm(self.levels[i]))
            self.confidence_buttons.append(button)
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
        note_row = QHBoxLayout()
        note_row.setContentsMargins(16, 0, 16, 6)
        note_row.addWidget(self.note)
        layout.addLayout(note_row)
        layout.addWidget(centred_scroll(column, name="The quiz item"), 1)

    def _connect_keys(self) -> None:
        connect_card_keys(self, 6, self._on_number, self._on_accept, self._leave)

    def start(self, quiz: QuizSession) -> None:
        """Show the first unanswered item of an attempt (new or resumed)."""
        self.quiz = quiz
        self.note.hide()
        self.ticker.start()
        self._show_current()

    def _show_current(self) -> None:
        assert self.quiz is not None
        current = self.quiz.current()
        done, total = self.quiz.position(), len(self.quiz.items)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        mode = "Practice" if self.quiz.mode == QuizMode.PRACTICE else "Exam"
        if current is None:
            self.ticker.stop()
            self.sig_finished.emit(self.quiz.finish())
            return
        item, card = current
        kind = "held-out item" if item.source == ItemSource.BANK else "studied card"
        self.status.setText(
            f"{mode} · item {done + 1} of {total} · {self.library.taxonomy.topics[card.topic]} · {kind}"
        )
        self.card, self.order, self.chosen, self.worst, self.answered = card, item.option_order, None, None, False
        self.front.show_card(card, self.order)
        self._set_levels(confidence_levels(len(self.order)))
        self.worst_hint.hide()
        self.confidence_box.hide()
        self.explanation.hide()
        self.next_button.hide()
        self.timer.start()
        self._update_clock()
        self.guard.changed()
        self.setFocus()  # no option is focused until the learner tabs to one

    def _update_clock(self) -> None:
        seconds = self.timer.elapsed() // 1000 if self.timer.isValid() else 0
        self.clock.setText(f"{seconds // 60}:{seconds % 60:02d}")

    def _set_levels(self, levels: tuple[int, ...]) -> None:
        """Confidence from chance (1 / options) to 100%, keys 1 to 6."""
        self.levels = levels
        self.confidence_title.setText(
            f"How sure are you that your best pick is right? (keys 1 to 6; {levels[0]}% is a guess among "
            f"{len(self.order)})"
        )
        for key, (button, level) in enumerate(zip(self.confidence_buttons, levels, strict=True), start=1):
            button.setText(f"{level}%\n{key}")
            button.setAccessibleName(f"{level}% sure (key {key})")
            button.setAccessibleDescription("How sure you are that your best pick is right")

    @property
    def picking_worst(self) -> bool:
        return self.quiz is not None and self.quiz.best_and_worst and self.chosen is not None and self.worst is None

    def _choose(self, index: int) -> None:
        if self.quiz is None or self.card is None or self.answered or index >= len(self.order):
            return
        option_id = self.order[index]
        if self.quiz.best_and_worst and self.confidence_box.isVisible():
            return  # both picks made; in the single-best format a click still changes the pick
        if self.picking_worst:
            if option_id == self.chosen:
                return
            self.worst = option_id
            self.tiles[index].show_result("chosen", "Your worst pick")
        else:
            self.chosen = option_id
            for position, tile in enumerate(self.tiles[: len(self.order)]):
                tile.show_result("chosen" if position == index else "")
            if self.picking_worst:
                self.tiles[index].show_result("chosen", "Your best pick")
                self.tiles[index].setEnabled(False)
                self.worst_hint.show()
                self.guard.changed()
                self.setFocus()
                return
        self.worst_hint.hide()
        for tile in self.tiles:
            tile.setEnabled(True)  # picks are made: the best pick reads normally again
        self.confidence_box.show()
        self.guard.changed()
        self.setFocus()  # confidence is a key press (1-6) or a click, never a stray Enter

    def _confirm(self, confidence: int) -> None:
        if self.quiz is None or self.card is None or self.chosen is None or self.answered or self.picking_worst:
            return
        # a failed save raises: the item stays open
        self.quiz.answer(self.chosen, confidence, self.timer.elapsed(), self.worst)
        self.answered = True
        if self.quiz.mode != QuizMode.PRACTICE:
            self._show_current()
            return
        self.confidence_box.hide()
        for tile in self.tiles:
            tile.setEnabled(True)
        mark_tiles(self.tiles, self.order, self.card, self.chosen, self.worst)
        self.explanation.show_card(self.card, *verdict_text(self.card, self.chosen, self.library, self.worst))
        self.next_button.show()
        self.guard.changed()
        self.setFocus()

    def _advance(self) -> None:
        if self.answered:
            self._show_current()

    def take_back(self) -> bool:
        """Undo the picks of the current item before its confidence is given; True if there were any."""
        if self.quiz is None or self.card is None or self.answered or self.chosen is None:
            return False
        self._show_current()
        return True

    def _on_number(self, number: int) -> None:
        if self.answered or not self.guard.ready():
            return
        if self.confidence_box.isVisible() and number <= len(self.levels):
            self._confirm(self.levels[number - 1])
        elif number <= 4:
            self._choose(number - 1)

    def _on_accept(self) -> None:
        if not self.guard.ready():
            return
        if self.answered:
            self._advance()
            return
        focused = next((i for i, tile in enumerate(self.tiles) if tile.hasFocus()), None)
        if focused is not None:  # only after the learner tabbed to it: nothing is focused by default
            self._choose(focused)
            return
        button = next((i for i, b in enumerate(self.confidence_buttons) if b.hasFocus()), None)
        if button is not None:
            self._confirm(self.levels[button])
            return
        keys = "1–6 for how sure you are" if self.confidence_box.isVisible() else f"1–{len(self.order)}"
        self.note.setText(f"Choose with {keys} (or Tab to a choice and press Space).")
        self.note.show()

    def _leave(self) -> None:
        self.ticker.stop()
        self.sig_left.emit()
