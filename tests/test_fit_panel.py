"""The Settings dialog's "Fit to my history" panel and workload table (pytest-qt; the jobs run in child processes)."""

from __future__ import annotations

from datetime import UTC

from review_log import AFTER_SAMPLE, sample_history

from trainer.model import Library, Settings
from trainer.storage.store import Store
from trainer.study.fitting import MIN_REVIEWS
from trainer.study.personal_worker import PersonalScheduler
from trainer.study.session import StudySession
from trainer.ui.fit_panel import FitPanel, WorkloadTable
from trainer.ui.settings_dialog import SettingsDialog

WAIT_MS = 60_000


def personal_for(store: Store, library: Library) -> PersonalScheduler:
    return PersonalScheduler(StudySession(store, library, clock=lambda: AFTER_SAMPLE, zone=UTC, fuzzing=False))


def test_the_fit_button_is_disabled_below_the_threshold_with_the_reason(qtbot, store: Store, library: Library) -> None:
    store.import_history(*sample_history(MIN_REVIEWS - 1))
    panel = FitPanel(personal_for(store, library))
    qtbot.addWidget(panel)
    assert not panel.fit_button.isEnabled()
    assert panel.reason.text() == "Not yet: 5,999 reviews; a fit needs 6,000."
    assert not panel.adopt_button.isEnabled()
    assert not panel.reset_button.isEnabled()
    assert panel.state.text() == "In use: the default parameters."


def test_a_fit_on_the_sample_shows_both_numbers_and_can_be_adopted_and_reset(
    qtbot, store: Store, library: Library
) -> None:
    store.import_history(*sample_history())
    personal = personal_for(store, library)
    panel = FitPanel(personal)
    qtbot.addWidget(panel)
    assert panel.fit_button.isEnabled()
    assert panel.reason.text() == "Uses your 12,580 reviews."
    with qtbot.waitSignal(panel.busy_changed, timeout=WAIT_MS, check_params_cb=lambda busy: not busy):
        panel.fit_button.click()
        assert not panel.fit_button.isEnabled()
    result = panel.result
    assert result is not None
    assert "predicts your recall 0.8% better than the defaults" in panel.summary.text()
    cells = [panel.numbers.itemAt(i).widget().text() for i in range(panel.numbers.count())]
    for number in (result.default.log_loss, result.fitted.log_loss, result.default.rmse_bins, result.fitted.rmse_bins):
        assert f"{number:.4f}" in cells
    assert panel.adopt_button.isEnabled()

    with qtbot.waitSignal(panel.parameters_changed, timeout=WAIT_MS):
        panel.adopt_button.click()
    assert personal.session.scheduler.parameters == result.parameters
    assert panel.state.text().startswith("In use: your parameters, fitted on 7 October 2024 from 12,580 reviews")
    assert panel.summary.text().startswith("Now using your parameters: 1,205 cards rescheduled.")
    assert "before-fit.db" in panel.summary.text().replace("\u200b", "")
    assert panel.reset_button.isEnabled()

    with qtbot.waitSignal(panel.parameters_changed, timeout=WAIT_MS):
        panel.reset_button.click()
    assert panel.state.text() == "In use: the default parameters."
    assert panel.summary.text().startswith("Now using the default parameters: 1,205 cards rescheduled.")
    reopened = FitPanel(personal)
    qtbot.addWidget(reopened)
    assert reopened.summary.text() == (
        "Last fit (7 October 2024, 12,580 reviews): it predicts your recall 0.8% better than the defaults on your "
        "latest 1,255 reviews."
    )


def test_the_workload_table_shows_three_retentions_without_a_jump(qtbot, store: Store, library: Library) -> None:
    store.import_history(*sample_history())
    table = WorkloadTable(personal_for(store, library))
    qtbot.addWidget(table)
    working = [table.grid.itemAt(i).widget().text() for i in range(table.grid.count())]
    assert working[3:] == ["0.80", "…", "…", "0.90  (yours)", "…", "…", "0.95", "…", "…"]
    height = table.heightForWidth(360) if table.hasHeightForWidth() else table.sizeHint().height()
    qtbot.waitUntil(lambda: table.job is None, timeout=WAIT_MS)
    cells = [table.grid.itemAt(i).widget().text() for i in range(table.grid.count())]
    assert "…" not in cells
    assert (table.heightForWidth(360) if table.hasHeightForWidth() else table.sizeHint().height()) == height
    assert cells[:3] == ["Retention", "Reviews a day", "In 90 days"]
    assert [cells[3], cells[6], cells[9]] == ["0.80", "0.90  (yours)", "0.95"]
    per_day = [int(cells[i].replace(",", "")) for i in (4, 7, 10)]
    assert per_day == sorted(per_day)


def test_the_settings_dialog_holds_the_panel_and_stops_its_jobs_on_close(qtbot, store: Store, library: Library) -> None:
    dialog = SettingsDialog(Settings(), None, personal_for(store, library))
    qtbot.addWidget(dialog)
    assert dialog.fit_panel is not None
    assert dialog.workload is not None
    assert dialog.workload.job is not None  # the simulation started in the background
    dialog.reject()
    assert dialog.workload.job is None
    assert SettingsDialog(Settings()).fit_panel is None  # without a session: the plain dialog
