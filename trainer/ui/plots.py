"""Small charts painted with QPainter: bars, horizontal bars, a line and a scatter, coloured from the palette.

The statistics screen and the quiz report (on screen and in its PDF) draw with these instead of matplotlib:
importing matplotlib and laying out six figures took about 750 ms on the project's machine (import 340 ms,
building 150 ms, drawing 260 ms), against a 150 ms budget for the whole page; a painted chart costs well
under a millisecond. A widget paints in its own palette, so a PDF block given the light palette prints light.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from trainer.ui.theme import status_colours
from trainer.ui.widgets import scroll_page_with_wheel


@dataclass
class Series:
    """What a chart shows; `values` may hold NaN for a gap (a missing point or an empty bar)."""

    kind: str  # "bar", "hbar", "line" or "scatter"
    values: list[float]  # bar heights or lengths, line points; a scatter's y values
    labels: list[str] = field(default_factory=list)  # one per value; shown every `label_step`
    label_step: int = 1
    top: float | None = None  # the value axis' end (None: from the data)
    reference: float | None = None  # a dashed line across, at this value
    inside: list[str] = field(default_factory=list)  # text inside each bar
    notes: dict[int, str] = field(default_factory=dict)  # text beside a horizontal bar
    ends: list[str] = field(default_factory=list)  # text after the end of each horizontal bar
    x_label: str = ""
    y_label: str = ""
    # A scatter: each point's x and size (its area grows with it); both axes span `span`; a dashed diagonal
    # (y = x) and a legend naming the diagonal and the points.
    xs: list[float] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)
    span: tuple[float, float] = (0.0, 100.0)
    legend: tuple[str, str] = ("", "")


def nice_top(largest: float) -> tuple[float, float]:
    """A round axis end at or above `largest`, and its tick step (about five ticks)."""
    if largest <= 0 or math.isnan(largest):
        return 1.0, 1.0
    raw = largest / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    whole = largest >= 1  # counts and percentages: ticks at whole numbers (never 2.5 or 7.5 answers)
    step = next(
        m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw and (not whole or m * magnitude % 1 == 0)
    )
    if step < 1 and whole:
        step = 1.0
    return math.ceil(largest / step) * step, step


def top_and_step(series: Series) -> tuple[float, float]:
    """The value axis' end and tick step: four steps up to a given `top` when they are whole, else round ones."""
    finite = [v for v in series.values if not math.isnan(v)]
    if series.top and (series.top / 4) % 1 == 0:
        return series.top, series.top / 4
    return nice_top(series.top or max(finite, default=0.0))


def whole_step(needed: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… at or above `needed`."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            if m * magnitude >= needed:
                return m * magnitude
        magnitude *= 10


def shown_labels(labels: Sequence[str], label_step: int, slot: float, widest: float) -> list[int]:
    """Which x labels are drawn, `slot` px apart, none wider than `widest`: every `label_step`-th, thinned so
    they never overlap. Labels that are numbers (quiz 1, 2, 3…; days 0, 5, 10…) are thinned to round steps
    (every 2nd, 5th, 10th…) and keep their own whole values, like a whole-number axis."""
    step = max(label_step, 1)
    needed = max(1, math.ceil(widest / max(slot, 1)))
    if labels and all(label.isdigit() for label in labels):
        every = whole_step(max(needed, step))
        return [i for i, label in enumerate(labels) if int(label) % every == 0] or [0]  # (a lone quiz: "1")
    every = math.ceil(needed / step)
    return [i for i in range(0, len(labels), step) if (i // step) % every == 0]


def tick_text(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


class PlotWidget(QWidget):
    """One chart of a `Series`, painted on demand in the current palette."""

    def __init__(self, series: Series, height: int = 210):
        super().__init__()
        self.series = series
        if series.kind == "hbar":  # a row per label: at a large text size the chart grows, never crams them
            line = self.fontMetrics().height() * 0.9
            height = max(height, round(len(series.values) * line * 1.4 + line * 3.2))
        self.setMinimumHeight(height)
        self.setMinimumWidth(280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, self.minimumHeight())

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        """Over a chart the page round it still scrolls."""
        scroll_page_with_wheel(self, event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        grid = QColor(status_colours(palette).muted)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        line = metrics.height()
        series = self.series
        if series.kind in ("hbar", "scatter"):
            paint = self._paint_hbars if series.kind == "hbar" else self._paint_scatter
            paint(painter, metrics, text, accent, grid)
            painter.end()
            return
        top, step = top_and_step(series)
        ticks = [step * i for i in range(round(top / step) + 1)]
        left = max(metrics.horizontalAdvance(tick_text(t)) for t in ticks) + 8 + (line if series.y_label else 0)
        plot = QRectF(left + 4, line / 2, self.width() - left - 12, self.height() - line * 2.6 - line / 2)
        if plot.width() <= 10 or plot.height() <= 10:
            painter.end()
            return

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * min(value, top) / top

        painter.setPen(QPen(grid, 0.8))
        for tick in ticks:
            y = y_of(tick)
            painter.setOpacity(0.35)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setOpacity(1.0)
            painter.setPen(text)
            painter.drawText(QRectF(0, y - line / 2, left, line), Qt.AlignmentFlag.AlignRight, tick_text(tick))
            painter.setPen(QPen(grid, 0.8))
        count = max(len(series.values), 1)
        slot = plot.width() / count
        if series.kind == "bar":
            on_bar = palette.color(QPalette.ColorRole.HighlightedText)
            for i, value in enumerate(series.values):
                if math.isnan(value) or value <= 0:
                    continue
                bar = QRectF(plot.left() + slot * (i + 0.1), y_of(value), slot * 0.8, plot.bottom() - y_of(value))
                painter.fillRect(bar, accent)
                if i < len(series.inside) and series.inside[i] and bar.height() > line:
                    painter.setPen(on_bar)
                    painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, series.inside[i])
        else:
            painter.setPen(QPen(accent, 2))
            points = [
                QPointF(plot.left() + slot * (i + 0.5), y_of(v)) if not math.isnan(v) else None
                for i, v in enumerate(series.values)
            ]
            for a, b in itertools.pairwise(points):
                if a is not None and b is not None:
                    painter.drawLine(a, b)
            painter.setBrush(accent)
            for point in points:
                if point is not None:
                    painter.drawEllipse(point, 3.5, 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        if series.reference is not None:
            painter.setPen(QPen(grid, 1.2, Qt.PenStyle.DashLine))
            y = y_of(series.reference)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QPen(grid, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(text)
        widest = max((metrics.horizontalAdvance(label) for label in series.labels), default=0.0) + 6
        for i in shown_labels(series.labels, series.label_step, slot, widest):
            centre = plot.left() + slot * (i + 0.5)
            box = QRectF(centre - widest / 2, plot.bottom() + line * 0.3, widest, line)
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, series.labels[i])
        paint_axis_titles(painter, plot, line, series)
        painter.end()

    def _paint_hbars(
        self, painter: QPainter, metrics: QFontMetricsF, text: QColor, accent: QColor, grid: QColor
    ) -> None:
        series = self.series
        line = metrics.height()
        top = series.top or max((v for v in series.values if not math.isnan(v)), default=1.0) or 1.0
        left = max((metrics.horizontalAdvance(label) for label in series.labels), default=0.0) + 10
        left = min(left, self.width() * 0.45)
        right = max((metrics.horizontalAdvance(end) for end in series.ends), default=0.0) + 14
        right = max(right, metrics.horizontalAdvance(tick_text(top)) / 2 + 6)  # the last tick's label fits
        plot = QRectF(left, line / 2, self.width() - left - right, self.height() - line * 2.6 - line / 2)
        if plot.width() <= 10 or plot.height() <= 10:
            return
        rows = max(len(series.values), 1)
        slot = plot.height() / rows
        for tick in range(5):
            x = plot.left() + plot.width() * tick / 4
            painter.setPen(QPen(grid, 0.8))
            painter.setOpacity(0.35)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setOpacity(1.0)
            painter.setPen(text)
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 2, 60, line), Qt.AlignmentFlag.AlignHCenter, tick_text(top * tick / 4)
            )
        for i, value in enumerate(series.values):
            y = plot.top() + slot * i
            painter.setPen(text)
            label = metrics.elidedText(
                series.labels[i] if i < len(series.labels) else "", Qt.TextElideMode.ElideRight, left - 8
            )
            painter.drawText(
                QRectF(0, y, left - 8, slot), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label
            )
            length = 0.0
            if not math.isnan(value) and value > 0:
                length = plot.width() * min(value, top) / top
                painter.fillRect(QRectF(plot.left(), y + slot * 0.2, length, slot * 0.6), accent)
            if i < len(series.ends) and series.ends[i]:
                painter.setPen(grid)
                painter.drawText(
                    QRectF(plot.left() + length + 4, y, right, slot), Qt.AlignmentFlag.AlignVCenter, series.ends[i]
                )
            if i in series.notes:
                painter.setPen(grid)
                painter.drawText(
                    QRectF(plot.left() + 6, y, plot.width(), slot), Qt.AlignmentFlag.AlignVCenter, series.notes[i]
                )
        painter.setPen(text)
        paint_axis_titles(painter, plot, line, series)

    def _paint_scatter(
        self, painter: QPainter, metrics: QFontMetricsF, text: QColor, accent: QColor, grid: QColor
    ) -> None:
        series = self.series
        line = metrics.height()
        low, high = series.span
        _, step = nice_top(high - low)
        ticks = [t for t in range(0, int(high) + 1, int(step) or 1) if t >= low]
        left = max(metrics.horizontalAdvance(tick_text(t)) for t in ticks) + 8 + line
        plot = QRectF(left + 4, line / 2, self.width() - left - 24, self.height() - line * 2.6 - line / 2)
        if plot.width() <= 10 or plot.height() <= 10:
            return
        pad = (high - low) * 0.05  # a point at either end of the span sits inside the frame

        def at(x: float, y: float) -> QPointF:
            return QPointF(
                plot.left() + plot.width() * (x - low + pad) / (high - low + 2 * pad),
                plot.bottom() - plot.height() * (y - low + pad) / (high - low + 2 * pad),
            )

        for tick in ticks:
            painter.setPen(QPen(grid, 0.8))
            painter.setOpacity(0.35)
            painter.drawLine(at(low - pad, tick), at(high + pad, tick))
            painter.drawLine(at(tick, low - pad), at(tick, high + pad))
            painter.setOpacity(1.0)
            painter.setPen(text)
            y, x = at(low, tick).y(), at(tick, low).x()
            painter.drawText(
                QRectF(line, y - line / 2, left - line, line), Qt.AlignmentFlag.AlignRight, tick_text(tick)
            )
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 2, 60, line), Qt.AlignmentFlag.AlignHCenter, tick_text(tick)
            )
        painter.setPen(QPen(grid, 1))
        painter.drawRect(plot)
        diagonal = QPen(grid, 1.4, Qt.PenStyle.DashLine)
        painter.setPen(diagonal)
        painter.drawLine(at(low, low), at(high, high))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        for x, y, size in zip(series.xs, series.values, series.sizes, strict=False):
            if not (math.isnan(x) or math.isnan(y)):
                painter.drawEllipse(at(x, y), math.sqrt(size) / 1.6, math.sqrt(size) / 1.6)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        dashes, dots = series.legend
        if dashes or dots:  # the legend, top left inside the plot
            box = QRectF(plot.left() + 6, plot.top() + 6, 0, line * 2 + 8)
            box.setWidth(max(metrics.horizontalAdvance(dashes), metrics.horizontalAdvance(dots)) + 40)
            painter.fillRect(box, self.palette().color(QPalette.ColorRole.Base))
            painter.setPen(QPen(grid, 1))
            painter.drawRect(box)
            first = box.top() + 4 + line / 2
            painter.setPen(diagonal)
            painter.drawLine(QPointF(box.left() + 6, first), QPointF(box.left() + 28, first))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawEllipse(QPointF(box.left() + 17, first + line), 4.5, 4.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(text)
            for n, label in enumerate((dashes, dots)):
                painter.drawText(
                    QRectF(box.left() + 34, box.top() + 4 + n * line, box.width() - 36, line),
                    Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
        painter.setPen(text)
        paint_axis_titles(painter, plot, line, series)


def paint_axis_titles(painter: QPainter, plot: QRectF, line: float, series: Series) -> None:
    """The x title under the plot and, when there is one, the y title turned up its left side."""
    painter.drawText(
        QRectF(plot.left(), plot.bottom() + line * 1.2, plot.width(), line),
        Qt.AlignmentFlag.AlignHCenter,
        series.x_label,
    )
    if series.y_label:
        painter.save()
        painter.translate(line * 0.1, plot.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-plot.height() / 2, 0, plot.height(), line), Qt.AlignmentFlag.AlignCenter, series.y_label
        )
        painter.restore()


def bar_values(values: Sequence[float | None]) -> list[float]:
    """Values with None as NaN (a gap)."""
    return [math.nan if v is None else float(v) for v in values]
