"""The card browser's item models: the cards (filtered, sorted, fetched a page at a time) and one card's answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from typing_extensions import override

from trainer.collection import CardListing, CardQuery, CardRow, HistoryEntry
from trainer.model import Answer, Library, Phase, Rating

_ROOT = QModelIndex()
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

    The listing filters and sorts in SQL; the model holds the ids and rows fetched so far and asks for the next
    page as the view scrolls (canFetchMore/fetchMore), so opening the browser costs one page whatever the number
    of cards. `row_at(i)` is the i-th shown row, `matched()` how many pass the filters, `total()` how many cards.
    """

    PAGE = 200

    def __init__(self, library: Library, now: Callable[[], datetime]):
        super().__init__()
        self.library = library
        self.now = now
        self.listing: CardListing | None = None
        self.query = CardQuery()
        self.ids: list[str] = []
        self._now = now()  # one instant per arrangement: every page agrees on who is buried
        self._built: dict[str, CardRow] = {}
        self._matched = 0

    def set_listing(self, listing: CardListing) -> None:
        """List from this listing (again after an edit, or a new one after the decks were reloaded)."""
        self.listing, self.library = listing, listing.library
        self._arrange()

    def set_filters(self, *, search: str, topic: str, move: str, context: str, state: str) -> None:
        """Apply every filter at once; empty strings mean 'any'."""
        self.query = replace(self.query, search=search, topic=topic, move=move, context=context, state=state)
        self._arrange()

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        name = COLUMNS[column] if 0 <= column < len(COLUMNS) else ""
        self.query = replace(self.query, order=name, descending=order == Qt.SortOrder.DescendingOrder)
        self._arrange()

    def _arrange(self) -> None:
        self.beginResetModel()
        self.ids, self._built, self._matched = [], {}, 0
        if self.listing is not None:
            self._now = self.now()
            self._matched = self.listing.count(self.query, self._now)
            self._load(self.listing.ids(self.query, self._now, limit=self.PAGE))
        self.endResetModel()

    def _load(self, ids: list[str]) -> None:
        assert self.listing is not None
        rows = self.listing.rows(ids, self._now)
        self._built.update((row.card.id, row) for row in rows)
        self.ids.extend(row.card.id for row in rows)

    def matched(self) -> int:
        """How many cards pass the filters (fetched or not)."""
        return self._matched

    def total(self) -> int:
        """How many cards the listing has, filtered or not."""
        return self.listing.total() if self.listing is not None else 0

    def row_at(self, position: int) -> CardRow:
        return self._built[self.ids[position]]

    def position_of(self, card_id: str) -> int | None:
        """Where a card is shown (fetching up to it), or None if the filters hide it."""
        if card_id in self._built:
            return self.ids.index(card_id)
        if self.listing is None:
            return None
        every = self.listing.ids(self.query, self._now)
        if card_id not in every:
            return None
        position = every.index(card_id)
        self.beginInsertRows(QModelIndex(), len(self.ids), position)
        self._load(every[len(self.ids) : position + 1])
        self.endInsertRows()
        return position

    @override
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and len(self.ids) < self._matched

    @override
    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if parent.isValid() or self.listing is None or len(self.ids) >= self._matched:
            return
        more = self.listing.ids(self.query, self._now, offset=len(self.ids), limit=self.PAGE)
        if not more:
            return
        self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(more) - 1)
        self._load(more)
        self.endInsertRows()

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.ids)

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
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        row, column = self.row_at(index.row()), COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
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
