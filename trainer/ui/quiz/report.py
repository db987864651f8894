"""The quiz report: score with its interval, topics, mistakes, calibration, confident errors; saved as PDF."""

from __future__ import annotations

import errno
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPoint, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPageSize, QPainter, QPdfWriter, QRegion
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.collection import INDICATIVE_BELOW, ItemResult, Report, TopicScore
from trainer.model import BEST_QUALITY, Card, ItemSource, Library, QuizAttempt, QuizFormat
from trainer.ui import messages
from trainer.ui.card_dialog import CardDialog
from trainer.ui.explanation import tier_text
from trainer.ui.plots import PlotWidget, Series
from trainer.ui.theme import light_palette, stylesheet
from trainer.ui.widgets import centred_scroll, text_label

# The ten topics in four skill areas, for a report whose topics had too few items each to judge.
SKILL_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Reading the norm and the signals", ("T1", "T8")),
    ("Trading concessions", ("T2", "T3", "T4")),
    ("Handling pressure and spirals", ("T5", "T6", "T7")),
    ("The long game and networks", ("T9", "T10")),
)
CALIBRATION_NOTE = (
    "Each dot: how often you chose the best response at that confidence. On the diagonal you are as sure as you "
    "are right."
)
NO_CONFIDENT_ERRORS = "None: no wrong answer at 80% confidence or more."


def heading(text: str) -> QLabel:
    return text_label(text, bold=True, scale=1.15)


def area_scores(results: tuple[ItemResult, ...]) -> list[tuple[str, int, float]]:
    """(skill area, items, mean item score) for each area with items; topics outside every area go last."""
    scores: dict[str, list[float]] = defaultdict(list)
    area_of = {topic: name for name, topics in SKILL_AREAS for topic in topics}
    for result in results:
        scores[area_of.get(result.card.topic, "Other topics")].append(result.score)
    names = [name for name, _ in SKILL_AREAS] + ["Other topics"]
    return [(name, len(scores[name]), sum(scores[name]) / len(scores[name])) for name in names if scores[name]]


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

    def __init__(
        self, report: Report, library: Library, *, title: str = "Quiz report", attempt: QuizAttempt | None = None
    ):
        super().__init__()
        self.report = report
        self.library = library
        self.attempt = attempt
        self.title = title
        self.content = QWidget()
        self.content.setAutoFillBackground(True)
        body = QVBoxLayout(self.content)
        body.setContentsMargins(16, 16, 16, 24)
        body.setSpacing(12)
        body.addWidget(text_label(title, bold=True, scale=1.6))
        self.settings_line = text_label(self._settings_text(), muted=True)
        body.addWidget(self.settings_line)
        self.headline = text_label(self._headline_text(), scale=1.2)
        body.addWidget(self.headline)
        self.scoring = text_label(self._scoring_text(), muted=True)
        body.addWidget(self.scoring)
        self.sources = text_label(self._source_text())
        body.addWidget(self.sources)
        self.review = text_label(self._review_text())
        body.addWidget(self.review)
        topic_widgets = self._topic_widgets()
        for widget in topic_widgets:
            body.addWidget(widget)
        self.topic_view = topic_widgets[-1]
        body.addWidget(heading("Mistake patterns"))
        self.mistakes = text_label(self._mistake_text())
        body.addWidget(self.mistakes)
        body.addWidget(heading("Confidence calibration"))
        self.calibration = text_label(calibration_sentence(report))
        body.addWidget(self.calibration)
        body.addWidget(text_label(CALIBRATION_NOTE, muted=True))
        body.addWidget(self._calibration_chart())
        body.addWidget(heading("Confident errors"))
        self.error_buttons: list[QPushButton] = []
        if not report.confident_errors:
            body.addWidget(text_label(NO_CONFIDENT_ERRORS, muted=True))
        for result in report.confident_errors:
            row, button = self._item_row(f"{result.confidence}% sure", result)
            button.setAccessibleName(f"Confident error: {result.confidence}% sure. {self._title(result.card)}")
            self.error_buttons.append(button)
            body.addWidget(row)
        self.items_heading = heading("Every item")
        body.addWidget(self.items_heading)
        review_row = QHBoxLayout()
        review_row.addWidget(text_label("Open an item to see every option with its quality and why.", muted=True), 1)
        self.wrong_only = QCheckBox("Wrong only (below the best)")
        self.wrong_only.setAccessibleDescription("Show only the items where you did not choose the best response")
        self.wrong_only.toggled.connect(self._filter_items)
        review_row.addWidget(self.wrong_only)
        body.addLayout(review_row)
        self.item_buttons: list[QPushButton] = []
        self.item_rows: list[QWidget] = []
        for number, result in enumerate(report.results, start=1):
            row, button = self._item_row(self._item_label(number, result), result)
            button.setAccessibleName(f"Item {number} of {len(report.results)}: {self._item_text(number, result)}")
            self.item_buttons.append(button)
            self.item_rows.append(row)
            body.addWidget(row)
        self.no_wrong = text_label("Every answer was the best response: nothing to show.", muted=True)
        self.no_wrong.hide()
        body.addWidget(self.no_wrong)
        body.addStretch(1)
        actions = QHBoxLayout()
        actions.setContentsMargins(16, 8, 16, 12)
        self.pdf_button = QPushButton("Save as PDF…")
        self.pdf_button.setAccessibleDescription("Save this report as a PDF file, by default in your Documents folder")
        self.pdf_button.clicked.connect(self._on_save_pdf)
        self.history_button = QPushButton("History")
        self.history_button.setAccessibleDescription("Every finished quiz and the score over time")
        self.history_button.clicked.connect(self.sig_history_requested)
        for button in (self.pdf_button, self.history_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroller = centred_scroll(self.content, name="Quiz report")
        layout.addWidget(self.scroller, 1)
        layout.addLayout(actions)

    # Texts ----------------------------------------------------------------

    def _headline_text(self) -> str:
        report = self.report
        return (
            f"Score {percent(report.score)} ({report.band}), 95% interval {percent(report.low)} to "
            f"{percent(report.high)}, over {report.items} items; about {report.mean_seconds:.0f} s an item."
        )

    def _scoring_text(self) -> str:
        """What the score and the share of best answers each mean, so that the two never seem to disagree."""
        report = self.report
        if any(r.worst_id for r in report.results):
            credit = (
                "Best and worst: +1 for the best response, +1 for a worst one, −1 for either picked the wrong way "
                "round; each item's 0 to 2 is halved."
            )
        else:
            credit = "The score gives partial credit: best 100%, acceptable 67%, weak 33%, harmful 0% an item."
        best = sum(r.quality == BEST_QUALITY for r in report.results)
        return (
            f"{credit} Best answers: {percent(report.accuracy)} ({best} of {report.items}) counts only the items "
            f"where you chose the best response. Bands: developing below 60%, proficient from 60%, strong from 80%."
        )

    def _settings_text(self) -> str:
        """'Finished Mon 01 Dec 2026, 09:30 · 10 items · all topics · exam · single best'."""
        attempt = self.attempt
        if attempt is None:
            return f"{self.report.items} items"
        when = (attempt.finished_at or attempt.started_at).astimezone()
        all_topics = len(attempt.topics) == len(self.library.taxonomy.topics)
        topics = "all topics" if all_topics else ", ".join(self.library.taxonomy.topics[t] for t in attempt.topics)
        quiz_format = "best and worst" if attempt.format == QuizFormat.BEST_WORST else "single best"
        studied = " · studied cards included" if attempt.include_studied else ""
        return (
            f"Finished {when:%a %d %b %Y, %H:%M} · {attempt.length} items · {topics} · {attempt.mode} mode · "
            f"{quiz_format}{studied}"
        )

    def _item_label(self, number: int, result: ItemResult) -> str:
        """'3. held out · 33% · ✗ weak': the button's text (the situation wraps beside it)."""
        kind = "held out" if result.held_out else "studied"
        return f"{number}. {kind} · {percent(result.score)} · {tier_text(result.quality)}"

    def _item_text(self, number: int, result: ItemResult) -> str:
        return f"{self._item_label(number, result)} · {self._title(result.card)}"

    def _item_row(self, label: str, result: ItemResult) -> tuple[QWidget, QPushButton]:
        """A button that opens the item, and the start of its situation beside it (wrapping, never clipped)."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        button = QPushButton(label)
        button.setToolTip("Open the item: every option's feedback and the explanation")
        button.setAccessibleDescription("Opens the item with every option's feedback and the explanation")
        button.clicked.connect(lambda _=False, r=result: self.open_item(r))
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text_label(self._title(result.card), muted=True), 1)
        return row, button

    def _filter_items(self, wrong_only: bool) -> None:
        shown = 0
        for row, result in zip(self.item_rows, self.report.results, strict=True):
            visible = not wrong_only or result.quality < BEST_QUALITY
            row.setVisible(visible)
            shown += visible
        self.no_wrong.setVisible(wrong_only and shown == 0)

    def scroll_to_items(self) -> None:
        """Bring the list of every item into view."""
        if (layout := self.content.layout()) is not None:
            layout.activate()
        self.scroller.verticalScrollBar().setValue(self.items_heading.mapTo(self.content, QPoint(0, 0)).y())

    # Topics ---------------------------------------------------------------

    def _topic_widgets(self) -> list[QWidget]:
        """Per topic when each topic had enough items; else grouped into the four skill areas (or a table).

        The heading, a note on what is shown, and the chart or table (last).
        """
        topics = self.report.topics
        if topics and all(not t.indicative for t in topics):
            rows = [(f"{self.library.taxonomy.topics[t.topic]} ({t.items})", t.score) for t in topics]
            note = "Share of the best possible score in each topic (items in brackets)."
            return [heading("By topic"), text_label(note, muted=True), self._bar_chart(rows)]
        areas = area_scores(self.report.results)
        if areas and all(items >= INDICATIVE_BELOW for _, items, _ in areas):
            note = (
                f"Fewer than {INDICATIVE_BELOW} items a topic are too few to judge a topic, so the topics are grouped "
                "into four skill areas: the share of the best possible score in each (items in brackets)."
            )
            rows = [(f"{name} ({items})", score) for name, items, score in areas]
            return [heading("By skill area"), text_label(note, muted=True), self._bar_chart(rows)]
        note = (
            f"Too few items a topic (fewer than {INDICATIVE_BELOW}) to compare topics: these figures are indicative "
            "only. A longer quiz, or fewer topics, gives a topic-by-topic picture."
        )
        return [heading("By topic"), text_label(note, muted=True), self._topic_table(topics)]

    def _topic_table(self, topics: tuple[TopicScore, ...]) -> QWidget:
        table = QWidget()
        grid = QGridLayout(table)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        for column, text in enumerate(("Topic", "Items", "Score")):
            grid.addWidget(text_label(text, bold=True), 0, column)
        for row, topic in enumerate(topics, start=1):
            name = text_label(self.library.taxonomy.topics[topic.topic])
            name.setWordWrap(False)  # short names, one line each
            grid.addWidget(name, row, 0)
            grid.addWidget(text_label(str(topic.items)), row, 1)
            grid.addWidget(text_label(percent(topic.score)), row, 2)
        grid.setColumnStretch(3, 1)  # compact columns, the space left over on the right
        return table

    def _bar_chart(self, rows: list[tuple[str, float]]) -> QWidget:
        series = Series(
            "hbar",
            [score * 100 for _, score in rows],
            labels=[name for name, _ in rows],
            top=100.0,
            ends=[percent(score) for _, score in rows],
            x_label="score (%)",
        )
        chart = PlotWidget(series, height=round(QFontMetrics(self.font()).height() * (2.0 * len(rows) + 4)))
        chart.setAccessibleName("Scores by topic")
        chart.setAccessibleDescription("; ".join(f"{name}: {percent(score)}" for name, score in rows))
        return chart

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

    def _calibration_chart(self) -> QWidget:
        bins = self.report.calibration
        series = Series(
            "scatter",
            [b.accuracy * 100 for b in bins],
            xs=[float(b.confidence) for b in bins],
            sizes=[40.0 + 30 * b.items for b in bins],
            span=(0.0, 100.0),
            legend=("perfect calibration", "your answers"),
            x_label="stated confidence (%)",
            y_label="best answers (%)",
        )
        chart = PlotWidget(series, height=260)
        chart.setAccessibleName("Confidence calibration")
        chart.setAccessibleDescription(
            "; ".join(f"{b.confidence}% sure: {percent(b.accuracy)} best over {b.items}" for b in bins)
        )
        return chart

    @classmethod
    def default_pdf_path(cls, today: datetime | None = None) -> Path:
        """The Documents folder (else home), with a dated name: quiz-report-2026-12-01.pdf."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        place = Path(folder) if folder and Path(folder).is_dir() else Path.home()
        return place / f"quiz-report-{(today or datetime.now()):%Y-%m-%d}.pdf"

    @classmethod
    def ask_pdf_path(cls, parent: QWidget) -> Path | None:
        """Ask where to save the PDF (tests replace this)."""
        name, _ = QFileDialog.getSaveFileName(parent, "Save report as PDF", str(cls.default_pdf_path()), "PDF (*.pdf)")
        return Path(name) if name else None

    def printable_blocks(self) -> list[QWidget]:
        """The report for paper, in the light colours whatever the theme: the date and settings on top, no buttons,
        each block kept on one page."""
        report = self.report
        blocks: list[QWidget] = []
        paper = light_palette()  # printed light whatever the theme on screen
        paper_style = stylesheet(paper)

        def block(*widgets: QWidget) -> None:
            holder = QWidget()
            holder.setPalette(paper)
            holder.setStyleSheet(paper_style)
            holder.setAutoFillBackground(True)
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(0, 0, 0, 12)
            layout.setSpacing(8)
            for widget in widgets:
                layout.addWidget(widget)
            for child in holder.findChildren(QWidget):  # labels made before joining the block keep the theme's
                child.setPalette(paper)
            blocks.append(holder)

        printed = f"Printed {datetime.now().astimezone():%a %d %b %Y, %H:%M}"
        block(
            text_label(self.title, bold=True, scale=1.6),
            text_label(self._settings_text(), muted=True),
            text_label(printed, muted=True),
            text_label(self._headline_text(), scale=1.2),
            text_label(self._scoring_text(), muted=True),
            text_label(self._source_text()),
            text_label(self._review_text()),
        )
        block(*self._topic_widgets())
        block(heading("Mistake patterns"), text_label(self._mistake_text()))
        block(
            heading("Confidence calibration"),
            text_label(calibration_sentence(report)),
            text_label(CALIBRATION_NOTE, muted=True),
            self._calibration_chart(),
        )
        errors = [f"{r.confidence}% sure · {self._title(r.card)}" for r in report.confident_errors]
        block(heading("Confident errors"), text_label("\n".join(errors) or NO_CONFIDENT_ERRORS))
        items = [self._item_text(n, r) for n, r in enumerate(report.results, start=1)]
        for start in range(0, len(items), 20):  # long lists in page-sized blocks
            title = [heading("Every item")] if start == 0 else []
            block(*title, text_label("\n".join(items[start : start + 20])))
        return blocks

    def _on_save_pdf(self) -> None:
        path = self.ask_pdf_path(self)
        if path is None:
            return
        try:
            save_pdf(self.printable_blocks(), path)
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


PRINT_WIDTH = 720  # px: the blocks are laid out at this width, then scaled to the page


def save_pdf(blocks: list[QWidget], path: Path) -> None:
    """Lay out blocks at PRINT_WIDTH and print them onto A4 pages, top to bottom; a block that does not fit
    on what is left of a page starts a new one (only a block taller than a whole page is split)."""
    path.touch()  # QPdfWriter fails silently on a place it cannot write: find out first (raises OSError)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle("Reciprocity Trainer quiz report")
    writer.setCreator("Reciprocity Trainer")
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    scale = page.width() / PRINT_WIDTH
    page_height = int(page.height() / scale)  # in layout pixels
    painter = QPainter(writer)
    painter.scale(scale, scale)
    top = 0
    for widget in blocks:
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.setFixedWidth(PRINT_WIDTH)
        widget.show()  # polished and laid out, never on screen
        height = widget.heightForWidth(PRINT_WIDTH) if widget.hasHeightForWidth() else widget.sizeHint().height()
        widget.resize(PRINT_WIDTH, max(height, widget.sizeHint().height()))
        if (layout := widget.layout()) is not None:
            layout.activate()
        if top and top + widget.height() > page_height:
            writer.newPage()
            top = 0
        shown = 0
        while shown < widget.height():
            part = min(widget.height() - shown, page_height - top)
            widget.render(painter, QPoint(0, top), QRegion(0, shown, PRINT_WIDTH, part))
            shown += part
            top += part
            if shown < widget.height():
                writer.newPage()
                top = 0
        widget.hide()
        widget.deleteLater()
    if not painter.end() or not path.is_file() or path.stat().st_size == 0:
        raise OSError(errno.EIO, "the PDF writer could not finish the file", str(path))
