"""The statistics screen: reviews per day, the due forecast, true retention, mastery, answer time, quiz scores.

The page's layout shows at once, each chart with a busy indicator; the figures are computed on a worker thread
(grouped SQL queries on a connection of their own, see `Collection.statistics_job`) and the charts are painted
with QPainter (trainer.ui.plots) when they arrive. `sig_drawn` says every chart is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from trainer.collection import MATURE_DAYS, Collection, Retention, Statistics
from trainer.ui.plots import PlotWidget, Series, bar_values
from trainer.ui.widgets import WrappingPanel, centred_scroll, text_label

NO_REVIEWS = "No reviews yet. Study a few cards and come back."
PAGE_WIDTH = 1400
CHART_HEIGHT = 210
TALL_CHART_HEIGHT = 270


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
    """A titled panel with a one-line explanation and a busy indicator, a chart or an empty-state line."""

    def __init__(self, title: str, note: str, height: int = CHART_HEIGHT):
        super().__init__()
        self.setObjectName("chartCard")
        self.height_px = height
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
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no known length: Qt animates it as "working"
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.setAccessibleName("Computing this chart")
        self.holder = QWidget()
        self.holder.setMinimumHeight(height)
        holder_layout = QVBoxLayout(self.holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addStretch(1)
        holder_layout.addWidget(self.busy)
        holder_layout.addStretch(1)
        self.body.addWidget(self.holder, 1)
        self.plot: PlotWidget | None = None
        self.show_busy()

    def show_busy(self) -> None:
        """The layout stays; the chart area says it is being computed."""
        self._drop_plot()
        self.empty.hide()
        self.holder.show()

    def show_empty(self, text: str) -> None:
        self._drop_plot()
        self.holder.hide()
        self.empty.setText(text)
        self.empty.show()

    def draw(self, series: Series) -> None:
        """Replace whatever the card shows with a chart of `series`."""
        self._drop_plot()
        self.holder.hide()
        self.empty.hide()
        self.plot = PlotWidget(series, self.height_px)
        self.body.addWidget(self.plot, 1)

    def _drop_plot(self) -> None:
        if self.plot is not None:
            self.body.removeWidget(self.plot)
            self.plot.deleteLater()
            self.plot = None


class _Delivery(QObject):
    """Carries a worker's result back to the GUI thread (a queued signal)."""

    done = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, compute: Callable[[], Statistics], generation: int, delivery: _Delivery):
        super().__init__()
        self.compute, self.generation, self.delivery = compute, generation, delivery

    def run(self) -> None:
        try:
            result: object = self.compute()
        except Exception as error:  # shown on the page, never lost on the worker thread
            result = error
        self.delivery.done.emit(self.generation, result)


class StatsView(QWidget):
    """Every chart on one scrollable page; `refresh()` recomputes the figures off the GUI thread and redraws."""

    sig_home_requested = Signal()
    """Emitted when the learner asks to leave (Esc; the menu bar's Home button goes home by itself)."""
    sig_drawn = Signal()
    """Emitted when every chart of the latest `refresh()` is drawn."""

    def __init__(self, collection: Collection):
        super().__init__()
        self.collection = collection
        self.library = collection.library
        self.figures: Statistics | None = None
        self.ready = False
        self._generation = 0
        self._delivery = _Delivery(self)
        self._delivery.done.connect(self._on_computed)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 20, 24, 24)
        column.setSpacing(12)
        header = QHBoxLayout()
        header.addWidget(text_label("Statistics", bold=True, scale=1.6), 1)
        # (Home (Esc) has one place on every screen: the right of the menu bar.)
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
            "Mastery by topic",
            "Share of each topic's cards you would recall now with a predicted chance of 90%+.",
            TALL_CHART_HEIGHT,
        )
        self.quiz = ChartCard("Quiz scores", "Your score in each finished quiz, oldest to newest.", TALL_CHART_HEIGHT)
        grid = QGridLayout()
        grid.setSpacing(14)
        for index, card in enumerate(self.cards()):
            grid.addWidget(card, index // 2, index % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        column.addStretch(1)
        self.page_scroll = centred_scroll(page, width=PAGE_WIDTH, holder=WrappingPanel(), margin=0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page_scroll)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Escape"), self, context=context).activated.connect(self.sig_home_requested)

    def cards(self) -> tuple[ChartCard, ...]:
        return (self.activity, self.forecast, self.retention_chart, self.answer_time, self.mastery, self.quiz)

    def refresh(self) -> None:
        """Show the page at its top with a busy indicator per chart, and compute the figures off the GUI thread."""
        self._generation += 1
        self.ready = False
        self.page_scroll.verticalScrollBar().setValue(0)
        if self.figures is None:
            self.summary.setText("Computing…")
            self.retention.setText("")
        for card in self.cards():
            card.show_busy()
        compute, threaded = self.collection.statistics_job()
        if threaded:
            self._pool.start(_Job(compute, self._generation, self._delivery))
        else:
            generation = self._generation
            QTimer.singleShot(0, self, lambda: self._on_computed(generation, compute()))

    def wait_until_drawn(self, timeout_ms: int = 30_000) -> bool:
        """Process events until the latest refresh is drawn (tests and the benchmark); False on timeout."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        loop = QEventLoop()
        while not self.ready and not deadline.hasExpired():
            self._pool.waitForDone(5)
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        return self.ready

    def _on_computed(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # a newer refresh is under way
        if isinstance(result, BaseException):
            self.summary.setText(f"The statistics could not be computed: {result}")
            for card in self.cards():
                card.show_empty("Not available.")
            self._finish()
            return
        assert isinstance(result, Statistics)
        figures = self.figures = result
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
        self._finish()

    def _finish(self) -> None:
        self.ready = True
        self.sig_drawn.emit()

    def _draw_activity(self, figures: Statistics) -> None:
        if not any(count for _, count in figures.activity):
            self.activity.show_empty(NO_REVIEWS)
            return
        labels = [f"{day:%d %b}" for day, _ in figures.activity]
        counts = [float(count) for _, count in figures.activity]
        self.activity.draw(Series("bar", counts, labels, 15, x_label="learning day", y_label="answers"))

    def _draw_forecast(self, figures: Statistics) -> None:
        if not any(m.studied for m in figures.mastery.values()):
            self.forecast.show_empty(NO_REVIEWS)
            return
        labels = [str(offset) for offset in range(len(figures.forecast))]
        counts = [float(count) for count in figures.forecast]
        self.forecast.draw(Series("bar", counts, labels, 5, x_label="days from today (0 = today)", y_label="cards due"))

    def _draw_retention(self, figures: Statistics) -> None:
        if not any(r.total for r in figures.monthly_retention):
            if not any(m.studied for m in figures.mastery.values()):
                self.retention_chart.show_empty(NO_REVIEWS)
                return
            self.retention_chart.show_empty(
                f"No reviews of mature cards yet: a card matures once its interval reaches {MATURE_DAYS} days."
            )
            return
        shares = [r.share * 100 if r.share is not None else math.nan for r in figures.monthly_retention]
        series = Series(
            "bar",
            shares,
            [f"{month:%b}" for month in figures.months],
            top=100.0,
            reference=figures.desired_retention * 100,
            inside=[str(r.total) if r.total else "" for r in figures.monthly_retention],
            x_label="month",
            y_label="retention (%)",
        )
        self.retention_chart.draw(series)

    def _draw_answer_time(self, figures: Statistics) -> None:
        if all(seconds is None for _, seconds in figures.answer_time):
            self.answer_time.show_empty(NO_REVIEWS)
            return
        labels = [f"{start:%d %b}" for start, _ in figures.answer_time]
        seconds = bar_values([value for _, value in figures.answer_time])
        self.answer_time.draw(Series("line", seconds, labels, 2, x_label="week starting", y_label="seconds"))

    def _draw_mastery(self, figures: Statistics) -> None:
        if not any(m.studied for m in figures.mastery.values()):
            self.mastery.show_empty(NO_REVIEWS)
            return
        topics = self.library.taxonomy.topics
        series = Series(
            "hbar",
            [m.share * 100 for m in figures.mastery.values()],
            [topics[topic] for topic in figures.mastery],
            top=100.0,
            notes={row: "not started" for row, m in enumerate(figures.mastery.values()) if not m.studied},
            x_label="cards mastered (%)",
        )
        self.mastery.draw(series)

    def _draw_quiz(self, figures: Statistics) -> None:
        if not figures.quizzes:
            self.quiz.show_empty("No quiz yet. Press Q on the home screen to take one.")
            return
        scores = [(q.score or 0) * 100 for q in figures.quizzes]
        labels = [str(number) for number in range(1, len(scores) + 1)]
        self.quiz.draw(Series("line", scores, labels, top=100.0, x_label="quiz (oldest first)", y_label="score (%)"))
