"""The settings dialog (Ctrl+,) and applying saved settings at once: scheduler, limits, theme and text size."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from trainer.collection import Collection, PersonalScheduler
from trainer.model import SETTING_RANGES, THEMES, Settings, SettingsError, parse_settings
from trainer.ui.fit_panel import FitPanel, WorkloadTable
from trainer.ui.theme import apply_theme
from trainer.ui.widgets import text_label

THEME_NAMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
RETENTION_NOTE = (
    "Higher retention: fewer cards forgotten, but more reviews. At 0.97 the intervals are under a quarter "
    "of those at 0.90; at 0.80 about three times longer."
)
SIZE_RESOLVED = 0x0002  # QFont's resolve-mask bit for an explicitly set size (not exposed by PySide6)


def _spin(name: str, value: int, suffix: str = "") -> QSpinBox:
    _, low, high = SETTING_RANGES[name]
    spin = QSpinBox()
    spin.setRange(int(low), int(high))
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


class SettingsDialog(QDialog):
    """Edits a copy of the settings; OK validates and closes, leaving the result in `chosen`."""

    def __init__(self, settings: Settings, parent: QWidget | None = None, personal: PersonalScheduler | None = None):
        """With `personal`: the workload beside retention and "Fit to my history" (see `fit_panel`)."""
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.chosen: Settings | None = None
        low, high = SETTING_RANGES["desired_retention"][1:]
        self.retention = QDoubleSpinBox()
        self.retention.setRange(low, high)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.retention.setValue(settings.desired_retention)
        self.new_per_day = _spin("new_per_day", settings.new_per_day)
        self.max_reviews = _spin("max_reviews_per_day", settings.max_reviews_per_day)
        self.day_start = _spin("day_start_hour", settings.day_start_hour, ":00")
        self.theme = QComboBox()
        for theme in THEMES:
            self.theme.addItem(THEME_NAMES[theme], theme)
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        self.text_size = _spin("text_size", settings.text_size, " pt")
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow("Desired retention", self.retention)
        note = text_label(RETENTION_NOTE, muted=True)
        note.setMinimumWidth(360)
        form.addRow("", note)
        self.workload = WorkloadTable(personal) if personal is not None else None
        self.fit_panel = FitPanel(personal) if personal is not None else None
        if self.workload is not None:
            form.addRow("", self.workload)
        form.addRow("New cards per day", self.new_per_day)
        form.addRow("Maximum reviews per day", self.max_reviews)
        form.addRow("The learning day starts at", self.day_start)
        form.addRow("Theme", self.theme)
        form.addRow("Text size (added to the system's)", self.text_size)
        self.error = text_label()
        self.error.setProperty("tone", "bad")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        columns = QHBoxLayout()
        columns.setSpacing(28)
        columns.addLayout(form)
        if self.fit_panel is not None and self.workload is not None:
            columns.addWidget(self.fit_panel, 1)
            self.fit_panel.parameters_changed.connect(self.workload.refresh)
            self.fit_panel.busy_changed.connect(self.buttons.setDisabled)
            self.finished.connect(self.fit_panel.stop)
            self.finished.connect(self.workload.stop)
        layout.addLayout(columns)
        for field, name in (
            (self.retention, "Desired retention"),
            (self.new_per_day, "New cards per day"),
            (self.max_reviews, "Maximum reviews per day"),
            (self.day_start, "The learning day starts at"),
            (self.theme, "Theme"),
            (self.text_size, "Text size, added to the system's"),
        ):
            field.setAccessibleName(name)
        self.retention.setAccessibleDescription(RETENTION_NOTE)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, object]:
        """What the fields hold now, by setting name."""
        return {
            "desired_retention": round(self.retention.value(), 2),
            "new_per_day": self.new_per_day.value(),
            "max_reviews_per_day": self.max_reviews.value(),
            "day_start_hour": self.day_start.value(),
            "theme": self.theme.currentData(),
            "text_size": self.text_size.value(),
        }

    @override
    def accept(self) -> None:
        try:
            self.chosen = parse_settings(self.values())
        except SettingsError as error:
            self.error.setText(f"Not saved: {error}.")
            self.error.show()
            return
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, settings: Settings, personal: PersonalScheduler | None = None
    ) -> Settings | None:
        """Show the dialog modally; the validated new settings, or None if cancelled."""
        dialog = cls(settings, parent, personal)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def save_and_apply(app: QApplication, collection: Collection, settings: Settings) -> None:
    """Store the settings (validated; raises SettingsError) and apply them everywhere at once."""
    old = collection.settings
    collection.save_settings(settings)
    before = app.font().pointSizeF()
    apply_theme(app, settings.theme, settings.text_size, before - old.text_size)
    rescale_fonts(app, app.font().pointSizeF() / before)


def rescale_fonts(app: QApplication, ratio: float) -> None:
    """Scale every explicitly sized font (headings, large text) with the base size; the rest follow the app."""
    if ratio == 1:
        return
    for widget in app.allWidgets():
        font = widget.font()
        if font.resolveMask() & SIZE_RESOLVED:
            font.setPointSizeF(font.pointSizeF() * ratio)
            widget.setFont(font)


def relayout(root: QWidget) -> None:
    """After a theme or text-size change, every screen under `root` is laid out again for the new text size
    (nothing clipped by sizes computed for the old one)."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:  # (the new stylesheet has re-polished every widget already)
        widget.updateGeometry()
    for layout in root.findChildren(QLayout):
        layout.invalidate()
    for widget in widgets:
        widget.update()
