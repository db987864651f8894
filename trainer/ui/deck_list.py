"""The deck list on home: each deck (bundled and your own) with what is due and new, a switch and a Study button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trainer.collection import Collection, DeckRow
from trainer.ui.messages import plain_tooltip
from trainer.ui.widgets import clear_layout, set_style_property, text_label

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
        self.counts: dict[str, tuple[QLabel, QLabel]] = {}
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
        """Re-read the decks: the rows are updated in place (the list never jumps) unless the decks changed."""
        rows = self.collection.decks()
        if [_shown(row) for row in rows] != [_shown(row) for row in self.rows] or not self.switches:
            self._rebuild(rows)
        for row in rows:
            self._fill_row(row)
        self.rows = rows

    def _rebuild(self, rows: list[DeckRow]) -> None:
        clear_layout(self.grid)
        self.switches.clear()
        self.study_buttons.clear()
        self.counts.clear()
        for column, heading in ((1, "due"), (2, "new")):
            self.grid.addWidget(_cell(heading, muted=True), 0, column, Qt.AlignmentFlag.AlignRight)
        for number, row in enumerate(rows, 1):
            self._add_row(number, row)

    def _add_row(self, number: int, row: DeckRow) -> None:
        switch = QCheckBox(row.title.replace("&", "&&") + ("  · yours" if row.own else ""))
        switch.setAccessibleName(f"Study {row.title}")
        detail = f"{row.title}\n{row.description}\n{row.cards} cards · {row.path}".replace("\n\n", "\n")
        switch.setToolTip(plain_tooltip(detail))
        switch.toggled.connect(lambda on, deck_id=row.id: self._switch(deck_id, on))
        self.switches[row.id] = switch
        self.grid.addWidget(switch, number, 0)
        due, new = _cell(""), _cell("")
        self.counts[row.id] = (due, new)
        self.grid.addWidget(due, number, 1, Qt.AlignmentFlag.AlignRight)
        self.grid.addWidget(new, number, 2, Qt.AlignmentFlag.AlignRight)
        study = QPushButton("Study")
        study.setObjectName("small")
        study.setAccessibleName(f"Study {row.title} only")
        study.clicked.connect(lambda _=False, deck_id=row.id: self.sig_study_deck.emit(deck_id))
        self.study_buttons[row.id] = study
        self.grid.addWidget(study, number, 3)

    def _fill_row(self, row: DeckRow) -> None:
        """A row's switch, counts and Study button from the collection's figures (no signal on the way)."""
        switch = self.switches[row.id]
        switch.blockSignals(True)
        switch.setChecked(row.enabled)
        switch.blockSignals(False)
        for cell, value in zip(self.counts[row.id], (row.due, row.new), strict=True):
            cell.setText(str(value) if row.enabled else "–")
            set_style_property(cell, "muted", not row.enabled)
        self.study_buttons[row.id].setEnabled(row.enabled and row.due + row.new > 0)

    def _switch(self, deck_id: str, on: bool) -> None:
        self.collection.set_deck_enabled(deck_id, on)
        self.sig_switched.emit()


def _shown(row: DeckRow) -> tuple[object, ...]:
    """What a row's widgets show apart from the counts and the switch (a change rebuilds the list)."""
    return row.id, row.title, row.description, row.path, row.own, row.cards


def _cell(text: str, *, muted: bool = False) -> QLabel:
    label = text_label(text, muted=muted)
    label.setWordWrap(False)
    return label
