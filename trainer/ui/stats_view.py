"""The statistics screen: reviews per day, the due forecast, true retention, mastery, answer time, quiz scores.

Charts are matplotlib figures (through trainer.ui.charts, which loads matplotlib only when the first chart
is drawn), coloured from the app palette and redrawn on every `refresh()`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from trainer.collection import MATURE_DAYS, Collection, Retention, Statistics
from trainer.ui.charts import accent, chart, muted
from trainer.ui.widgets import WrappingPanel, centred_scroll, text_label

NO_REVIEWS = "No reviews yet. Study a few cards and come back."
PAGE_WIDTH = 1400
CHART_HEIGHT = 2.6
MIN_CHART_WIDTH = 380


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def retention_line(recent: Retention, desired: float) -> str:
    """'True retention, last 30 days: 88% of 52 reviews of mature cards (desired: 90%).'"""
    if recent.total == 0:
        return f"True retention, last 30 days: no reviews of mature cards yet (desired: {percent(desired)})."
    return (
        f"True retention, last 30 days: {percent(recent.share)} of {recent.total} reviews of mature cards "
        f"(desired: {percent(desired)})."
    )


class ChartCard(QFrame):
    """A titled panel with a one-line explanation and either a chart or an empty-state line."""

    def __init__(self, title: str, note: str):
        super().__init__()
        self.setObjectName("chartCard")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 14, 10)
        self.body.setSpacing(4)
        self.body.addWidget(text_label(title, bold=True, scale=1.1))
        self.note = text_label(note, muted=True)
        self.body.addWidget(self.note)
        self.empty = text_label(muted=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMinimumHeight(120)
        self.body.addWidget(self.empty, 1)
        self.canvas: QWidget | None = None
        self.axes: Any = None

    def show_empty(self, text: str) -> None:
        self._drop_canvas()
        self.empty.setText(text)
        self.empty.show()

    def draw(self, plot: Callable[[Any], None], height: float = CHART_HEIGHT) -> None:
        """Replace the chart with a new one drawn by `plot(axes)`."""
        self._drop_canvas()
        self.empty.hide()
        self.canvas, self.axes = chart(6.0, height)
        self.axes.figure.set_facecolor(self.palette().color(QPalette.ColorRole.Base).name())  # the card's colour
        self.canvas.setMinimumWidth(MIN_CHART_WIDTH)  # narrower, matplotlib's layout collapses
        font = self.font().pointSizeF() * 0.9
        self.axes.tick_params(labelsize=font)
        self.axes.xaxis.label.set_fontsize(font)
        self.axes.yaxis.label.set_fontsize(font)
        self.axes.grid(axis="y", color=muted(), alpha=0.25, linewidth=0.8)
        self.axes.set_axisbelow(True)
        plot(self.axes)
        self.body.addWidget(self.canvas, 1)

    def _drop_canvas(self) -> None:
        if self.canvas is not None:
            self.body.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas, self.axes = None, None


class StatsView(QWidget):
    """Every chart on one scrollable page; `refresh()` recomputes the figures and redraws."""

    sig_home_requested = Signal()
    """Emitted when the learner asks to leave (Esc or the Home button)."""

    def __init__(self, collection: Collection):
        super().__init__()
        self.collection = collection
        self.library = collection.library
        self.figures: Statistics | None = None
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 20, 24, 24)
        column.setSpacing(12)
        header = QHBoxLayout()
        header.addWidget(text_label("Statistics", bold=True, scale=1.6), 1)
        self.home_button = QPushButton("Home (Esc)")
        self.home_button.clicked.connect(self.sig_home_requested)
        header.addWidget(self.home_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(header)
        self.summary = text_label()
        self.retention = text_label()
        column.addWidget(self.summary)
        column.addWidget(self.retention)
        self.activity = ChartCard("Reviews per day", "How many answers you gave on each of the last 90 days.")
        self.forecast = ChartCard(
            "Due in the next 30 days", "Cards falling due on each coming day; today's bar includes overdue cards."
        )
        self.retention_chart = ChartCard(
            "True retention by month",
            f"Share of reviews of cards with an interval of {MATURE_DAYS}+ days not answered Again "
            "(in each bar: how many); the dashed line is your desired retention.",
        )
        self.answer_time = ChartCard(
            "Time per answer", "Median seconds you took per answer in each of the last 12 weeks."
        )
        self.mastery = ChartCard(
            "Mastery by topic", "Share of each topic's cards you would recall now with a predicted chance of 90%+."
        )
        self.quiz = ChartCard("Quiz scores", "Your score in each finished quiz, oldest to newest.")
        grid = QGridLayout()
        grid.setSpacing(14)
        cards = (self.activity, self.forecast, self.retention_chart, self.answer_time, self.mastery, self.quiz)
        for index, card in enumerate(cards):
            grid.addWidget(card, index // 2, index % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        column.addStretch(1)
        scroll = centred_scroll(page, width=PAGE_WIDTH, holder=WrappingPanel(), margin=0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Escape"), self, context=context).activated.connect(self.sig_home_requested)

    def refresh(self) -> None:
        """Recompute every figure from the database and redraw the charts in the current palette."""
        figures = self.figures = self.collection.statistics()
        answered = sum(count for _, count in figures.activity)
        days = sum(count > 0 for _, count in figures.activity)
        self.summary.setText(
            f"Last 90 days: {answered} answers on {days} day{'s' if days != 1 else ''}."
            if answered
            else "Last 90 days: no answers yet."
        )
        self.retention.setText(retention_line(figures.recent_retention, figures.desired_retention))
        self._draw_activity(figures)
        self._draw_forecast(figures)
        self._draw_retention(figures)
        self._draw_answer_time(figures)
        self._draw_mastery(figures)
        self._draw_quiz(figures)

    def _draw_activity(self, figures: Statistics) -> None:
        if not any(count for _, count in figures.activity):
            self.activity.show_empty(NO_REVIEWS)
            return

        def plot(axes: Any) -> None:
            from matplotlib.dates import AutoDateLocator, DateFormatter

            days = [day for day, _ in figures.activity]
            axes.bar(days, [count for _, count in figures.activity], width=0.8, color=accent())
            axes.xaxis.set_major_locator(AutoDateLocator(maxticks=7))
            axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
            axes.set_xlabel("learning day")
            axes.set_ylabel("answers")

        self.activity.draw(plot)

    def _draw_forecast(self, figures: Statistics) -> None:
        if not any(m.studied for m in figures.mastery.values()):
            self.forecast.show_empty(NO_REVIEWS)
            return

        def plot(axes: Any) -> None:
            axes.bar(range(len(figures.forecast)), figures.forecast, width=0.8, color=accent())
            axes.set_xlim(-0.8, len(figures.forecast) - 0.2)
            axes.set_xlabel("days from today (0 = today)")
            axes.set_ylabel("cards due")
            axes.yaxis.get_major_locator().set_params(integer=True)

        self.forecast.draw(plot)

    def _draw_retention(self, figures: Statistics) -> None:
        if not any(r.total for r in figures.monthly_retention):
            if not any(m.studied for m in figures.mastery.values()):
                self.retention_chart.show_empty(NO_REVIEWS)
                return
            self.retention_chart.show_empty(
                f"No reviews of mature cards yet: a card matures once its interval reaches {MATURE_DAYS} days."
            )
            return

        def plot(axes: Any) -> None:
            labels = [f"{month:%b}" for month in figures.months]
            shares = [r.share * 100 if r.share is not None else math.nan for r in figures.monthly_retention]
            bars = axes.bar(range(len(labels)), shares, width=0.7, color=accent())
            counts = [str(r.total) if r.total else "" for r in figures.monthly_retention]
            on_bar = self.palette().color(QPalette.ColorRole.HighlightedText).name()
            axes.bar_label(bars, counts, label_type="center", color=on_bar, fontsize="small")
            axes.axhline(figures.desired_retention * 100, color=muted(), linestyle="--", linewidth=1.2)
            axes.set_xticks(range(len(labels)), labels)
            axes.set_ylim(0, 100)
            axes.set_xlabel("month")
            axes.set_ylabel("retention (%)")

        self.retention_chart.draw(plot)

    def _draw_answer_time(self, figures: Statistics) -> None:
        if all(seconds is None for _, seconds in figures.answer_time):
            self.answer_time.show_empty(NO_REVIEWS)
            return

        def plot(axes: Any) -> None:
            labels = [f"{start:%d %b}" for start, _ in figures.answer_time]
            seconds = [math.nan if value is None else value for _, value in figures.answer_time]
            axes.plot(range(len(labels)), seconds, marker="o", color=accent())
            axes.set_xticks(range(0, len(labels), 2), labels[::2])
            axes.set_ylim(0, max(s for s in seconds if not math.isnan(s)) * 1.15 + 1)
            axes.set_xlabel("week starting")
            axes.set_ylabel("seconds")

        self.answer_time.draw(plot)

    def _draw_mastery(self, figures: Statistics) -> None:
        if not any(m.studied for m in figures.mastery.values()):
            self.mastery.show_empty(NO_REVIEWS)
            return
        topics = self.library.taxonomy.topics

        def plot(axes: Any) -> None:
            names = [topics[topic] for topic in figures.mastery][::-1]
            values = [m.share * 100 for m in figures.mastery.values()][::-1]
            started = [m.studied > 0 for m in figures.mastery.values()][::-1]
            axes.barh(range(len(names)), values, height=0.6, color=accent())
            for row, is_started in enumerate(started):
                if not is_started:
                    axes.text(1, row, "not started", va="center", color=muted(), fontsize="small")
            axes.set_yticks(range(len(names)), names)
            axes.set_xlim(0, 100)
            axes.set_xlabel("cards mastered (%)")
            axes.grid(axis="y", visible=False)
            axes.grid(axis="x", color=muted(), alpha=0.25, linewidth=0.8)

        self.mastery.draw(plot, height=3.4)

    def _draw_quiz(self, figures: Statistics) -> None:
        if not figures.quizzes:
            self.quiz.show_empty("No quiz yet. Press Q on the home screen to take one.")
            return

        def plot(axes: Any) -> None:
            numbers = range(1, len(figures.quizzes) + 1)
            axes.plot(numbers, [(q.score or 0) * 100 for q in figures.quizzes], marker="o", color=accent())
            axes.set_ylim(0, 100)
            axes.set_xlabel("quiz (oldest first)")
            axes.set_ylabel("score (%)")
            axes.xaxis.get_major_locator().set_params(integer=True)

        self.quiz.draw(plot, height=3.4)
