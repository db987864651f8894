"""The deck list on home: each deck (bundled and your own) with what is due and new, a switch and a Study button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trainer.collection import Collection, DeckRow
from trainer.ui.messages import plain_tooltip
from trainer.ui.widgets import text_label

DECKS_NOTE = "Untick a deck to leave it out: its cards are neither studied nor counted, and its history is kept."


class DeckList(QWidget):
    """A compact table of decks; `refresh()` re-reads the counts and switches from the collection."""

    sig_study_deck = Signal(str)
    """Emitted with a deck id when the learner asks to study that deck only."""

    sig_switched = Signal()
    """Emitted after a deck was turned on or off (the home figures change)."""

    def __init__(self, collection: Collection):
        super().__init__()
        self.collection = collection
        self.rows: list[DeckRow] = []
        self.switches: dict[str, QCheckBox] = {}
        self.study_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(text_label("Decks", bold=True, scale=1.2))
        layout.addWidget(text_label(DECKS_NOTE, muted=True))
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(0, 1)
        layout.addLayout(self.grid)

    def refresh(self) -> None:
        self.rows = self.collection.decks()
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.switches.clear()
        self.study_buttons.clear()
        for column, heading in ((1, "due"), (2, "new")):
            self.grid.addWidget(_cell(heading, muted=True), 0, column, Qt.AlignmentFlag.AlignRight)
        for number, row in enumerate(self.rows, 1):
            self._add_row(number, row)

    def _add_row(self, number: int, row: DeckRow) -> None:
        switch = QCheckBox(row.title.replace("&", "&&") + ("  · yours" if row.own else ""))
        switch.setChecked(row.enabled)
        switch.setAccessibleName(f"Study {row.title}")
        detail = f"{row.title}\n{row.description}\n{row.cards} cards · {row.path}".replace("\n\n", "\n")
        switch.setToolTip(plain_tooltip(detail))
        switch.toggled.connect(lambda on, deck_id=row.id: self._switch(deck_id, on))
        self.switches[row.id] = switch
        self.grid.addWidget(switch, number, 0)
        for column, value in ((1, row.due), (2, row.new)):
            cell = _cell(str(value) if row.enabled else "–", muted=not row.enabled)
            self.grid.addWidget(cell, number, column, Qt.AlignmentFlag.AlignRight)
        study = QPushButton("Study")
        study.setObjectName("small")
        study.setAccessibleName(f"Study {row.title} only")
        study.setEnabled(row.enabled and row.due + row.new > 0)
        study.clicked.connect(lambda _=False, deck_id=row.id: self.sig_study_deck.emit(deck_id))
        self.study_buttons[row.id] = study
        self.grid.addWidget(study, number, 3)

    def _switch(self, deck_id: str, on: bool) -> None:
        self.collection.set_deck_enabled(deck_id, on)
        self.sig_switched.emit()


def _cell(text: str, *, muted: bool = False) -> QLabel:
    label = text_label(text, muted=muted)
    label.setWordWrap(False)
    return label
