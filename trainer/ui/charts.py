"""Matplotlib charts embedded in Qt, coloured from the app palette (matplotlib loads on first use)."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from trainer.ui.theme import status_colours
from trainer.ui.widgets import scroll_page_with_wheel


def _colour(role: QPalette.ColorRole) -> str:
    return QApplication.palette().color(role).name()


def chart(width: float = 6.0, height: float = 3.0) -> tuple[QWidget, Any]:
    """A Qt widget holding a matplotlib figure with one axes styled like the app; returns (widget, axes)."""
    import matplotlib
    from matplotlib.figure import Figure

    points = QApplication.font().pointSizeF()
    if points > 0:  # the chart's text (ticks, labels, "small" legends) follows the app's text size
        matplotlib.rcParams["font.size"] = points * 0.9
    text = _colour(QPalette.ColorRole.WindowText)
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    figure.set_facecolor(_colour(QPalette.ColorRole.Window))
    axes = figure.add_subplot()
    axes.set_facecolor(_colour(QPalette.ColorRole.Base))
    for spine in axes.spines.values():
        spine.set_color(_colour(QPalette.ColorRole.Mid))
    axes.tick_params(colors=text, labelcolor=text)
    axes.xaxis.label.set_color(text)
    axes.yaxis.label.set_color(text)
    axes.title.set_color(text)
    canvas = _canvas_class()(figure)
    canvas.setMinimumHeight(int(height * 80))
    return canvas, axes


@functools.cache
def _canvas_class() -> type:
    """A matplotlib canvas that leaves the mouse wheel to the page: over a chart the page still scrolls."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    class Canvas(FigureCanvasQTAgg):
        def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
            scroll_page_with_wheel(self, event)  # the page round the chart scrolls

    return Canvas


def accent() -> str:
    """The palette's highlight colour, for the main series of a chart."""
    return _colour(QPalette.ColorRole.Highlight)


def muted() -> str:
    """A grey readable on the chart background in either theme."""
    return status_colours(QApplication.palette()).muted


def legend(axes: Any) -> None:
    """A legend in the chart's own colours."""
    box = axes.legend(loc="upper left", fontsize="small", facecolor=_colour(QPalette.ColorRole.Base))
    box.get_frame().set_edgecolor(_colour(QPalette.ColorRole.Mid))
    for text in box.get_texts():
        text.set_color(_colour(QPalette.ColorRole.WindowText))
