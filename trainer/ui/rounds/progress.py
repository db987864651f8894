"""Progress over negotiation games: value to you and joint value per game, and whether you read their strategy."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trainer.collection import ProgressPoint
from trainer.ui.charts import accent, chart, muted
from trainer.ui.rounds.chart import legend_below
from trainer.ui.theme import status_colours
from trainer.ui.widgets import text_label

COLUMNS = ("Game", "Finished", "Scenario", "Counterpart", "Result", "To you", "Joint", "Strategy guess")
GUESS_WORDS = {True: "✓ right", False: "✗ wrong", None: "not guessed"}


def summary(points: list[ProgressPoint]) -> str:
    """One line over every game."""
    deals = sum(p.deal for p in points)
    guessed = [p for p in points if p.guess_right is not None]
    right = sum(bool(p.guess_right) for p in guessed)
    return (f"{len(points)} game(s): a deal in {deals}; their strategy read right in {right} of {len(guessed)} "
            "guess(es).")  # fmt: skip


class ProgressView(QWidget):
    """A chart and a table of every finished game, oldest first."""

    sig_home_requested = Signal()
    """Emitted by Esc (the menu bar's Home (Esc) goes home by itself)."""

    def __init__(self, points: list[ProgressPoint]):
        super().__init__()
        self.points = points
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.addWidget(text_label("Negotiation progress", bold=True, scale=1.6))
        if not points:
            layout.addWidget(text_label("No finished negotiation yet. Play one to see your progress here.", muted=True))
        else:
            layout.addWidget(text_label(summary(points)))
            layout.addWidget(text_label("The value of each deal to you and to both sides together, against the best "
                                        "joint value possible; ✓ and ✗ mark whether you named their strategy.",
                                        muted=True))  # fmt: skip
            layout.addWidget(self._chart(), 1)
        self.table = QTableWidget(len(points), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for row, point in enumerate(reversed(points)):
            cells = (
                str(point.number), f"{point.finished_at.astimezone():%d %b %Y, %H:%M}", point.scenario_title,
                point.strategy_label, "deal" if point.deal else "no deal", f"{point.learner_value:.0f}",
                f"{point.joint_value:.0f} of {point.best_joint_value:.0f}", GUESS_WORDS[point.guess_right],
            )  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        # (Home (Esc) has one place on every screen: the right of the menu bar.)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Escape"), self, context=context).activated.connect(self.sig_home_requested)

    def _chart(self) -> QWidget:
        canvas, axes = chart(7.0, 3.2)
        colours = status_colours(QApplication.palette())
        numbers = [p.number for p in self.points]
        axes.plot(numbers, [p.learner_value for p in self.points], marker="o", color=accent(), label="value to you")
        axes.plot(numbers, [p.joint_value for p in self.points], marker="s", color=colours.poor, label="joint value")
        # A wide dash marks each game's best, so even a single game (a line of one point) shows it.
        axes.plot(numbers, [p.best_joint_value for p in self.points], linestyle="--", color=muted(), marker="_",
                  markersize=16, markeredgewidth=2, label="best joint value")  # fmt: skip
        for point in self.points:
            if point.guess_right is not None:
                mark, colour = ("✓", colours.good) if point.guess_right else ("✗", colours.bad)
                axes.annotate(mark, (point.number, point.learner_value), textcoords="offset points", xytext=(0, 8),
                              ha="center", color=colour, fontsize="large", fontweight="bold")  # fmt: skip
        top = max([p.best_joint_value for p in self.points] + [100.0])
        axes.set_ylim(0, top * 1.12)
        axes.set_xlim(0.5, len(self.points) + 0.5)
        axes.set_xticks(numbers)
        axes.set_xlabel("game")
        axes.set_ylabel("value (points)")
        legend_below(axes, 3)
        return canvas
