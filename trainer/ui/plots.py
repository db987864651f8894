"""Small charts painted with QPainter: bars, horizontal bars and a line, coloured from the app palette.

The statistics screen draws with these instead of matplotlib: importing matplotlib and laying out six
figures took about 750 ms on the project's machine (import 340 ms, building 150 ms, drawing 260 ms), against
a 150 ms budget for the whole page; a painted chart costs well under a millisecond. The quiz report and its
PDF keep matplotlib.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from trainer.ui.theme import status_colours


@dataclass
class Series:
    """What a chart shows; `values` may hold NaN for a gap (a missing point or an empty bar)."""

    kind: str  # "bar", "hbar" or "line"
    values: list[float]
    labels: list[str] = field(default_factory=list)  # one per value; shown every `label_step`
    label_step: int = 1
    top: float | None = None  # the value axis' end (None: from the data)
    reference: float | None = None  # a dashed line across, at this value
    inside: list[str] = field(default_factory=list)  # text inside each bar
    notes: dict[int, str] = field(default_factory=dict)  # text beside a horizontal bar
    x_label: str = ""
    y_label: str = ""


def nice_top(largest: float) -> tuple[float, float]:
    """A round axis end at or above `largest`, and its tick step (about five ticks)."""
    if largest <= 0 or math.isnan(largest):
        return 1.0, 1.0
    raw = largest / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step < 1 and largest >= 1:
        step = 1.0
    return math.ceil(largest / step) * step, step


def tick_text(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


class PlotWidget(QWidget):
    """One chart of a `Series`, painted on demand in the current palette."""

    def __init__(self, series: Series, height: int = 210):
        super().__init__()
        self.series = series
        self.setMinimumHeight(height)
        self.setMinimumWidth(280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, self.minimumHeight())

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
        if series.kind == "hbar":
            self._paint_hbars(painter, metrics, text, accent, grid)
            painter.end()
            return
        finite = [v for v in series.values if not math.isnan(v)]
        top, step = (series.top, series.top / 4) if series.top else nice_top(max(finite, default=0.0))
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
        shown = [(i, label) for i, label in enumerate(series.labels) if i % max(series.label_step, 1) == 0]
        widest = max((metrics.horizontalAdvance(label) for _, label in shown), default=0.0) + 6
        every = max(1, math.ceil(widest / max(slot * max(series.label_step, 1), 1)))
        for n, (i, label) in enumerate(shown):
            if n % every:
                continue
            centre = plot.left() + slot * (i + 0.5)
            box = QRectF(centre - widest / 2, plot.bottom() + line * 0.3, widest, line)
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, label)
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
        painter.end()

    def _paint_hbars(
        self, painter: QPainter, metrics: QFontMetricsF, text: QColor, accent: QColor, grid: QColor
    ) -> None:
        series = self.series
        line = metrics.height()
        top = series.top or max((v for v in series.values if not math.isnan(v)), default=1.0) or 1.0
        left = max((metrics.horizontalAdvance(label) for label in series.labels), default=0.0) + 10
        left = min(left, self.width() * 0.45)
        plot = QRectF(left, line / 2, self.width() - left - 14, self.height() - line * 2.6 - line / 2)
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
            if not math.isnan(value) and value > 0:
                painter.fillRect(
                    QRectF(plot.left(), y + slot * 0.2, plot.width() * min(value, top) / top, slot * 0.6), accent
                )
            if i in series.notes:
                painter.setPen(grid)
                painter.drawText(
                    QRectF(plot.left() + 6, y, plot.width(), slot), Qt.AlignmentFlag.AlignVCenter, series.notes[i]
                )
        painter.setPen(text)
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + line * 1.2, plot.width(), line),
            Qt.AlignmentFlag.AlignHCenter,
            series.x_label,
        )


def bar_values(values: Sequence[float | None]) -> list[float]:
    """Values with None as NaN (a gap)."""
    return [math.nan if v is None else float(v) for v in values]
