"""The round screen: the situation, their message, the offers on each issue, the moves (keys 1–8, tone W/F),
the step-by-step composer of a move, and the running concession chart."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
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

from trainer.collection import GameSession, IllegalMoveError, Move, MoveKind, StoreError, Tone
from trainer.ui import messages
from trainer.ui.rounds import chart
from trainer.ui.rounds.composer import KIND_LABELS, KINDS, SIMPLE, Composer, describe_move
from trainer.ui.widgets import WrappingPanel, centred_scroll, connect_card_keys, text_label

GUARD_MS = 300
"""Keys and clicks arriving this soon after the screen changed are ignored (no move the learner did not see)."""
WIDE = 1280
"""From this width the chart and the log sit beside the round instead of below it."""
MAX_CHOICES = 9


class RoundView(QWidget):
    """Plays a GameSession round by round; every move is stored before the reply shows."""

    sig_finished = Signal(object)
    """Emitted with the GameSession when the game has ended."""

    sig_left = Signal()
    """Emitted when the learner leaves mid-way (Esc); the game stays open for later."""

    guard_ms = GUARD_MS

    def __init__(self) -> None:
        super().__init__()
        self.session: GameSession | None = None
        self.composer: Composer | None = None
        self.tone = Tone.NEUTRAL
        self.changed = QElapsedTimer()
        self._build()
        connect_card_keys(self, MAX_CHOICES, self._on_number, self._on_accept, self._on_escape)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, tone in (("W", Tone.WARM), ("F", Tone.FIRM)):
            QShortcut(QKeySequence(key), self, context=context).activated.connect(lambda t=tone: self._toggle_tone(t))

    # Building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.status = text_label(muted=True)
        top = QHBoxLayout()
        top.setContentsMargins(16, 6, 16, 6)
        top.addWidget(self.status, 1)
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.columns.setSpacing(20)
        self.columns.addWidget(self._round_column(), 3)
        self.columns.addWidget(self._side_column(), 2)
        self.body = body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(8, 12, 8, 24)
        body_layout.addLayout(self.columns)
        body_layout.addStretch(1)
        self.scroller = centred_scroll(body, width=1240, holder=WrappingPanel())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.progress)
        layout.addLayout(top)
        layout.addWidget(self.scroller, 1)

    def _round_column(self) -> QWidget:
        column = QWidget()
        column.setMaximumWidth(760)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.title = text_label(bold=True, scale=1.3)
        self.situation = text_label(muted=True)
        self.message_frame = QFrame()
        self.message_frame.setObjectName("tile")
        self.message_frame.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the round itself: Space/Enter do nothing here
        frame = QVBoxLayout(self.message_frame)
        frame.setContentsMargins(14, 10, 14, 12)
        self.speaker = text_label(bold=True)
        self.message = text_label(scale=1.3)
        frame.addWidget(self.speaker)
        frame.addWidget(self.message)
        self.offers = QGridLayout()
        self.offers.setHorizontalSpacing(18)
        self.offers.setVerticalSpacing(4)
        self.worth = text_label()
        for widget in (self.title, self.situation, self.message_frame):
            layout.addWidget(widget)
        layout.addLayout(self.offers)
        layout.addWidget(self.worth)
        layout.addWidget(text_label("Your move (keys 1 to 8; tone W warm, F firm)", bold=True))
        layout.addLayout(self._move_buttons())
        layout.addLayout(self._tone_row())
        layout.addWidget(self._composer_box())
        self.note = text_label()
        self.note.setProperty("tone", "bad")
        self.note.hide()
        layout.addWidget(self.note)
        layout.addStretch(1)
        return column

    def _move_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(6)
        self.move_buttons: list[QPushButton] = []
        for index, kind in enumerate(KINDS):
            button = QPushButton(f"{index + 1}.  {KIND_LABELS[kind]}")
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _=False, k=kind: self._guarded(lambda: self._pick_kind(k)))
            self.move_buttons.append(button)
            grid.addWidget(button, index // 2, index % 2)
        return grid

    def _tone_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(text_label("Tone:", muted=True))
        self.tone_buttons: dict[Tone, QPushButton] = {}
        for tone, label in ((Tone.WARM, "Warm (W)"), (Tone.FIRM, "Firm (F)")):
            button = QPushButton(label)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, t=tone: self._toggle_tone(t))
            self.tone_buttons[tone] = button
            row.addWidget(button)
        self.tone_label = text_label("neutral", muted=True)
        row.addWidget(self.tone_label)
        row.addStretch(1)
        return row

    def _composer_box(self) -> QWidget:
        self.composer_box = QFrame()
        self.composer_box.setObjectName("chartCard")
        self.composer_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self.composer_box)
        layout.setContentsMargins(12, 10, 12, 10)
        self.step_prompt = text_label(bold=True)
        layout.addWidget(self.step_prompt)
        self.choice_buttons: list[QPushButton] = []
        for index in range(MAX_CHOICES):
            button = QPushButton()
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _=False, i=index: self._guarded(lambda: self._choose(i)))
            self.choice_buttons.append(button)
            layout.addWidget(button)
        back = QPushButton("Back (Esc)")
        back.clicked.connect(self._back)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        self.composer_box.hide()
        return self.composer_box

    def _side_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(text_label("Concession chart", bold=True))
        layout.addWidget(text_label("What your ask and their offer are worth to you, round by round.", muted=True))
        self.canvas, self.axes = chart.concession_chart()
        layout.addWidget(self.canvas)
        layout.addWidget(text_label("Rounds so far", bold=True))
        self.log = text_label()
        layout.addWidget(self.log)
        layout.addStretch(1)
        return column

    @override
    def resizeEvent(self, event) -> None:
        wide = event.size().width() >= WIDE
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        self.body.setMaximumWidth(1240 if wide else 760)
        super().resizeEvent(event)

    # Showing a round ------------------------------------------------------------------------

    def start(self, session: GameSession) -> None:
        """Show the round to play now of a game (new or resumed)."""
        self.session = session
        self.tone = Tone.NEUTRAL
        self._show_round()

    def _show_round(self) -> None:
        session = self.session
        assert session is not None
        game, scenario = session.game, session.scenario
        self.composer = None
        self.composer_box.hide()
        self.note.hide()
        self.progress.setMaximum(scenario.round_limit)
        self.progress.setValue(game.round)
        self.status.setText(
            f"Round {game.round + 1} of {scenario.round_limit}  ·  you: {scenario.learner_role}  ·  "
            f"target {scenario.target:.0f}, walk-away {scenario.walk_away:.0f}"
        )
        self.title.setText(scenario.title)
        self.situation.setText(scenario.situation)
        self.speaker.setText(f"{scenario.counterpart_role}:")
        self.message.setText(game.turns[-1].message if game.turns else game.opening_message)
        self._fill_offers()
        legal = set(session.legal_moves())
        for button, kind in zip(self.move_buttons, KINDS, strict=True):
            button.setEnabled(kind in legal)
        self._show_tone()
        self.log.setText("\n".join(f"Round {t.round}: {describe_move(scenario, t.move)}. They: {t.message}"
                                   for t in game.turns) or "None yet: they have made their opening offer.")  # fmt: skip
        chart.draw(self.axes, scenario, session.series())
        self._changed()
        self.scroller.verticalScrollBar().setValue(0)
        self.message_frame.setFocus()

    def _fill_offers(self) -> None:
        assert self.session is not None
        game, scenario = self.session.game, self.session.scenario
        while self.offers.count():
            item = self.offers.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for column, heading in enumerate(("Issue", "You ask", "They offer", "Weight to you")):
            self.offers.addWidget(text_label(heading, bold=True), 0, column)
        for row, issue in enumerate(scenario.issues, start=1):
            ask, offer = issue.levels[game.ask[row - 1]], issue.levels[game.offer[row - 1]]
            agreed = "  = agreed" if ask == offer else ""
            cells = (issue.name, ask.label + agreed, offer.label, f"{issue.learner_weight():.4g} points")
            for column, text in enumerate(cells):
                self.offers.addWidget(text_label(text, muted=column == 3), row, column)
        self.worth.setText(
            f"Worth to you: your ask {scenario.learner_value(game.ask):.4g}, their offer "
            f"{scenario.learner_value(game.offer):.4g}  ·  {game.rounds_left} round(s) left"
        )

    # Keys and actions ---------------------------------------------------------------------

    def _changed(self) -> None:
        self.changed.start()

    def _settled(self) -> bool:
        return not self.changed.isValid() or self.changed.elapsed() >= self.guard_ms

    def _guarded(self, action) -> None:
        if self.session is not None and not self.session.finished and self._settled():
            action()

    def _on_number(self, number: int) -> None:
        if self.composer is not None:
            self._guarded(lambda: self._choose(number - 1))
        elif number <= len(KINDS) and self.move_buttons[number - 1].isEnabled():
            self._guarded(lambda: self._pick_kind(KINDS[number - 1]))

    def _on_accept(self) -> None:
        """Space/Enter press the focused move or choice button; with anything else focused they do nothing."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QPushButton) and focused.isEnabled() and self.isAncestorOf(focused):
            focused.click()

    def _on_escape(self) -> None:
        if self.composer is not None:
            self._back()
        else:
            self.sig_left.emit()

    def _toggle_tone(self, tone: Tone) -> None:
        self.tone = Tone.NEUTRAL if self.tone is tone else tone
        self._show_tone()

    def _show_tone(self) -> None:
        for tone, button in self.tone_buttons.items():
            button.setChecked(tone is self.tone)
        self.tone_label.setText(f"{self.tone.value}")

    def _pick_kind(self, kind: MoveKind) -> None:
        assert self.session is not None
        if kind not in self.session.legal_moves():
            return
        if kind in SIMPLE:
            self._play(Move.simple(kind))
            return
        self.composer = Composer(self.session.game, kind)
        self._show_step()

    def _show_step(self) -> None:
        assert self.composer is not None
        step = self.composer.step()
        self.step_prompt.setText(step.prompt)
        for index, button in enumerate(self.choice_buttons):
            visible = index < len(step.choices)
            button.setVisible(visible)
            if visible:
                button.setText(f"{index + 1}.  {step.choices[index]}")
        for button in self.move_buttons:
            button.setEnabled(False)
        self.composer_box.show()
        self.composer_box.setFocus()  # numbers choose; Space/Enter press only a button the learner tabbed to
        self.scroller.ensureWidgetVisible(self.composer_box, 0, 0)
        self._changed()

    def _choose(self, index: int) -> None:
        if self.composer is None or not self.choice_buttons[index].isVisible():
            return
        move = self.composer.choose(index)
        if move is None:
            self._show_step()
        else:
            self._play(move)

    def _back(self) -> None:
        if self.composer is not None and self.composer.back():
            self._show_step()
        elif self.session is not None:
            self._show_round()

    def _play(self, move: Move) -> None:
        assert self.session is not None
        try:
            self.session.play(replace(move, tone=self.tone))
        except IllegalMoveError as error:
            self._show_round()
            self.note.setText(f"That move is not possible now: {error}.")
            self.note.show()
            return
        except StoreError as error:
            messages.warn(self.window(), "The move was not saved", str(error))
            self._show_round()
            return
        self.tone = Tone.NEUTRAL
        if self.session.finished:
            self._changed()
            self.sig_finished.emit(self.session)
        else:
            self._show_round()

    def keys_text(self) -> str:
        """Everything the round shows in words (for tests and the screen reader check)."""
        labels = [w.text() for w in self.findChildren(QLabel) if w.isVisibleTo(self)]
        return "\n".join(labels)
