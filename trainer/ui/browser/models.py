"""The card browser's item models: the cards (filtered, sorted, fetched a page at a time) and one card's answers."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from typing_extensions import override

from trainer.collection import CardRow, HistoryEntry
from trainer.model import Answer, CardId, Library, Phase, Rating, TextIndex

_ROOT = QModelIndex()
SORT_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = (
    "Situation",
    "Topic",
    "Move",
    "Context",
    "Kind",
    "State",
    "Due",
    "Stability",
    "Difficulty",
    "Reviews",
    "Lapses",
    "Last rating",
)
NUMERIC = {"Stability", "Difficulty", "Reviews", "Lapses"}
PHASE_NAMES = {Phase.NEW: "New", Phase.LEARNING: "Learning", Phase.REVIEW: "Review", Phase.RELEARNING: "Relearning"}
RATING_NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}
QUALITY_WORDS = {3: "best", 2: "acceptable", 1: "weak", 0: "harmful"}
STATES = ("New", "Learning", "Review", "Relearning", "Suspended", "Buried")
ALL = ""
COLUMN_WIDTH = 150  # widest a column starts; the situation takes the rest (tooltips and details hold all text)


def state_text(row: CardRow) -> str:
    """'Review', or 'Review · suspended' / 'New · buried' for a card kept out of study."""
    marks = [word for word, on in (("suspended", row.suspended), ("buried", row.buried)) if on]
    return " · ".join([PHASE_NAMES[row.phase], *marks])


def short_moment(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


class CardTableModel(QAbstractTableModel):
    """The cards that pass the filters, in the chosen order, as rows (CardRow values); read-only.

    Filtering and sorting happen once over plain values when a filter or the order changes; the view gets
    rows a page at a time as it scrolls (canFetchMore/fetchMore), so opening the browser costs one page of
    items, not one per card. `rows` holds every card, `row_at(i)` the i-th shown one.
    """

    PAGE = 200

    def __init__(self, rows: list[CardRow], library: Library, index: TextIndex):
        super().__init__()
        self.library = library
        self.texts = index
        self.rows: list[CardRow] = rows
        self.shown: list[CardRow] = []
        self.loaded = 0
        self.search = ""
        self.topic = self.move = self.context = self.state = ALL
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._found: set[CardId] = set()
        self._situation_rank: dict[CardId, int] | None = None
        self._arrange()

    def set_rows(self, rows: list[CardRow], library: Library, index: TextIndex) -> None:
        """New rows (after an edit, or decks reloaded), with the library and text index they come from."""
        self.beginResetModel()
        self.rows, self.library, self.texts = rows, library, index
        self._situation_rank = None
        self._arrange()
        self.endResetModel()

    def set_filters(self, *, search: str, topic: str, move: str, context: str, state: str) -> None:
        """Apply every filter at once; empty strings mean 'any'."""
        self.beginResetModel()
        self.search = search.strip().casefold()
        self.topic, self.move, self.context, self.state = topic, move, context, state
        self._arrange()
        self.endResetModel()

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self.sort_column, self.sort_order = column, order
        self._arrange()
        self.endResetModel()

    def _arrange(self) -> None:
        self._found = self.texts.matching(self.search) if self.search else set()
        shown = [row for row in self.rows if self._accepts(row)]
        if 0 <= self.sort_column < len(COLUMNS):
            column = COLUMNS[self.sort_column]
            keyed = [(self._sort_key(row, column), index, row) for index, row in enumerate(shown)]
            keyed.sort(key=lambda item: item[0], reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
            shown = [row for _, _, row in keyed]
        self.shown = shown
        self.loaded = min(self.PAGE, len(shown))

    def _accepts(self, row: CardRow) -> bool:
        card = row.card
        if (self.topic and card.topic != self.topic) or (self.move and card.move != self.move):
            return False
        if self.context and card.context != self.context:
            return False
        if self.state and not _in_state(row, self.state):
            return False
        return not self.search or card.id in self._found

    def matched(self) -> int:
        """How many cards pass the filters (fetched or not)."""
        return len(self.shown)

    def row_at(self, position: int) -> CardRow:
        return self.shown[position]

    def position_of(self, card_id: str) -> int | None:
        """Where a card is shown (fetching up to it), or None if the filters hide it."""
        position = next((i for i, row in enumerate(self.shown) if row.card.id == card_id), None)
        if position is not None and position >= self.loaded:
            self.beginInsertRows(QModelIndex(), self.loaded, position)
            self.loaded = position + 1
            self.endInsertRows()
        return position

    @override
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and self.loaded < len(self.shown)

    @override
    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if parent.isValid():
            return
        more = min(self.PAGE, len(self.shown) - self.loaded)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self.loaded, self.loaded + more - 1)
        self.loaded += more
        self.endInsertRows()

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self.loaded

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    @override
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    @override
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self.loaded:
            return None
        row, column = self.shown[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "Due" and row.due:
                return short_moment(row.due)
            return self._text(row, column)  # the whole text of a cell the column may elide
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (row.suspended or row.buried):
            return MARK_COLOURS["suspended" if row.suspended else "buried"]
        if role == Qt.ItemDataRole.DecorationRole and column == "State" and (row.suspended or row.buried):
            return mark_icon("suspended" if row.suspended else "buried")
        return None

    def _text(self, row: CardRow, column: str) -> str:
        card, taxonomy = row.card, self.library.taxonomy
        match column:
            case "Situation":
                return card.situation  # the one column that reads the card's text (loaded when first shown)
            case "Topic":
                return taxonomy.topics[card.topic]
            case "Move":
                return taxonomy.moves[card.move]
            case "Context":
                return taxonomy.contexts[card.context]
            case "Kind":
                return card.kind.capitalize()
            case "State":
                return state_text(row)
            case "Due":
                return f"{row.due.astimezone():%Y-%m-%d}" if row.due else "–"
            case "Stability":
                return f"{row.stability:.1f} d" if row.stability is not None else "–"
            case "Difficulty":
                return f"{row.difficulty:.1f}" if row.difficulty is not None else "–"
            case "Reviews":
                return str(row.tally.reviews if row.tally else 0)
            case "Lapses":
                return str(row.tally.lapses if row.tally else 0)
            case _:
                return RATING_NAMES[row.tally.last_rating] if row.tally else "–"

    def _sort_key(self, row: CardRow, column: str) -> str | float | int:
        # Missing values sort after every real one in ascending order.
        if column == "Due":
            return row.due.timestamp() if row.due else float("inf")
        if column == "Stability":
            return row.stability if row.stability is not None else float("inf")
        if column == "Difficulty":
            return row.difficulty if row.difficulty is not None else float("inf")
        if column == "Reviews":
            return row.tally.reviews if row.tally else 0
        if column == "Lapses":
            return row.tally.lapses if row.tally else 0
        if column == "Last rating":
            return int(row.tally.last_rating) if row.tally else 0
        if column == "State":
            return f"{int(row.phase)} {state_text(row)}"
        if column == "Situation":  # ordered by the text index, so sorting reads no card's text
            if self._situation_rank is None:
                self._situation_rank = {card_id: k for k, card_id in enumerate(self.texts.by_situation())}
            return self._situation_rank.get(row.card.id, len(self._situation_rank))
        return self._text(row, column).casefold()


MARK_COLOURS = {"suspended": QColor("#b3261e"), "buried": QColor("#8a6d00")}


def mark_icon(mark: str) -> QIcon:
    """A small filled square (suspended) or circle (buried) in the mark's colour, beside the state."""
    icons = _ICONS
    if mark not in icons:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MARK_COLOURS[mark])
        if mark == "suspended":
            painter.drawRect(1, 1, 10, 10)
        else:
            painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icons[mark] = QIcon(pixmap)
    return icons[mark]


_ICONS: dict[str, QIcon] = {}


def _in_state(row: CardRow, state: str) -> bool:
    if state == "Suspended":
        return row.suspended
    if state == "Buried":
        return row.buried
    return PHASE_NAMES[row.phase] == state


class HistoryModel(QAbstractTableModel):
    """One card's answers, newest first: when, rating, the option's quality, time taken, next due."""

    HEADERS = ("Answered", "Rating", "Choice", "Time", "Next due")

    def __init__(self):
        super().__init__()
        self.entries: list[HistoryEntry] = []
        self.answers: list[Answer] = []

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        """Show these answers (given oldest first), newest at the top."""
        self.beginResetModel()
        self.entries = entries[::-1]
        self.answers = [entry.answer for entry in self.entries]
        self.endResetModel()

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.answers)

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    @override
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    @override
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid() or not 0 <= index.row() < len(self.answers):
            return None
        answer = self.answers[index.row()]
        if index.column() == 0:
            return short_moment(answer.reviewed_at)
        if index.column() == 1:
            return RATING_NAMES[answer.rating]
        if index.column() == 2:
            return "recalled" if answer.quality is None else QUALITY_WORDS.get(answer.quality, str(answer.quality))
        if index.column() == 3:
            return f"{answer.duration_ms / 1000:.0f} s"
        return short_moment(self.entries[index.row()].due_after)
