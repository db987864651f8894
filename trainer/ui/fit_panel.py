"""The Settings dialog's personal scheduler: "Fit to my history" with its result, and the workload beside retention.

The fit, the adoption and the workload simulation run in a child process; a QTimer polls it, so the dialog stays
responsive. After adopting or resetting, `PersonalScheduler.changed()` makes the study session use the new parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from trainer.collection import FitJob, PersonalScheduler
from trainer.ui.widgets import clear_layout, text_label

POLL_MS = 100
NO_FILE = "a fit needs the database on disk"
DONE, FAILED, PROGRESS = "done", "failed", "progress"


def _cell(text: str, *, bold: bool = False, muted: bool = False) -> QLabel:
    label = text_label(text, bold=bold, muted=muted)
    label.setWordWrap(False)
    return label


def _clear(grid: QGridLayout) -> None:
    clear_layout(grid)


class _Worker(QWidget):
    """A widget that runs one job at a time in a child process and hands each event to `on_event(kind, event)`."""

    def __init__(
        self, personal: PersonalScheduler, on_event: Callable[[str, Any], None], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.personal = personal
        self._on_job_event = on_event
        self.job: FitJob | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def _run(self, job: FitJob) -> None:
        self.job = job
        self._timer.start()

    def _poll(self) -> None:
        job = self.job
        if job is None:
            self._timer.stop()
            return
        for event in job.poll():
            self._on_job_event(job.kind, event)
        if job.finished:
            self._timer.stop()
            if self.job is job:
                self.job = None

    def stop(self) -> None:
        """Stop a fit or simulation; let an adoption or reset finish (it is one transaction either way)."""
        if self.job is None:
            return
        job, self.job = self.job, None
        self._timer.stop()
        if job.kind in ("adopt", "reset"):
            for event in job.wait():
                self._on_job_event(job.kind, event)
        else:
            job.cancel()


class WorkloadTable(_Worker):
    """Simulated reviews a day over the next 90 days for the learner's own cards, at three retentions."""

    def __init__(self, personal: PersonalScheduler, parent: QWidget | None = None):
        super().__init__(personal, self._on_event, parent)
        self.heading = text_label("Your workload over the next 90 days (simulated for your studied cards):", muted=True)
        self.status = text_label("", muted=True)
        # Two lines kept for the status, so the dialog does not jump when the longer closing sentence arrives.
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * 2)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        """Simulate again (after the parameters changed)."""
        if self.job is not None:
            self.job.cancel()
        if not self.personal.on_disk:
            self.status.setText(f"Not available: {NO_FILE}.")
            return
        self.show_workload(None)
        self.status.setText("Working it out…")
        self._run(self.personal.workload())

    def _on_event(self, kind: str, event: Any) -> None:
        if event.kind == DONE:
            self.show_workload(event.value)
        elif event.kind == FAILED:
            _clear(self.grid)  # no rows of "…" left waiting for figures that will not come
            self.status.setText(f"Not available: {event.message}")

    def show_workload(self, loads: Any) -> None:
        """One row per retention: its reviews a day on average, and in all over the 90 days.

        With `loads` None (still simulating) the rows are there with "…" for the figures, so the table keeps
        its place and size when they arrive.
        """
        _clear(self.grid)
        for column, text in enumerate(("Retention", "Reviews a day", "In 90 days")):
            self.grid.addWidget(_cell(text, bold=True), 0, column)
        current = self.personal.retention
        rows = loads if loads is not None else [None] * len(self.personal.retentions)
        for row, (planned, load) in enumerate(zip(self.personal.retentions, rows, strict=True), start=1):
            retention = planned if load is None else load.retention
            mark = "  (yours)" if abs(retention - current) < 0.005 else ""
            self.grid.addWidget(_cell(f"{retention:.2f}{mark}"), row, 0)
            self.grid.addWidget(_cell("…" if load is None else f"{load.mean_per_day:,.0f}", muted=load is None), row, 1)
            self.grid.addWidget(_cell("…" if load is None else f"{load.total:,.0f}", muted=load is None), row, 2)
        self.grid.setColumnStretch(3, 1)
        if loads is None:
            return
        if not any(load.total for load in loads):
            self.status.setText("No studied cards yet: nothing to review.")
        else:
            self.status.setText("Higher retention costs more reviews; new cards come on top.")


class FitPanel(_Worker):
    """ "Fit to my history": the reviews it would use, progress, the result in plain words with both numbers,
    "Use my parameters" and "Back to the defaults"."""

    parameters_changed = Signal()
    busy_changed = Signal(bool)

    def __init__(self, personal: PersonalScheduler, parent: QWidget | None = None):
        super().__init__(personal, self._on_event, parent)
        self.result: Any = None
        self.title = text_label("Your scheduler", bold=True)
        self.state = text_label()
        self.fit_button = QPushButton("Fit to my history")
        self.fit_button.clicked.connect(self.start_fit)
        self.reason = text_label(muted=True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.summary = text_label()
        self.numbers = QGridLayout()
        self.numbers.setHorizontalSpacing(18)
        self.numbers.setVerticalSpacing(2)
        self.adopt_button = QPushButton("Use my parameters")
        self.adopt_button.clicked.connect(self.start_adopt)
        self.reset_button = QPushButton("Back to the defaults")
        self.reset_button.clicked.connect(self.start_reset)
        top = QHBoxLayout()
        top.addWidget(self.fit_button)
        top.addWidget(self.reason, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.adopt_button)
        actions.addWidget(self.reset_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(self.numbers)
        layout.addLayout(actions)
        layout.addStretch(1)
        self._show_stored(with_last_fit=True)

    def _show_stored(self, *, with_last_fit: bool = False) -> None:
        """What the database says: the parameters in use, whether a fit can run (and the last fit's numbers)."""
        status = self.personal.status()
        active = status.active
        if active is None:
            self.state.setText("In use: the default parameters.")
        else:
            self.state.setText(
                f"In use: your parameters, fitted on {active.fitted_at:%-d %B %Y} from {active.reviews:,} reviews."
            )
        needs = status.needs if self.personal.on_disk else NO_FILE
        idle = self.job is None
        self.fit_button.setEnabled(needs is None and idle)
        self.reason.setText(f"Not yet: {needs}." if needs else f"Uses your {status.reviews:,} reviews.")
        shown = status.latest
        if with_last_fit and shown is not None:
            self._show_numbers(shown.default_log_loss, shown.fitted_log_loss, shown.default_rmse, shown.fitted_rmse)
            comparison = self.personal.comparison(shown.default_log_loss, shown.fitted_log_loss)
            self.summary.setText(
                f"Last fit ({shown.fitted_at:%-d %B %Y}, {shown.reviews:,} reviews): it {comparison} on your latest "
                f"{shown.test_items:,} reviews."
            )
        self.adopt_button.setEnabled(self.result is not None and self.result.adopt and idle)
        self.reset_button.setEnabled(active is not None and idle)

    def _show_numbers(self, default_loss: float, fitted_loss: float, default_rmse: float, fitted_rmse: float) -> None:
        _clear(self.numbers)
        rows = (
            ("", "Defaults", "Yours"),
            ("Log loss (lower is better)", f"{default_loss:.4f}", f"{fitted_loss:.4f}"),
            ("RMSE over bins (lower is better)", f"{default_rmse:.4f}", f"{fitted_rmse:.4f}"),
        )
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.numbers.addWidget(_cell(text, bold=row == 0, muted=column == 0 and row > 0), row, column)
        self.numbers.setColumnStretch(3, 1)

    def start_fit(self) -> None:
        self._begin(self.personal.fit)

    def start_adopt(self) -> None:
        result = self.result
        if result is not None and result.adopt:
            self._begin(lambda: self.personal.adopt(result))

    def start_reset(self) -> None:
        self._begin(self.personal.reset)

    def _begin(self, start: Any) -> None:
        if self.job is not None or not self.personal.on_disk:
            return
        self._run(start())
        for button in (self.fit_button, self.adopt_button, self.reset_button):
            button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.busy_changed.emit(True)

    def _on_event(self, kind: str, event: Any) -> None:
        if event.kind == PROGRESS:
            self.progress.setValue(round(event.fraction * 100))
            self.progress.setFormat(f"{event.stage}… %p%")
            return
        self.progress.hide()
        self.job = None
        if event.kind == FAILED:
            self.summary.setText(event.message)
        elif kind == "fit":
            self.show_result(event.value)
        else:
            what = "your parameters" if kind == "adopt" else "the default parameters"
            self.summary.setText(
                f"Now using {what}: {event.value.rescheduled:,} cards rescheduled. Your data from before is in the "
                f"backup {event.value.backup.name}."
            )
            self.result = None
            self.personal.changed()
            self.parameters_changed.emit()
        self._show_stored()
        self.busy_changed.emit(False)

    def show_result(self, result: Any) -> None:
        """The fit's outcome in plain words, with both numbers for the defaults and for the fit."""
        self.result = result
        self._show_numbers(
            result.default.log_loss, result.fitted.log_loss, result.default.rmse_bins, result.fitted.rmse_bins
        )
        comparison = self.personal.comparison(result.default.log_loss, result.fitted.log_loss)
        tested = f"your latest {result.test_items:,} reviews, which the fit never saw"
        if result.adopt:
            self.summary.setText(
                f"Fitted on {result.reviews:,} reviews: the fit {comparison} on {tested}. "
                "Use them to reschedule every card (a backup is made first)."
            )
        else:
            self.summary.setText(
                f"Fitted on {result.reviews:,} reviews, but the fit {comparison} on {tested}, so the defaults stay."
            )
