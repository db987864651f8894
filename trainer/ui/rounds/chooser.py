"""The short dialog before a negotiation: which scenario, and which counterpart (a surprise by default)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from trainer.collection import Scenario, StrategyName, strategy_label
from trainer.ui.widgets import text_label

SURPRISE = "A surprise counterpart (you guess its strategy afterwards)"


@dataclass(frozen=True, slots=True)
class RoundsChoice:
    scenario_id: str
    strategy: StrategyName | None  # None: a surprise


class ScenarioChooser(QDialog):
    """A list of scenarios and a counterpart choice; Enter starts, Esc cancels."""

    def __init__(self, scenarios: list[Scenario], parent: QWidget | None = None, last: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Negotiation rounds")
        self.scenarios = scenarios
        layout = QVBoxLayout(self)
        layout.addWidget(text_label("Which negotiation? (arrow keys, then Enter)", bold=True))
        self.list = QListWidget()
        for scenario in scenarios:
            item = QListWidgetItem(f"{scenario.title}  ·  you: {scenario.learner_role}")
            item.setData(Qt.ItemDataRole.UserRole, scenario.id)
            self.list.addItem(item)
        ids = [s.id for s in scenarios]
        self.list.setCurrentRow(ids.index(last) if last in ids else 0)
        self.list.currentRowChanged.connect(self._fill_strategies)
        self.list.itemActivated.connect(lambda _: self.accept())
        layout.addWidget(self.list)
        self.situation = text_label(muted=True)
        layout.addWidget(self.situation)
        layout.addWidget(text_label("Against", bold=True))
        self.strategy = QComboBox()
        layout.addWidget(self.strategy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start (Enter)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancel (Esc)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_strategies(self.list.currentRow())
        self.resize(620, 460)
        self.list.setFocus()

    def _fill_strategies(self, row: int) -> None:
        self.strategy.clear()
        self.strategy.addItem(SURPRISE, None)
        if 0 <= row < len(self.scenarios):
            scenario = self.scenarios[row]
            self.situation.setText(scenario.situation)
            for name in scenario.strategies:
                self.strategy.addItem(f"Practice against: {strategy_label(name.value)}", name.value)

    def choice(self) -> RoundsChoice | None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.scenarios):
            return None
        picked = self.strategy.currentData()
        return RoundsChoice(self.scenarios[row].id, StrategyName(picked) if picked else None)

    @classmethod
    def ask(
        cls, scenarios: list[Scenario], parent: QWidget | None = None, last: str | None = None
    ) -> RoundsChoice | None:
        """Show the dialog; the choice, or None if cancelled."""
        dialog = cls(scenarios, parent, last)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
