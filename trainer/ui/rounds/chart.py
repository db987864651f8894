"""The concession chart: both sides' standing offers by round, valued for the learner (and, in the debrief,
for the counterpart too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from trainer.collection import Scenario, SeriesPoint
from trainer.ui.charts import accent, chart, muted
from trainer.ui.theme import status_colours


def concession_chart() -> tuple[QWidget, Any]:
    """An empty chart sized for the round screen and the debrief."""
    canvas, axes = chart(5.6, 3.6)
    canvas.setObjectName("chartCard")
    return canvas, axes


def draw(axes: Any, scenario: Scenario, points: Sequence[SeriesPoint], *, reveal: bool = False) -> None:
    """Redraw the chart: your ask and their offer as worth to you by round; with `reveal`, also as worth to them."""
    colours = status_colours(QApplication.palette())
    for artist in [*axes.lines, *axes.collections, *axes.texts]:
        artist.remove()
    rounds = [p.round for p in points]
    mine, theirs = accent(), colours.poor
    axes.plot(rounds, [p.ask_for_learner for p in points], marker="o", color=mine, label="your ask, to you")
    axes.plot(rounds, [p.offer_for_learner for p in points], marker="s", color=theirs, label="their offer, to you")
    if reveal:
        axes.plot(rounds, [p.ask_for_counterpart for p in points], marker="o", linestyle="--", color=mine,
                  alpha=0.7, label="your ask, to them")  # fmt: skip
        axes.plot(rounds, [p.offer_for_counterpart for p in points], marker="s", linestyle="--", color=theirs,
                  alpha=0.7, label="their offer, to them")  # fmt: skip
    axes.axhline(scenario.target, color=colours.good, linestyle=":", linewidth=1.2, label="your target")
    axes.axhline(scenario.walk_away, color=muted(), linestyle="-.", linewidth=1.2, label="your walk-away")
    axes.set_xlim(-0.3, scenario.round_limit + 0.3)
    axes.set_ylim(0, 105)
    axes.set_xticks(range(0, scenario.round_limit + 1, 1 if scenario.round_limit <= 12 else 2))
    axes.set_xlabel("round (0 is their opening)")
    axes.set_ylabel("value (0–100)")
    legend_below(axes, 2)
    axes.figure.canvas.draw_idle()


def legend_below(axes: Any, columns: int) -> None:
    """A frameless legend under the x axis, so it never hides a line."""
    box = axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=columns, frameon=False)
    for text in box.get_texts():
        text.set_color(axes.xaxis.label.get_color())
