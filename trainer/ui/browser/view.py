"""The card browser: every card in a sortable, searchable, filterable table; details, history and card actions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trainer.collection import CardRow, Collection
from trainer.model import CardKind, Phase
from trainer.ui import messages
from trainer.ui.browser.models import (
    ALL,
    COLUMNS,
    STATES,
    CardTableModel,
    HistoryModel,
    state_text,
)
from trainer.ui.explanation import evidence_text, tier_text
from trainer.ui.widgets import WrappingPanel, text_label


class ResetDialog:
    """The confirmation before resetting progress; `ask` is what tests replace."""

    @classmethod
    def ask(cls, parent: QWidget, cards: int, answers: int) -> bool:
        """Ask whether to reset `cards` cards that have `answers` recorded answers; True to go ahead."""
        noun = "card" if cards == 1 else "cards"
        text = (
            f"Reset the progress of {cards} {noun}?\n\n"
            f"This deletes their schedules and their {answers} recorded answer{'s' if answers != 1 else ''} "
            "(the statistics lose them too). The cards come back as new. This cannot be undone."
        )
        return messages.confirm(parent, "Reset progress", text, "Reset")


class BrowserView(QWidget):
    """Browse every card; suspend, unsuspend, bury or reset the selected ones."""

    sig_home_requested = Signal()
    """Emitted when the learner asks to leave (Esc; the menu bar's Home button goes home by itself)."""

    def __init__(self, collection: Collection):
        super().__init__()
        self.collection = collection
        self.library = collection.library
        self.model = CardTableModel(self.library, lambda: collection.study.clock())
        self.history = HistoryModel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_filters())
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_table())
        self.details = self._build_details()
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._build_actions())
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Escape"), self, context=context).activated.connect(self.sig_home_requested)
        self._show_selected()

    # Building -------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.addWidget(text_label("Browse cards", bold=True, scale=1.6), 1)
        # How many cards the filters show: beside the title, so that the filter row fits 1024 px at text size +4.
        self.shown = text_label(muted=True)
        self.shown.setWordWrap(False)
        header.addWidget(self.shown, 0, Qt.AlignmentFlag.AlignBottom)
        return header  # Home (Esc) has one place on every screen: the right of the menu bar

    def _combo(self, everything: str, choices: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, ALL)
        for code, name in choices.items():
            combo.addItem(name, code)
        combo.setAccessibleName(everything)
        combo.currentIndexChanged.connect(self._on_filters_changed)
        return combo

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the cards' text")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_filters_changed)
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 18)
        taxonomy = self.library.taxonomy
        self.topic_filter = self._combo("All topics", taxonomy.topics)
        self.move_filter = self._combo("All moves", taxonomy.moves)
        self.context_filter = self._combo("All contexts", taxonomy.contexts)
        self.state_filter = self._combo("All states", {state: state for state in STATES})
        row.addWidget(self.search, 2)
        for combo in (self.topic_filter, self.move_filter, self.context_filter, self.state_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            row.addWidget(combo, 1)
        return row

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._fit_columns()
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        return self.table

    def _build_details(self) -> QWidget:
        """Below the table: the selected card's full text (left) and its review history (right)."""
        text = WrappingPanel()
        column = QVBoxLayout(text)
        column.setContentsMargins(4, 4, 12, 4)
        column.setSpacing(8)
        self.detail_title = text_label(bold=True, scale=1.1)
        self.detail_situation = text_label()
        self.detail_prompt = text_label(bold=True)
        self.detail_options = text_label()
        self.detail_principle = text_label(bold=True)
        self.detail_explanation = text_label(muted=True)
        self.detail_meta = text_label(muted=True)
        self.detail_body = (
            self.detail_situation,
            self.detail_prompt,
            self.detail_options,
            self.detail_principle,
            self.detail_explanation,
            self.detail_meta,
        )
        """The detail labels under the title, hidden while no single card is selected."""
        for label in (self.detail_title, *self.detail_body):
            column.addWidget(label)
        self.contrast_button = QPushButton()
        self.contrast_button.setToolTip("Select the paired card: same move, one fact changed")
        self.contrast_button.clicked.connect(self._select_partner)
        self.contrast_button.hide()
        column.addWidget(self.contrast_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(text)
        history = QWidget()
        side = QVBoxLayout(history)
        side.setContentsMargins(12, 4, 0, 4)
        side.addWidget(text_label("Review history", bold=True))
        self.history_table = QTableView()
        self.history_table.setModel(self.history)
        self.history_table.verticalHeader().hide()
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        side.addWidget(self.history_table, 1)
        self.no_history = text_label("Not answered yet.", muted=True)
        side.addWidget(self.no_history)
        side.addStretch(0)
        panel = QWidget()
        row = QHBoxLayout(panel)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(scroll, 3)
        row.addWidget(history, 2)
        panel.setMinimumHeight(120)
        return panel

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.suspend_button = QPushButton("Suspend")
        self.suspend_button.clicked.connect(lambda: self._on_suspend(True))
        self.unsuspend_button = QPushButton("Unsuspend")
        self.unsuspend_button.clicked.connect(lambda: self._on_suspend(False))
        self.bury_button = QPushButton("Bury until tomorrow")
        self.bury_button.clicked.connect(self._on_bury)
        self.reset_button = QPushButton("Reset progress…")
        self.reset_button.clicked.connect(self._on_reset)
        for button in (self.suspend_button, self.unsuspend_button, self.bury_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        self.details_button = QPushButton("Hide details")
        self.details_button.setCheckable(True)
        self.details_button.setToolTip("Collapse or show the selected card's text and history (D)")
        self.details_button.toggled.connect(self._on_details_toggled)
        QShortcut(QKeySequence("D"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut).activated.connect(
            self.details_button.toggle
        )
        row.addWidget(self.details_button)
        self.selection_note = text_label(muted=True)
        self.selection_note.setWordWrap(False)
        row.addWidget(self.selection_note)
        return row

    # Behaviour ------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read every card from the database, keeping the filters and the selection."""
        selected = {row.card.id for row in self.selected_rows()}
        self.model.set_listing(self.collection.card_listing())
        self.library = self.model.library
        selection = self.table.selectionModel()
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).card.id in selected:
                flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                selection.select(self.model.index(row, 0), flags)
        self._update_count()
        self._show_selected()

    def selected_rows(self) -> list[CardRow]:
        """The selected cards, in table order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(row) for row in rows]

    def _on_filters_changed(self) -> None:
        self.model.set_filters(
            search=self.search.text(),
            topic=self.topic_filter.currentData(),
            move=self.move_filter.currentData(),
            context=self.context_filter.currentData(),
            state=self.state_filter.currentData(),
        )
        self._update_count()

    def _update_count(self) -> None:
        self.shown.setText(f"{self.model.matched()} of {self.model.total()} cards")

    def _show_selected(self) -> None:
        rows = self.selected_rows()
        for button in (self.suspend_button, self.unsuspend_button, self.bury_button, self.reset_button):
            button.setEnabled(bool(rows))
        self.unsuspend_button.setEnabled(any(row.suspended for row in rows))
        self.suspend_button.setEnabled(any(not row.suspended for row in rows))
        self.reset_button.setEnabled(any(row.tally or row.phase != Phase.NEW for row in rows))
        self.selection_note.setText(f"{len(rows)} selected" if len(rows) > 1 else "")
        self._show_card(rows[0] if len(rows) == 1 else None, len(rows))

    def _show_card(self, row: CardRow | None, selected: int) -> None:
        self.partner_id = row.card.contrast if row is not None else ""
        self.contrast_button.setVisible(bool(self.partner_id))
        self.contrast_button.setText(f"Contrast pair: {self.partner_id}")
        if row is None:
            self.detail_title.setText(f"{selected} cards selected" if selected else "Select a card to see it here.")
            for label in self.detail_body:
                label.setText("")
                label.hide()
            self.history.set_entries([])
            self.history_table.hide()
            self.no_history.hide()
            return
        card = row.card
        self.detail_title.setText(f"{card.id} · {state_text(row)}")
        self.detail_situation.setText(card.situation)
        self.detail_prompt.setText(card.prompt)
        if card.kind == CardKind.CHOICE:
            lines = [f"• {tier_text(o.quality)}: {o.text}" for o in card.options]
            self.detail_options.setText("\n".join(lines))
        else:
            self.detail_options.setText(f"Recommended response: {card.answer}")
        self.detail_principle.setText(card.principle)
        self.detail_explanation.setText(card.explanation)
        meta = [f"Evidence: {evidence_text(card)}"]
        if card.response:
            meta.insert(0, f"Key: {card.response}")
        self.detail_meta.setText(" · ".join(meta))
        for label in self.detail_body:
            label.show()
        self.history.set_entries(self.collection.history(card.id))
        self.history_table.setVisible(self.history.rowCount() > 0)
        self.history_table.resizeColumnsToContents()
        self.no_history.setVisible(self.history.rowCount() == 0)

    def _select_partner(self) -> None:
        """Select the shown card's contrast partner, clearing the filters if they hide it."""
        if not self.partner_id:
            return
        if self.select_card(self.partner_id):
            return
        self.search.clear()
        for combo in (self.topic_filter, self.move_filter, self.context_filter, self.state_filter):
            combo.setCurrentIndex(0)
        self.select_card(self.partner_id)

    def select_card(self, card_id: str) -> bool:
        """Select one card by id and scroll to it; False if the filters hide it."""
        position = self.model.position_of(card_id)
        if position is None:
            return False
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))
        return True

    def _fit_columns(self) -> None:
        """Every column but the situation as wide as its header or its widest typical value, from the font:
        the widths never depend on which rows are shown, so they do not jump when a filter changes, and the
        situation column takes the rest of the width whatever the text size."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        header_metrics = header.fontMetrics()
        taxonomy = self.library.taxonomy
        samples = {
            "Topic": list(taxonomy.topics.values()),
            "Move": list(taxonomy.moves.values()),
            "Context": list(taxonomy.contexts.values()),
            "Kind": [kind.capitalize() for kind in CardKind],
            "State": ["Relearning · suspended"],
            "Due": ["2026-12-31"],
            "Stability": ["999.9 d"],
            "Difficulty": ["10.0"],
            "Reviews": ["9999"],
            "Lapses": ["999"],
            "Last rating": ["Again"],
        }
        caps = {"Topic": 12, "Move": 12, "Context": 11, "State": 12}  # in average characters; tooltips hold the rest
        average = metrics.averageCharWidth()
        wanted: dict[str, int] = {}
        for name in COLUMNS[1:]:
            widest = max([metrics.horizontalAdvance(text) for text in samples[name]], default=0)
            if name in caps:
                widest = min(widest, caps[name] * average) if widest else caps[name] * average
            if name == "State":
                widest += 18  # the mark's icon
            wanted[name] = int(max(widest, header_metrics.horizontalAdvance(name) + 16) + 12)
        # The situation keeps at least a third of the table: text columns give way first, then the least needed go.
        room = max(self.width() - 60, 200)  # the table spans the view, less its margins and scroll bar
        budget = int(room * 0.66)
        for name in ("Topic", "Move", "Context", "State"):
            excess = sum(wanted.values()) - budget
            if excess <= 0:
                break
            wanted[name] = max(wanted[name] - excess, 8 * average)
        hidden: set[str] = set()
        for name in ("Difficulty", "Lapses", "Kind", "Stability", "Context", "Last rating"):
            if sum(w for n, w in wanted.items() if n not in hidden) <= budget:
                break
            hidden.add(name)
        for column, name in enumerate(COLUMNS[1:], start=1):
            self.table.setColumnHidden(column, name in hidden)
            self.table.setColumnWidth(column, wanted[name])
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 6)
        header.setMinimumHeight(header_metrics.height() + 10)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_columns()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_columns()

    def _on_details_toggled(self, hidden: bool) -> None:
        self.details.setVisible(not hidden)
        self.details_button.setText("Show details" if hidden else "Hide details")

    def _ids(self) -> list[str]:
        return [row.card.id for row in self.selected_rows()]

    def _on_suspend(self, suspended: bool) -> None:
        self.collection.set_suspended(self._ids(), suspended)
        self._after_action()

    def _on_bury(self) -> None:
        self.collection.bury(self._ids())
        self._after_action()

    def _on_reset(self) -> None:
        rows = [row for row in self.selected_rows() if row.tally or row.phase != Phase.NEW]
        answers = sum(row.tally.reviews for row in rows if row.tally)
        if not rows or not ResetDialog.ask(self, len(rows), answers):
            return
        self.collection.reset([row.card.id for row in rows])
        self._after_action()

    def _after_action(self) -> None:
        self.refresh()
