"""The card browser: item models checked by qtmodeltester, search, filters, sorting, details and card actions."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication
from sqlite_utils import Database

from trainer import paths
from trainer.library.search import TextScan
from trainer.model import Phase, Rating
from trainer.storage.card_table import CardTable
from trainer.storage.content_cache import cached_library
from trainer.storage.migrations import migrations
from trainer.study.browsing import CardListing, CardQuery
from trainer.study.days import day_bounds
from trainer.ui.browser.models import COLUMNS, PHASE_NAMES, STATES
from trainer.ui.browser.view import BrowserView, ResetDialog
from trainer.ui.main_window import MainWindow


@pytest.fixture
def answered(session, library, clock):
    """Six cards answered, one of them three times (Good, then Again as a review, then Good)."""
    cards = [card for card in library.cards.values() if card.topic == "T2"][:6]
    for card in cards:
        session.answer(card, Rating.EASY if card is cards[0] else Rating.GOOD, duration_ms=6000)
    clock.advance(days=12)
    session.answer(cards[0], Rating.AGAIN, duration_ms=9000)
    clock.advance(minutes=10)
    session.answer(cards[0], Rating.GOOD, duration_ms=4000)
    return cards


@pytest.fixture
def browser(qtbot, session, library, answered, collection):
    view = BrowserView(collection)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.refresh()
    return view


def shown_ids(view: BrowserView) -> list[str]:
    while view.model.canFetchMore():
        view.model.fetchMore()
    return [view.model.row_at(row).card.id for row in range(view.model.rowCount())]


def select(view: BrowserView, *card_ids: str) -> None:
    view.table.clearSelection()
    selection = view.table.selectionModel()
    for row, card_id in enumerate(shown_ids(view)):
        if card_id in card_ids:
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            selection.select(view.model.index(row, 0), flags)


def pick(combo, code: str) -> None:
    combo.setCurrentIndex(combo.findData(code))


def test_every_item_model_passes_the_model_tester(qtmodeltester, browser, answered):
    qtmodeltester.check(browser.model)
    select(browser, answered[0].id)
    assert browser.history.rowCount() == 3
    qtmodeltester.check(browser.history)


def test_every_card_is_listed_with_its_columns(browser, library, answered, session):
    assert len(shown_ids(browser)) == len(library.cards)
    assert browser.shown.text() == f"{len(library.cards)} of {len(library.cards)} cards"
    row = shown_ids(browser).index(answered[0].id)
    cells = [browser.model.index(row, column).data() for column in range(browser.model.columnCount())]
    card = answered[0]
    taxonomy = library.taxonomy
    assert cells[:6] == [
        card.situation,
        taxonomy.topics[card.topic],
        taxonomy.moves[card.move],
        taxonomy.contexts[card.context],
        card.kind.capitalize(),
        "Review",
    ]
    assert cells[9:] == ["3", "1", "Good"]  # three answers, one lapse (Again on a review), last rating Good
    new_row = next(i for i, c in enumerate(shown_ids(browser)) if c not in session.store.started_card_ids())
    assert browser.model.index(new_row, 5).data() == "New"
    assert browser.model.index(new_row, 6).data() == "–"


def test_search_finds_text_anywhere_in_the_card(browser, library):
    browser.search.setText("LAUNDRY")
    expected = [
        c.id for c in library.cards.values() if "laundry" in (c.situation + "".join(o.text for o in c.options)).lower()
    ]
    assert expected
    assert sorted(shown_ids(browser)) == sorted(expected)
    assert browser.shown.text() == f"{len(expected)} of {len(library.cards)} cards"
    browser.search.setText("no card says this")
    assert shown_ids(browser) == []
    browser.search.clear()
    assert len(shown_ids(browser)) == len(library.cards)


def test_filters_by_topic_move_context_and_state(browser, library, answered):
    pick(browser.topic_filter, "T2")
    assert sorted(shown_ids(browser)) == sorted(c.id for c in library.cards.values() if c.topic == "T2")
    move = answered[1].move
    pick(browser.move_filter, move)
    expected = [c.id for c in library.cards.values() if c.topic == "T2" and c.move == move]
    assert sorted(shown_ids(browser)) == sorted(expected)
    pick(browser.move_filter, "")
    pick(browser.topic_filter, "")
    context = answered[2].context
    pick(browser.context_filter, context)
    assert sorted(shown_ids(browser)) == sorted(c.id for c in library.cards.values() if c.context == context)
    pick(browser.context_filter, "")
    pick(browser.state_filter, "Review")
    assert shown_ids(browser) == [answered[0].id]
    pick(browser.state_filter, "Learning")
    assert sorted(shown_ids(browser)) == sorted(c.id for c in answered[1:])
    pick(browser.state_filter, "New")
    assert len(shown_ids(browser)) == len(library.cards) - len(answered)


def test_sorting_by_a_number_column(browser, answered):
    reviews = browser.model.columnCount() - 3
    browser.table.sortByColumn(reviews, Qt.SortOrder.DescendingOrder)
    assert shown_ids(browser)[0] == answered[0].id
    browser.table.sortByColumn(reviews, Qt.SortOrder.AscendingOrder)
    assert shown_ids(browser)[-1] == answered[0].id
    due = 6
    browser.table.sortByColumn(due, Qt.SortOrder.AscendingOrder)
    assert set(shown_ids(browser)[: len(answered)]) == {c.id for c in answered}  # new cards (no due) sort last


def test_selected_card_shows_its_full_text_and_history(browser, answered, library):
    card = answered[0]
    select(browser, card.id)
    assert browser.detail_situation.text() == card.situation
    assert browser.detail_prompt.text() == card.prompt
    assert browser.detail_principle.text() == card.principle
    for option in card.options:
        assert option.text in browser.detail_options.text()
    history = [[browser.history.index(r, c).data() for c in range(5)] for r in range(browser.history.rowCount())]
    assert [row[1] for row in history] == ["Good", "Again", "Easy"]  # newest first
    assert [row[2] for row in history] == ["recalled"] * 3
    assert [row[3] for row in history] == ["4 s", "9 s", "6 s"]
    assert not browser.history_table.isHidden()
    new_card = next(c for c in library.cards.values() if c not in answered)
    select(browser, new_card.id)
    assert browser.history.rowCount() == 0
    assert not browser.no_history.isHidden()
    assert not browser.reset_button.isEnabled()


def test_suspend_keeps_a_card_out_of_study_until_unsuspended(browser, session, answered, library):
    first_new = session.next_card()
    select(browser, first_new.id)
    browser.suspend_button.click()
    assert first_new.id in session.store.suspended_card_ids()
    assert session.next_card().id != first_new.id
    pick(browser.state_filter, "Suspended")
    assert shown_ids(browser) == [first_new.id]
    select(browser, first_new.id)
    assert browser.unsuspend_button.isEnabled()
    assert not browser.suspend_button.isEnabled()
    browser.unsuspend_button.click()
    assert session.store.suspended_card_ids() == set()
    assert shown_ids(browser) == []
    assert session.next_card().id == first_new.id


def test_a_suspended_review_card_is_not_counted_or_shown(browser, session, answered, clock):
    clock.advance(days=60)  # everything studied is due again
    due_before = session.counts().review
    select(browser, answered[0].id)
    browser.suspend_button.click()
    assert session.counts().review == due_before - 1
    shown = set()
    while (card := session.next_card()) is not None and card.id not in shown and len(shown) < 40:
        shown.add(card.id)
        session.answer(card, Rating.GOOD)
    assert answered[0].id not in shown


def test_bury_hides_a_card_until_the_next_learning_day(browser, session, clock):
    card = session.next_card()
    phase = browser.model.row_at(browser.model.position_of(card.id)).phase
    select(browser, card.id)
    browser.bury_button.click()
    row = shown_ids(browser).index(card.id)
    assert browser.model.index(row, 5).data() == f"{PHASE_NAMES[phase]} · buried"
    assert session.next_card().id != card.id
    _, tomorrow = day_bounds(clock(), UTC, session.settings.day_start_hour)
    clock.now = tomorrow - timedelta(seconds=1)
    assert card.id in session.store.held_card_ids(clock())
    clock.now = tomorrow
    assert card.id not in session.store.held_card_ids(clock())
    due = session.store.due_card_ids(tuple(Phase), tomorrow + timedelta(days=1), 200, now=clock())
    assert phase == Phase.LEARNING  # the answered cards' learning steps are due first
    assert card.id in {card_id for card_id, _ in due}


def test_reset_asks_first_and_then_forgets_the_card(browser, session, answered, monkeypatch):
    card = answered[0]
    asked = []

    def decline(cls, parent, cards: int, answers: int) -> bool:
        asked.append((cards, answers))
        return False

    monkeypatch.setattr(ResetDialog, "ask", classmethod(decline))
    select(browser, card.id, answered[1].id)
    browser.reset_button.click()
    assert asked == [(2, 4)]  # two cards with 3 + 1 answers
    assert session.store.schedule(card.id) is not None  # declined: nothing changed

    monkeypatch.setattr(ResetDialog, "ask", classmethod(lambda cls, parent, cards, answers: True))
    select(browser, card.id)
    browser.reset_button.click()
    assert session.store.schedule(card.id) is None
    assert session.store.answers(card.id) == []
    assert card.id not in session.store.started_card_ids()
    row = browser.model.row_at(browser.model.position_of(card.id))
    assert (row.phase, row.tally) == (Phase.NEW, None)
    # Undo skips the deleted answers: it takes back the last answer still there, the last card's first.
    assert session.undo().id == answered[-1].id
    assert session.store.schedule(answered[-1].id) is None


def test_b_opens_the_browser_from_home(qtbot, session, library, collection):
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_B)
    assert window.pages.currentWidget() is window.browser
    assert window.browser.model.total() == len(library.cards)
    window.browser.search.setFocus()
    qtbot.keyClicks(window.browser.search, "tb")  # typing in the search box is not taken by the T and B keys
    assert window.browser.search.text() == "tb"
    assert window.pages.currentWidget() is window.browser
    qtbot.keyClick(window.browser.table, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.home


def test_migration_moves_a_suspension_from_the_schedule_to_the_card_marks(tmp_path):
    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m003_card_marks")
    row = {"card_id": "t1-m12-p-01", "phase": 2, "due": "2026-11-23T09:00:00.000000+00:00", "fsrs": "{}"}
    db.table("schedules").insert({**row, "suspended": 1})
    db.table("schedules").insert({**row, "card_id": "t1-m12-w-01", "suspended": 0})
    migrations.apply(db)
    assert [r["card_id"] for r in db.query("select card_id from card_marks where suspended = 1")] == ["t1-m12-p-01"]
    assert "suspended" not in {column.name for column in db.table("schedules").columns}  # m006 dropped it


def test_rows_are_fetched_a_page_at_a_time_as_the_table_scrolls(browser, library, monkeypatch):
    monkeypatch.setattr(type(browser.model), "PAGE", 25)
    browser.refresh()
    assert browser.model.rowCount() == 25  # only the first page is built
    assert browser.model.canFetchMore()
    assert browser.shown.text() == f"{len(library.cards)} of {len(library.cards)} cards"
    browser.table.scrollToBottom()
    assert browser.model.rowCount() > 25
    last = list(library.cards)[-1]
    assert browser.select_card(last)  # a card beyond the fetched rows is fetched and selected
    assert [row.card.id for row in browser.selected_rows()] == [last]


def test_suspended_and_buried_rows_are_marked_and_widths_stay_on_filter(browser, session, answered):
    select(browser, answered[1].id)
    browser.suspend_button.click()
    select(browser, answered[2].id)
    browser.bury_button.click()
    ids = shown_ids(browser)
    suspended, buried, plain = (ids.index(c.id) for c in answered[1:4])
    state = 5
    model = browser.model
    colour = Qt.ItemDataRole.ForegroundRole
    assert model.index(suspended, 0).data(colour) != model.index(buried, 0).data(colour)
    assert model.index(plain, 0).data(colour) is None
    assert model.index(suspended, state).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(plain, state).data(Qt.ItemDataRole.DecorationRole) is None
    widths = [browser.table.columnWidth(c) for c in range(model.columnCount())]
    browser.search.setText("laundry")
    assert [browser.table.columnWidth(c) for c in range(model.columnCount())] == widths


def test_the_detail_pane_collapses(browser):
    browser.show()
    assert browser.details.isVisible()
    browser.details_button.click()
    assert not browser.details.isVisible()
    assert browser.details_button.text() == "Show details"
    browser.details_button.click()
    assert browser.details.isVisible()


def test_at_text_size_plus_4_the_browser_fits_a_1024_wide_window(qtbot, collection, qapp):
    from PySide6.QtWidgets import QStyleFactory

    from trainer.ui.theme import apply_theme

    palette, sheet, font, style = qapp.palette(), qapp.styleSheet(), qapp.font(), qapp.style().name()
    apply_theme(qapp, "light", 4, 10)
    try:
        window = MainWindow(collection)
        qtbot.addWidget(window)
        window.resize(1024, 768)
        window.show()
        window.show_browser()
        view = window.pages.currentWidget()
        assert isinstance(view, BrowserView)
        view.shown.setText("50,000 of 50,000 cards")  # a large collection's count
        QApplication.processEvents()
        assert view.minimumSizeHint().width() <= 1024 - 32
        assert view.width() <= window.width()
    finally:
        qapp.setStyle(QStyleFactory.create(style))
        qapp.setPalette(palette)
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def _reference_key(row, column: str, taxonomy):
    """The order the browser promises, worked out in Python: missing values after real ones (ascending)."""
    missing = float("inf")
    tally = row.tally
    return {
        "Situation": row.card.situation.casefold(),
        "Topic": taxonomy.topics[row.card.topic].casefold(),
        "Move": taxonomy.moves[row.card.move].casefold(),
        "Context": taxonomy.contexts[row.card.context].casefold(),
        "Kind": row.card.kind,
        "State": (int(row.phase), row.suspended, row.buried),
        "Due": row.due.timestamp() if row.due else missing,
        "Stability": missing if row.stability is None else row.stability,
        "Difficulty": missing if row.difficulty is None else row.difficulty,
        "Reviews": tally.reviews if tally else 0,
        "Lapses": tally.lapses if tally else 0,
        "Last rating": int(tally.last_rating) if tally else 0,
    }[column]


@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_in_sql_as_the_values_it_shows(browser, session, answered, library, descending):
    session.set_suspended([answered[1].id], True)
    session.bury([answered[2].id])
    browser.refresh()
    in_deck_order = [browser.model.row_at(i) for i in range(len(shown_ids(browser)))]
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for column, name in enumerate(COLUMNS):
        expected = sorted(in_deck_order, key=lambda r: _reference_key(r, name, library.taxonomy), reverse=descending)
        browser.table.sortByColumn(column, order)
        assert shown_ids(browser) == [r.card.id for r in expected], name


def test_each_state_filter_lists_the_cards_in_that_state(browser, session, answered, library):
    session.set_suspended([answered[1].id], True)
    session.bury([answered[2].id])
    browser.refresh()
    every = [browser.model.row_at(i) for i in range(len(shown_ids(browser)))]
    for state in STATES:
        pick(browser.state_filter, state)
        expected = [r.card.id for r in every if _in_state(r, state)]
        assert shown_ids(browser) == expected, state
        assert browser.model.matched() == len(expected)
        assert expected or state == "Relearning"


def _in_state(row, state: str) -> bool:
    if state == "Suspended":
        return row.suspended
    if state == "Buried":
        return row.buried
    return PHASE_NAMES[row.phase] == state


def test_the_content_caches_card_index_counts_and_lists_as_a_fresh_load_does(
    browser, session, answered, library, data_dir, clock
):
    """The app reads the content cache's card table (attached); a fresh load gets a temporary copy: same answers."""
    session.set_suspended([answered[1].id], True)
    session.bury([answered[2].id])
    cached_library(paths.content_dir(), data_dir)
    cached = cached_library(paths.content_dir(), data_dir)
    assert cached.text_index is not None
    from_cache = CardListing(CardTable(session.store, cached), cached, cached.text_index)
    fresh = CardListing(CardTable(session.store, library), library, TextScan(library))
    queries = [CardQuery(order=name, descending=d) for name in ("", *COLUMNS) for d in (False, True)]
    queries += [CardQuery(state=state) for state in STATES] + [CardQuery(topic="T2", search="walk")]
    for query in queries:
        assert from_cache.ids(query, clock()) == fresh.ids(query, clock()), query
        assert from_cache.count(query, clock()) == fresh.count(query, clock())
    assert from_cache.total() == fresh.total() == len(library.cards)
    now, later = clock(), clock() + timedelta(days=30)
    assert from_cache.table.deck_counts(now, now, later) == fresh.table.deck_counts(now, now, later)
    assert from_cache.table.durable_by_topic(later, 0, {"x"}) == fresh.table.durable_by_topic(later, 0, {"x"})
    from_cache.table.close()
    fresh.table.close()
    assert len(session.store.db.execute("pragma database_list").fetchall()) == 2  # main and temp: detached


def test_the_browser_lists_again_after_the_decks_are_reloaded_while_it_shows(qtbot, collection, data_dir):
    """A reload closes the old card table; the browser must not query it (scrolling, sorting, filtering)."""
    collection.reload_decks()  # the library now comes from the content cache, attached to the store
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show_browser()
    before = shown_ids(window.browser)
    window.decks.reload()  # File ▸ Reload my decks, with the browser showing
    window.browser.table.sortByColumn(COLUMNS.index("Topic"), Qt.SortOrder.DescendingOrder)
    window.browser.search.setText("walk")
    assert shown_ids(window.browser)
    window.browser.search.clear()
    window.browser.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert shown_ids(window.browser) == before
