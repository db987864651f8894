"""The debrief: first guess the counterpart's strategy (keys 1–7), then the reveal: the concession chart, the
value left on the table, your pattern in mistake codes, their strategy and when it showed, and what to study."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trainer.collection import (
    Debrief,
    Games,
    GameSession,
    StoreError,
    StrategyName,
    strategy_guide,
    strategy_label,
)
from trainer.ui import messages
from trainer.ui.rounds import chart
from trainer.ui.widgets import (
    OptionTile,
    WrappingPanel,
    centred_scroll,
    connect_card_keys,
    set_style_property,
    text_label,
)

GUARD_MS = 300


def finding_lines(games: Games, report: Debrief) -> list[tuple[str, str]]:
    """Each mistake as a heading (code, taxonomy name, rounds) and a body (what happened, the remedy)."""
    lines = []
    for finding in report.findings:
        mistake = games.mistake(finding.code)
        name = mistake.name if mistake else finding.code
        rounds = ", ".join(str(r) for r in finding.rounds)
        heading = f"{finding.code} · {name} ({'round' if len(finding.rounds) == 1 else 'rounds'} {rounds})"
        body = finding.message
        if mistake is not None and mistake.remedy not in body:
            body += f"\nRemedy: {mistake.remedy}"
        lines.append((heading, body))
    return lines or [("No mistake pattern found", "You moved in proportion and asked for something back.")]


def study_line(games: Games, cards: dict[str, str]) -> str:
    """What the game brought forward for study."""
    if not cards:
        return "Nothing to bring forward for study."
    topics = Counter(games.topic_of(card) for card in cards)
    names = ", ".join(f"{topic} ({count})" for topic, count in topics.most_common() if topic)
    return (f"{len(cards)} study card(s) on these patterns now come first in your next study session: "
            f"{names}.")  # fmt: skip


class DebriefView(QWidget):
    """One finished game's debrief. Built fresh for each game."""

    sig_again_same = Signal(object)
    """Emitted with the GameSession: play the same scenario against the same counterpart (P)."""

    sig_again_other = Signal(object)
    """Emitted with the GameSession: the same scenario against another, hidden counterpart (N)."""

    sig_progress_requested = Signal()
    """Emitted by Progress (G)."""

    sig_home_requested = Signal()
    """Emitted by Esc (the menu bar's Home (Esc) goes home by itself)."""

    guard_ms = GUARD_MS

    def __init__(self, session: GameSession, games: Games):
        super().__init__()
        self.session = session
        self.games = games
        self.report = session.debrief()
        self.guide = strategy_guide()
        self.choices: list[tuple[StrategyName, str]] = [(name, label) for name, label, _ in self.guide]
        self.changed = QElapsedTimer()
        self.changed.start()
        self.content = QWidget()
        body = QVBoxLayout(self.content)
        body.setContentsMargins(16, 16, 16, 24)
        body.setSpacing(10)
        scenario = session.scenario
        body.addWidget(text_label(f"Debrief: {scenario.title}", bold=True, scale=1.6))
        last = session.game.turns[-1] if session.game.turns else None
        if last is not None:
            body.addWidget(text_label(f"{scenario.counterpart_role}: {last.message}", muted=True))
        self.result = text_label(self.report.lines[0], scale=1.2)
        body.addWidget(self.result)
        body.addWidget(self._guess_box())
        body.addWidget(self._reveal_box())
        body.addLayout(self._actions())
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroller = centred_scroll(self.content, holder=WrappingPanel())
        layout.addWidget(self.scroller)
        connect_card_keys(self, len(self.choices), self._on_number, self._on_accept, self.sig_home_requested.emit)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in (("P", self._again_same), ("N", self._again_other), ("G", self._progress)):
            QShortcut(QKeySequence(key), self, context=context).activated.connect(slot)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the page itself: Space/Enter choose nothing here
        if session.guessed is not None:
            self._reveal()

    def _guess_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 6)
        self.guess_prompt = text_label("Before the reveal: which strategy was your counterpart playing? (keys 1 to "
                                       f"{len(self.choices)})", bold=True)  # fmt: skip
        layout.addWidget(self.guess_prompt)
        self.tiles: list[OptionTile] = []
        for index, (_, label, summary) in enumerate(self.guide):
            tile = OptionTile(index + 1)
            tile.show_option(f"{label}: {summary}")
            tile.sig_chosen.connect(lambda i=index: self._guess(i))
            self.tiles.append(tile)
            layout.addWidget(tile)
        self.verdict = text_label(bold=True)
        self.verdict.hide()
        layout.addWidget(self.verdict)
        return box

    def _reveal_box(self) -> QWidget:
        """An empty box, filled at the reveal (labels made at their final width wrap to the right height)."""
        self.reveal_box = QWidget()
        layout = QVBoxLayout(self.reveal_box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.reveal_box.hide()
        return self.reveal_box

    def _fill_reveal(self) -> None:
        layout = self.reveal_box.layout()
        assert isinstance(layout, QVBoxLayout)
        report, scenario = self.report, self.session.scenario
        layout.addWidget(text_label("The concession chart", bold=True, scale=1.15))
        layout.addWidget(text_label("Solid: worth to you; dashed: worth to them (hidden during the game).", muted=True))
        canvas, axes = chart.concession_chart()
        chart.draw(axes, scenario, report.series, reveal=True)
        layout.addWidget(canvas)
        layout.addWidget(text_label("Value left on the table", bold=True, scale=1.15))
        layout.addWidget(text_label(report.lines[1]))
        layout.addWidget(text_label(report.lines[2], muted=True))
        layout.addWidget(text_label("Your pattern", bold=True, scale=1.15))
        for heading, text in finding_lines(self.games, report):
            layout.addWidget(text_label(heading, bold=True))
            layout.addWidget(text_label(text))
        layout.addWidget(text_label("Their strategy", bold=True, scale=1.15))
        strategy = f"They were playing {report.strategy_label.lower()}: {report.strategy_summary}"
        if report.shown_round is not None:
            strategy += f" It showed in round {report.shown_round}: they {report.shown_how}."
        else:
            strategy += " It never showed clearly in this game."
        layout.addWidget(text_label(strategy))
        layout.addWidget(text_label("Study", bold=True, scale=1.15))
        layout.addWidget(text_label(study_line(self.games, self.session.brought_forward())))

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.same_button = QPushButton("Play again, same counterpart (P)")
        self.same_button.setObjectName("primary")
        self.other_button = QPushButton("Another counterpart (N)")
        self.progress_button = QPushButton("Progress (G)")
        # (Home (Esc) has one place on every screen: the right of the menu bar.)
        for button, slot in ((self.same_button, self._again_same), (self.other_button, self._again_other),
                             (self.progress_button, self._progress)):  # fmt: skip
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        self.action_buttons = (self.same_button, self.other_button, self.progress_button)
        for button in self.action_buttons:
            button.hide()
        return row

    # Actions ------------------------------------------------------------------------------------

    def _settled(self) -> bool:
        return self.changed.elapsed() >= self.guard_ms

    def _on_number(self, number: int) -> None:
        if self.session.guessed is None and self._settled():
            self._guess(number - 1)

    def _on_accept(self) -> None:
        """Space/Enter choose the focused tile or press the focused button; nothing else."""
        focused = QApplication.focusWidget()
        if focused in self.tiles and self.session.guessed is None and self._settled():
            self._guess(self.tiles.index(focused))
        elif isinstance(focused, QPushButton) and focused.isVisible() and self._settled():
            focused.click()

    def _guess(self, index: int) -> None:
        if self.session.guessed is not None or not 0 <= index < len(self.choices):
            return
        try:
            self.session.guess(self.choices[index][0])
        except StoreError as error:
            messages.warn(self.window(), "The guess was not saved", str(error))
            return
        self.tiles[index].show_result("chosen", "Your guess", mine=True)
        self._reveal()

    def _reveal(self) -> None:
        guess = self.session.guessed
        assert guess is not None
        actual = self.session.game.strategy
        for tile, (name, _) in zip(self.tiles, self.choices, strict=True):
            if name is actual:
                tile.show_result("best", "✓ Their strategy", mine=tile.property("mine") is True)
            elif tile.property("mine") is True:
                tile.show_result("wrong", "✗ Your guess", mine=True)
            else:
                tile.hide()  # only their strategy and your guess stay, so the reveal starts near the top
        self.verdict.setText(("✓ " if guess.correct else "✗ ") + guess.explanation)
        set_style_property(self.verdict, "tone", "good" if guess.correct else "bad")
        self.verdict.show()
        self.guess_prompt.setText(f"Your guess of their strategy (it was {strategy_label(actual.value).lower()}):")
        self._fill_reveal()
        self.reveal_box.show()
        for button in self.action_buttons:
            button.show()
        self.changed.start()
        self.setFocus()

    def _again_same(self) -> None:
        if self.session.guessed is not None and self._settled():
            self.sig_again_same.emit(self.session)

    def _again_other(self) -> None:
        if self.session.guessed is not None and self._settled():
            self.sig_again_other.emit(self.session)

    def _progress(self) -> None:
        if self._settled():
            self.sig_progress_requested.emit()

    def text(self) -> str:
        """Everything the debrief shows in words (tests read it)."""
        return "\n".join(w.text() for w in self.content.findChildren(QLabel) if w.isVisibleTo(self.content))
