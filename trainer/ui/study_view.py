"""The study screen: a situation, its options or recall back, feedback, and the rating bar."""

from __future__ import annotations

import random
from datetime import datetime

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from trainer.collection import Collection, StoreError, suggested_rating
from trainer.model import Card, CardKind, Rating
from trainer.ui import messages
from trainer.ui.card_front import CardFront
from trainer.ui.contrast import ContrastPanel
from trainer.ui.explanation import ExplanationPanel, mark_tiles, verdict_text
from trainer.ui.save_error import SaveErrorStrip
from trainer.ui.widgets import (
    Chip,
    KeyGuard,
    centred_scroll,
    connect_card_keys,
    set_style_property,
    side_by_side,
    text_label,
)

RECALL_HINT = "Say or write your reply, then press Space to compare it with the recommended one."
WIDE_WINDOW = 1600  # from this width the lesson is laid out beside the options
RATING_NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}


def when_text(moment: datetime | None, now: datetime) -> str:
    """'today at 14:05 (in 3 hours)' style text for a due instant, in local time."""
    if moment is None:
        return "no cards are scheduled yet"
    local = moment.astimezone()
    minutes = max(round((moment - now).total_seconds() / 60), 0)
    if minutes < 60:
        gap = f"in {minutes} minute{'s' if minutes != 1 else ''}"
    elif minutes < 48 * 60:
        gap = f"in {round(minutes / 60)} hours"
    else:
        gap = f"in {round(minutes / 1440)} days"
    return f"{local:%a %d %b, %H:%M} ({gap})"


class StudyView(QWidget):
    """Shows one card at a time from a StudySession; every answer is committed before the next card."""

    sig_home_requested = Signal()
    """Emitted when the learner asks to leave (Esc or the Home button)."""

    sig_quiz_requested = Signal()
    """Emitted by the done panel's Quiz button."""

    sig_statistics_requested = Signal()
    """Emitted by the done panel's Statistics button."""

    def __init__(self, collection: Collection, *, rng: random.Random | None = None):
        super().__init__()
        self.collection = collection
        self.session = collection.study
        self.library = collection.library
        self.rng = rng or random.Random()
        self.card: Card | None = None
        self.order: list[str] = []
        self.chosen: str | None = None
        self.revealed = False
        self.suggested = Rating.GOOD
        self.timer = QElapsedTimer()
        self.guard = KeyGuard()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys reach the view; no option is pre-focused
        self.setAccessibleName("Study")
        self.setAccessibleDescription(
            "1 to 4 choose a response, then rate; Space shows a recall card's answer or accepts the suggested "
            "rating; Ctrl+Z takes a choice back; Esc goes home"
        )
        self._build()
        self._connect_keys()

    # Building -------------------------------------------------------------

    def _build(self) -> None:
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.status = text_label(muted=True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_card_page())
        self.pages.addWidget(self._build_done_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.progress)
        top = QHBoxLayout()
        top.setContentsMargins(16, 6, 16, 6)
        top.addWidget(self.status, 1)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    def _build_card_page(self) -> QWidget:
        column = QWidget()
        body = QVBoxLayout()
        body.setContentsMargins(8, 12, 8, 24)
        body.setSpacing(14)
        chips = QHBoxLayout()
        self.context_chip, self.move_chip, self.topic_chip = Chip(), Chip(), Chip()
        for chip in (self.context_chip, self.move_chip, self.topic_chip):
            chips.addWidget(chip)
        chips.addStretch(1)
        body.addLayout(chips)
        self.front = CardFront()
        self.front.sig_option_chosen.connect(self.choose)
        self.situation, self.tiles = self.front.situation, self.front.tiles
        body.addWidget(self.front)
        self.recall_hint = text_label(RECALL_HINT, muted=True)
        body.addWidget(self.recall_hint)
        self.reveal_button = QPushButton("Show answer (Space)")
        self.reveal_button.clicked.connect(self.reveal)
        self.reveal_button.setAccessibleDescription(RECALL_HINT)
        body.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.back = QFrame()
        self.back.setObjectName("explanation")
        back_layout = QVBoxLayout(self.back)
        back_layout.setContentsMargins(0, 12, 0, 0)
        self.back_title = text_label("Recommended response", bold=True)
        self.answer_text = text_label(scale=1.3)  # the same size as the situation it answers
        back_layout.addWidget(self.back_title)
        back_layout.addWidget(self.answer_text)
        body.addWidget(self.back)
        self.explanation = ExplanationPanel(self.library)
        self.contrast = ContrastPanel(self.library)
        lesson = QWidget()
        lesson_layout = QVBoxLayout(lesson)
        lesson_layout.setContentsMargins(8, 0, 8, 24)
        lesson_layout.setSpacing(14)
        lesson_layout.addWidget(self.explanation)
        lesson_layout.addWidget(self.contrast)
        lesson_layout.addStretch(1)
        # On a wide window (WIDE_WINDOW px or more) the lesson sits beside the options, else below them.
        self.split = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.split.setSpacing(14)
        body.addStretch(1)
        question = QWidget()
        question.setLayout(body)
        self.split.addWidget(question, 1)
        self.split.addWidget(lesson, 1)
        self.card_column = column
        outer = QVBoxLayout(column)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.split)
        outer.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.card_scroll = centred_scroll(column, name="The card")
        layout.addWidget(self.card_scroll, 1)
        self.save_error = SaveErrorStrip("Your answer is still here: rate again (1-4 or Space) to retry.")
        layout.addWidget(self.save_error)
        layout.addWidget(self._build_rating_bar())
        return page

    def _build_rating_bar(self) -> QWidget:
        self.rating_bar = QWidget()
        row = QHBoxLayout(self.rating_bar)
        row.setContentsMargins(16, 10, 16, 14)
        self.rating_hint = text_label("How well did you know it?", muted=True)
        row.addWidget(self.rating_hint, 1)
        self.rating_buttons: dict[Rating, QPushButton] = {}
        for rating in Rating:
            button = QPushButton()
            button.setObjectName("rating")
            button.clicked.connect(lambda _=False, r=rating: self.rate(r))
            self.rating_buttons[rating] = button
            row.addWidget(button)
        row.addStretch(1)
        return self.rating_bar

    def _build_done_page(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(8, 48, 8, 24)
        layout.setSpacing(12)
        layout.addWidget(text_label("Done for today", bold=True, scale=1.6))
        self.done_lines = text_label(scale=1.1)
        layout.addWidget(self.done_lines)
        buttons = QHBoxLayout()
        self.quiz_button = QPushButton("Quiz (Q)")
        self.quiz_button.clicked.connect(self.sig_quiz_requested)
        self.stats_button = QPushButton("Statistics (T)")
        self.stats_button.clicked.connect(self.sig_statistics_requested)
        for button in (self.quiz_button, self.stats_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return centred_scroll(column, name="Done for today")

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_width(event.size().width())
        super().resizeEvent(event)

    def _fit_width(self, width: int) -> None:
        """Lesson beside the options from WIDE_WINDOW px (two readable columns), below them otherwise."""
        side_by_side(self.split, self.card_column, width >= WIDE_WINDOW)

    def _connect_keys(self) -> None:
        connect_card_keys(self, 4, self._on_number, self._on_accept, self.sig_home_requested.emit)

    def start(self) -> None:
        """Show the next due card, or the done panel."""
        self._show(self.session.next_card())

    def _show(self, card: Card | None) -> None:
        self.card = card
        self.chosen = None
        self.revealed = False
        self.save_error.clear()
        self._update_progress()
        if card is None:
            self._show_done()
            return
        self.pages.setCurrentIndex(0)
        topics = self.library.taxonomy
        self.context_chip.setText(topics.contexts[card.context])
        self.move_chip.setText(topics.moves[card.move])
        self.topic_chip.setText(topics.topics[card.topic])
        self.order = [o.id for o in card.options]
        self.rng.shuffle(self.order)
        self.front.show_card(card, self.order)
        self.reveal_button.setVisible(card.kind != CardKind.CHOICE)
        self.recall_hint.setVisible(card.kind != CardKind.CHOICE)
        self.back.hide()
        self.explanation.hide()
        self.contrast.hide()
        self.rating_bar.hide()
        self.timer.start()
        self.guard.changed()
        self.card_scroll.verticalScrollBar().setValue(0)  # every card opens at its top
        self.setFocus()  # no option is focused until the learner tabs to one

    def choose(self, index: int) -> None:
        if (
            self.card is None
            or self.card.kind != CardKind.CHOICE
            or self.chosen is not None
            or index >= len(self.order)
        ):
            return
        self.chosen = self.order[index]
        mark_tiles(self.tiles, self.order, self.card, self.chosen)
        verdict, tone = verdict_text(self.card, self.chosen, self.library)
        self.explanation.show_card(self.card, verdict, tone)
        self._show_contrast(self.card)
        self._show_rating_bar(suggested_rating(self.card, self.chosen))
        self._bring_lesson_into_view()

    def take_back(self) -> bool:
        """Undo the choice just made, before it is rated (nothing was saved yet); True if there was one."""
        if self.card is None or self.chosen is None or not self.rating_bar.isVisible():
            return False
        self._show(self.card)
        return True

    def _bring_lesson_into_view(self) -> None:
        """After a choice the verdict and principle must be on screen, however small the window."""
        self.guard.changed()
        self.setFocus()
        QTimer.singleShot(0, lambda: self.card_scroll.ensureWidgetVisible(self.explanation, 0, 24))

    def _show_contrast(self, card: Card) -> None:
        """The Compare link of a paired card; both cards side by side once its partner has been answered."""
        answered_partner = bool(card.contrast) and self.collection.has_answered(card.contrast)
        self.contrast.show_pair(card, side_by_side=answered_partner)

    def reveal(self) -> None:
        if self.card is None or self.card.kind == CardKind.CHOICE or self.revealed:
            return
        self.revealed = True
        self.reveal_button.hide()
        self.recall_hint.hide()
        self.answer_text.setText(self.card.answer)
        self.back.show()
        self.explanation.show_card(self.card, "Compare with your own answer, then rate yourself.", "")
        self._show_contrast(self.card)
        self._show_rating_bar(Rating.GOOD)
        self._bring_lesson_into_view()

    def _show_rating_bar(self, suggested: Rating) -> None:
        card = self.card
        assert card is not None
        self.suggested = suggested
        intervals = self.session.intervals(card)
        for number, (rating, button) in enumerate(self.rating_buttons.items(), start=1):
            button.setText(f"{intervals[rating]}\n{RATING_NAMES[rating]}\n{number}")
            button.setAccessibleName(f"{RATING_NAMES[rating]}: back in {intervals[rating]} (key {number})")
            button.setAccessibleDescription(
                "The suggested rating: Space accepts it" if rating == suggested else "Rate the card and go on"
            )
            set_style_property(button, "suggested", rating == suggested)
        self.rating_hint.setText("How well did you know it? Space accepts the highlighted rating.")
        self.rating_bar.show()

    def rate(self, rating: Rating) -> None:
        if self.card is None or not self.rating_bar.isVisible():
            return
        try:
            self.session.answer(self.card, rating, option_id=self.chosen, duration_ms=self.timer.elapsed())
        except StoreError as error:
            self.save_error.show_error(str(error))  # the card and its rating bar stay, to retry
            return
        self.save_error.clear()
        self.start()

    def undo(self) -> None:
        """Undo the last answer; its card comes back as a fresh question."""
        try:
            card = self.session.undo()
        except StoreError as error:
            messages.warn(self, "The answer was not undone", str(error))
            return
        if card is not None:
            self._show(card)

    def _on_number(self, number: int) -> None:
        if self.card is None or not self.guard.ready():
            return
        if self.rating_bar.isVisible():
            self.rate(Rating(number))
        else:
            self.choose(number - 1)

    def _on_accept(self) -> None:
        if not self.guard.ready():
            return
        if self.card is None:
            self.sig_home_requested.emit()
        elif self.rating_bar.isVisible():
            self.rate(self.suggested)
        elif self.card.kind != CardKind.CHOICE:
            self.reveal()
        else:
            focused = next((i for i, tile in enumerate(self.tiles) if tile.hasFocus()), None)
            if focused is not None:  # only after the learner tabbed to it: nothing is focused by default
                self.choose(focused)
            else:
                self.status.setText(f"Choose a response with 1–{len(self.order)}, or Tab to one and press Space.")

    def _update_progress(self) -> None:
        counts = self.session.counts()
        done, total = self.session.answered, self.session.answered + counts.total
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        parts = [f"{counts.total} left", f"{counts.new} new", f"{self.session.answered_today()} done today"]
        from_quizzes = self.session.from_quizzes()
        if from_quizzes:
            parts.append(f"{from_quizzes} due from your quizzes")
        if self.card is not None:
            parts.append(f"topic: {self.library.taxonomy.topics[self.card.topic]}")
        self.status.setText(" · ".join(parts))

    def _show_done(self) -> None:
        summary = self.session.done_summary()
        now = self.session.clock()
        lines = [
            f"You answered {summary.answered_today} card{'s' if summary.answered_today != 1 else ''} today.",
            f"Next card due: {when_text(summary.next_due, now)}.",
            f"Tomorrow brings up to {summary.new_tomorrow} new card{'s' if summary.new_tomorrow != 1 else ''}.",
        ]
        self.done_lines.setText("\n".join(lines))
        self.pages.setCurrentIndex(1)
        self.setFocus()  # Space, Enter or Esc go home; Q and T start the quiz or the statistics
