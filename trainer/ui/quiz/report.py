"""The quiz report: score with its interval, topics, mistakes, calibration, confident errors; saved as PDF."""

from __future__ import annotations

import errno
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter, QRegion
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMainWindow, QPushButton, QVBoxLayout, QWidget

from trainer.collection import ItemResult, Report
from trainer.model import Card, ItemSource, Library
from trainer.ui import messages
from trainer.ui.card_dialog import CardDialog
from trainer.ui.charts import accent, chart, legend, muted
from trainer.ui.widgets import centred_scroll, text_label


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def calibration_sentence(report: Report) -> str:
    gap = round((report.mean_confidence - report.accuracy) * 100)
    if abs(gap) <= 5:
        verdict = "well calibrated"
    elif gap > 0:
        verdict = f"overconfident by {gap} points"
    else:
        verdict = f"underconfident by {-gap} points"
    return (
        f"Mean confidence {percent(report.mean_confidence)} against {percent(report.accuracy)} best answers: "
        f"{verdict}. Brier score {report.brier:.2f} (0 is perfect; lower is better)."
    )


class ReportView(QWidget):
    """Shows one Report. Built fresh for each report, so it never shows stale figures."""

    sig_home_requested = Signal()
    """Emitted by the Home button or Esc."""

    sig_history_requested = Signal()
    """Emitted by the History button."""

    def __init__(self, report: Report, library: Library, *, title: str = "Quiz report"):
        super().__init__()
        self.report = report
        self.library = library
        self.content = QWidget()
        self.content.setAutoFillBackground(True)
        body = QVBoxLayout(self.content)
        body.setContentsMargins(16, 16, 16, 24)
        body.setSpacing(12)
        body.addWidget(text_label(title, bold=True, scale=1.6))
        self.headline = text_label(
            f"Score {percent(report.score)} ({report.band}), 95% interval {percent(report.low)} to "
            f"{percent(report.high)}, over {report.items} items; about {report.mean_seconds:.0f} s an item.",
            scale=1.2,
        )
        body.addWidget(self.headline)
        if any(r.worst_id for r in report.results):
            rule = (
                "Best and worst: +1 for the best response, +1 for a worst one, −1 for either picked the wrong way "
                "round; each item's 0 to 2 is halved."
            )
            body.addWidget(text_label(rule, muted=True))
        self.sources = text_label(self._source_text())
        body.addWidget(self.sources)
        self.review = text_label(self._review_text())
        body.addWidget(self.review)
        body.addWidget(text_label("By topic", bold=True, scale=1.15))
        body.addWidget(
            text_label(
                "Share of the best possible score per topic. Topics with fewer than 3 items "
                "are marked indicative: too few to judge.",
                muted=True,
            )
        )
        body.addWidget(self._topic_chart())
        body.addWidget(text_label("Mistake patterns", bold=True, scale=1.15))
        self.mistakes = text_label(self._mistake_text())
        body.addWidget(self.mistakes)
        body.addWidget(text_label("Confidence calibration", bold=True, scale=1.15))
        self.calibration = text_label(calibration_sentence(report))
        body.addWidget(self.calibration)
        body.addWidget(
            text_label(
                "Each dot: how often you chose the best response at that confidence. "
                "On the diagonal you are as sure as you are right.",
                muted=True,
            )
        )
        body.addWidget(self._calibration_chart())
        body.addWidget(text_label("Confident errors", bold=True, scale=1.15))
        self.error_buttons: list[QPushButton] = []
        if not report.confident_errors:
            body.addWidget(text_label("None: no wrong answer at 80% confidence or more.", muted=True))
        for result in report.confident_errors:
            button = QPushButton(f"{result.confidence}% sure · {self._title(result.card)}")
            button.setToolTip("Open the card with its explanation")
            button.clicked.connect(lambda _=False, r=result: self.open_item(r))
            self.error_buttons.append(button)
            body.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(text_label("Every item", bold=True, scale=1.15))
        body.addWidget(text_label("Open an item to see every option with its quality and why.", muted=True))
        self.item_buttons: list[QPushButton] = []
        for number, result in enumerate(report.results, start=1):
            kind = "held out" if result.held_out else "studied"
            button = QPushButton(f"{number}. {kind} · {percent(result.score)} · {self._title(result.card)}")
            button.setToolTip("Open the item: every option's feedback and the explanation")
            button.clicked.connect(lambda _=False, r=result: self.open_item(r))
            self.item_buttons.append(button)
            body.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        body.addStretch(1)
        actions = QHBoxLayout()
        actions.setContentsMargins(16, 8, 16, 12)
        self.pdf_button = QPushButton("Save as PDF…")
        self.pdf_button.clicked.connect(self._on_save_pdf)
        self.history_button = QPushButton("History")
        self.history_button.clicked.connect(self.sig_history_requested)
        self.home_button = QPushButton("Home (Esc)")
        self.home_button.clicked.connect(self.sig_home_requested)
        for button in (self.pdf_button, self.history_button, self.home_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(centred_scroll(self.content), 1)
        layout.addLayout(actions)

    def open_item(self, result: ItemResult) -> CardDialog:
        """Open an answered item read-only: every option with its tier and feedback, your picks marked."""
        return CardDialog.show_card(result.card, result.option_id, self.library, self, worst=result.worst_id)

    def _source_text(self) -> str:
        names = {ItemSource.BANK: "Held-out items (never studied)", ItemSource.DECK: "Studied cards"}
        parts = [f"{names[ItemSource(s.source)]}: {percent(s.score)} over {s.items}" for s in self.report.sources]
        return " · ".join(parts)

    def _review_text(self) -> str:
        text = (
            "Held-out items are never studied, so only studied cards you answered below the best come back "
            "in study first."
        )
        if self.report.review_topics:
            names = ", ".join(self.library.taxonomy.topics[t] for t in self.report.review_topics)
            text += f" Topics to review: {names}."
        return text

    def _title(self, card: Card) -> str:
        words = card.situation.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")

    def _mistake_text(self) -> str:
        if not self.report.mistakes:
            return "No weak choices: every answer was the best response."
        lines = []
        for code, count in self.report.mistakes:
            mistake = self.library.taxonomy.mistakes[code]
            times = "once" if count == 1 else f"{count} times"
            lines.append(f"{mistake.name} ({times}): {mistake.remedy}")
        return "\n".join(lines)

    def _topic_chart(self) -> QWidget:
        topics = self.report.topics
        canvas, axes = chart(7.0, 0.32 * len(topics) + 0.8)
        names = [
            f"{self.library.taxonomy.topics[t.topic]} ({t.items}{', indicative' if t.indicative else ''})"
            for t in topics
        ]
        colours = [muted() if t.indicative else accent() for t in topics]
        bars = axes.barh(names, [t.score * 100 for t in topics], color=colours)
        axes.bar_label(bars, labels=[percent(t.score) for t in topics], padding=3, color=muted(), fontsize="small")
        axes.invert_yaxis()
        axes.set_xlim(0, 112)
        axes.set_xlabel("score (%)")
        return canvas

    def _calibration_chart(self) -> QWidget:
        canvas, axes = chart(5.0, 3.2)
        axes.plot([20, 100], [20, 100], linestyle="--", color=muted(), label="perfect calibration")
        bins = self.report.calibration
        sizes = [40 + 30 * b.items for b in bins]
        axes.scatter(
            [b.confidence for b in bins],
            [b.accuracy * 100 for b in bins],
            s=sizes,
            color=accent(),
            label="your answers",
        )
        axes.set_xlim(15, 105)
        axes.set_ylim(-5, 105)
        axes.set_xlabel("stated confidence (%)")
        axes.set_ylabel("best answers (%)")
        legend(axes)
        return canvas

    @classmethod
    def ask_pdf_path(cls, parent: QWidget) -> Path | None:
        """Ask where to save the PDF (tests replace this)."""
        name, _ = QFileDialog.getSaveFileName(parent, "Save report as PDF", "quiz-report.pdf", "PDF (*.pdf)")
        return Path(name) if name else None

    def _on_save_pdf(self) -> None:
        path = self.ask_pdf_path(self)
        if path is None:
            return
        try:
            save_pdf(self.content, path)
        except OSError as error:
            messages.warn(self, "The PDF was not saved", f"{path} could not be written ({error.strerror or error}).")
            return
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Saved {path}", 10_000)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.sig_home_requested.emit()
            return
        super().keyPressEvent(event)


def save_pdf(widget: QWidget, path: Path) -> None:
    """Render a widget onto A4 pages, scaled to the page width and split across pages."""
    path.touch()  # QPdfWriter fails silently on a place it cannot write: find out first (raises OSError)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle("Reciprocity Trainer quiz report")
    painter = QPainter(writer)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    scale = page.width() / max(widget.width(), 1)
    slice_height = int(page.height() / scale)
    top = 0
    while top < widget.height():
        if top:
            writer.newPage()
        painter.save()
        painter.scale(scale, scale)
        widget.render(painter, QPoint(0, 0), QRegion(0, top, widget.width(), slice_height))
        painter.restore()
        top += slice_height
    if not painter.end() or not path.is_file() or path.stat().st_size == 0:
        raise OSError(errno.EIO, "the PDF writer could not finish the file", str(path))
