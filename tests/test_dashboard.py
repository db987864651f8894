"""The home dashboard on an empty and a seeded history, through real widgets and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QBoxLayout, QLabel, QProgressBar

from trainer.model import Rating
from trainer.storage.quizzes import QuizStore
from trainer.study.figures import dashboard
from trainer.ui.home_view import HomeView


def labels_in_row(home: HomeView, row: int) -> list[str]:
    grid = home.mastery_grid
    widgets = []
    for column in range(grid.columnCount()):
        item = grid.itemAtPosition(row, column)
        if item and isinstance(item.widget(), QLabel) and item.widget() not in widgets:
            widgets.append(item.widget())  # a label spanning columns is found once per column
    return [widget.text() for widget in widgets]


def bar_in_row(home: HomeView, row: int) -> QProgressBar | None:
    item = home.mastery_grid.itemAtPosition(row, 1)
    widget = item.widget() if item else None
    return widget if isinstance(widget, QProgressBar) else None


def topic_cards(library, topic: str):
    return [card for card in library.cards.values() if card.topic == topic]


def finish_quiz(store, library, qualities: list[int], now: datetime) -> None:
    """A finished attempt whose items were answered with options of the given qualities."""
    cards = [card for card in library.cards.values() if card.kind == "choice"][: len(qualities)]
    quizzes = QuizStore(store)
    attempt = quizzes.create_attempt("practice", ["T1"], [(c.id, [o.id for o in c.options]) for c in cards], now)
    for item, card, quality in zip(quizzes.items(attempt), cards, qualities, strict=True):
        option = next(o for o in card.options if o.quality == quality)
        quizzes.answer_item(item.id, option.id, quality, 70, 4000, now)
    quizzes.finish(attempt, now)


def test_empty_history_shows_zeros_no_quiz_and_every_topic_not_started(qtbot, session, library, collection):
    home = HomeView(collection)
    qtbot.addWidget(home)
    assert home.summary.text() == "Due now: 0   ·   New today: 20   ·   Done today: 0   ·   Streak: 0 days"
    assert home.last_quiz.text() == "Last quiz: no quiz yet. Press Q to test yourself."
    topics = list(library.taxonomy.topics.values())
    for row, name in enumerate(topics):
        assert labels_in_row(home, row) == [name, "not started"]
        assert bar_in_row(home, row) is None


def test_seeded_history_shows_counts_streak_mastery_and_the_last_quiz(
    qtbot, session, library, store, clock, collection
):
    t1 = topic_cards(library, "T1")
    # Day 1 (23 Nov): three cards of T1 — Easy (stays above 90%), Good (drops below 90% in 3 days), Again.
    session.answer(t1[0], Rating.EASY)
    session.answer(t1[1], Rating.GOOD)
    session.answer(t1[2], Rating.AGAIN)
    clock.advance(days=1)  # 24 Nov 09:00
    session.answer(t1[3], Rating.EASY)
    clock.advance(days=1)  # 25 Nov 09:00
    session.answer(t1[4], Rating.EASY)
    clock.advance(days=1)  # 26 Nov 09:00: three days after the first answers, nothing studied yet today
    finish_quiz(store, library, [3, 3, 1, 0], clock())  # (1 + 1 + 1/3 + 0) / 4 = 58.3%

    home = HomeView(collection)
    qtbot.addWidget(home)
    figures = home.figures
    mastery = figures.mastery["T1"]
    assert (mastery.total, mastery.studied) == (len(t1), 5)
    # Easy answers 1, 2 and 3 days ago are above 90% recall now but not durable yet (stability under 21 days).
    assert mastery.mastered == 0
    assert figures.streak == 3
    counts = session.counts()
    assert home.summary.text() == (
        f"Due now: {counts.learning + counts.review}   ·   New today: {counts.new}   ·   "
        "Done today: 0   ·   Streak: 3 days"
    )
    assert home.last_quiz.text().startswith("Last quiz: 58%")
    assert labels_in_row(home, 0) == [
        library.taxonomy.topics["T1"],
        "0%",
        f"{len(t1) - 5} not started",
    ]
    bar = bar_in_row(home, 0)
    assert (bar.value(), bar.maximum()) == (0, len(t1))
    assert labels_in_row(home, 1) == [library.taxonomy.topics["T2"], "not started"]

    session.answer(t1[5], Rating.GOOD)
    home.refresh()
    assert "Done today: 1   ·   Streak: 4 days" in home.summary.text()


def test_streak_counts_a_late_night_answer_for_the_evening_before(session, library, clock):
    cards = list(library.cards.values())
    clock.now = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)  # Mon evening
    session.answer(cards[0], Rating.GOOD)
    clock.now = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # Tue 02:30, before the 04:00 day start: still Monday
    session.answer(cards[1], Rating.GOOD)
    assert dashboard(session).streak == 1
    assert dashboard(session).done_today == 2
    clock.now = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # Tuesday's learning day begins
    assert dashboard(session).streak == 1  # Monday still counts until Tuesday ends
    assert dashboard(session).done_today == 0
    session.answer(cards[2], Rating.GOOD)
    assert dashboard(session).streak == 2
    clock.now = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # Wednesday was missed
    assert dashboard(session).streak == 0


def test_buttons_emit_their_requests(qtbot, session, library, collection):
    home = HomeView(collection)
    qtbot.addWidget(home)
    for button, signal in (
        (home.study_button, home.sig_study_requested),
        (home.quiz_button, home.sig_quiz_requested),
        (home.statistics_button, home.sig_statistics_requested),
        (home.browse_button, home.sig_browse_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            button.click()
    assert [home.quiz_button.text(), home.statistics_button.text(), home.browse_button.text()] == [
        "Quiz (Q)",
        "Statistics (T)",
        "Browse (B)",
    ]


def test_decks_and_mastery_stand_side_by_side_on_a_wide_window(qtbot, collection):
    home = HomeView(collection)
    qtbot.addWidget(home)
    home.show()
    home.resize(1366, 768)
    qtbot.waitUntil(lambda: home.sections.direction() == QBoxLayout.Direction.LeftToRight)
    last_topic = home.mastery_grid.itemAtPosition(home.mastery_grid.rowCount() - 1, 0).widget()
    qtbot.waitUntil(lambda: last_topic.mapTo(home, last_topic.rect().bottomLeft()).y() < 768)
    last_deck = list(home.deck_list.switches.values())[-1]
    assert last_deck.mapTo(home, last_deck.rect().bottomLeft()).y() < 768  # both whole above the fold
    home.resize(1024, 640)
    qtbot.waitUntil(lambda: home.sections.direction() == QBoxLayout.Direction.TopToBottom)
    deck_bottom = last_deck.mapTo(home, last_deck.rect().bottomLeft()).y()
    qtbot.waitUntil(lambda: last_topic.mapTo(home, last_topic.rect().topLeft()).y() > deck_bottom)
