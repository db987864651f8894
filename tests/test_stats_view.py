"""The statistics screen: empty states, every chart drawn from a seeded history, the palette, lazy matplotlib."""

from __future__ import annotations

import math
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FakeClock
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from trainer.collection import Collection
from trainer.model import Rating, Settings
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store
from trainer.study import progress
from trainer.study.days import learning_day
from trainer.study.session import StudySession
from trainer.ui.main_window import MainWindow
from trainer.ui.stats_view import NO_REVIEWS, StatsView
from trainer.ui.theme import apply_theme

HISTORY_DAYS = 70
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def seed(session: StudySession, clock: FakeClock, days: int) -> None:
    """Study every due card on each of `days` days ending today, mostly Good, some Again and Easy."""
    rng = random.Random(5)
    first = clock.now - timedelta(days=days - 1)
    for day in range(days):
        clock.now = first + timedelta(days=day)
        if day % 9 == 4:
            continue  # a missed day now and then
        while (card := session.next_card()) is not None:
            rating = rng.choices([Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY], [2, 1, 6, 2])[0]
            session.answer(card, rating, duration_ms=rng.randint(3000, 20000))
            clock.advance(seconds=40)
    clock.now = NOW


@pytest.fixture(scope="module")
def history_file(tmp_path_factory, library):
    """A database with HISTORY_DAYS of study and two finished quizzes, built once for the module."""
    folder = tmp_path_factory.mktemp("history")
    clock = FakeClock(NOW)
    with Store.open(folder) as store:
        store.save_settings(Settings(new_per_day=4))
        session = StudySession(store, library, clock=clock, zone=UTC, fuzzing=False)
        seed(session, clock, HISTORY_DAYS)
        quizzes = QuizStore(store)
        for qualities in ([3, 1, 0, 3], [3, 3, 1, 3]):
            cards = [
                c for c in library.cards.values() if c.kind == "choice" and {0, 1, 3} <= {o.quality for o in c.options}
            ][:4]
            attempt = quizzes.create_attempt(
                "practice", ["T1"], [(c.id, [o.id for o in c.options]) for c in cards], NOW
            )
            for item, card, quality in zip(quizzes.items(attempt), cards, qualities, strict=True):
                option = next(o for o in card.options if o.quality == quality)
                quizzes.answer_item(item.id, option.id, quality, 70, 5000, NOW)
            quizzes.finish(attempt, NOW)
    return folder / "trainer.db"


@pytest.fixture
def seeded(history_file, tmp_path, library):
    """A collection on a private copy of the seeded history, at NOW."""
    shutil.copy(history_file, tmp_path / "trainer.db")
    store = Store.open(tmp_path)
    yield Collection(store, library, clock=FakeClock(NOW), zone=UTC, fuzzing=False)
    store.close()


@pytest.fixture
def dark(qapp):
    """The dark theme for one test; the app's look is put back afterwards."""
    palette, sheet, font, style = qapp.palette(), qapp.styleSheet(), qapp.font(), qapp.style().name()
    apply_theme(qapp, "dark", 0, 10)
    yield
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def drawn(view: StatsView) -> StatsView:
    """Wait for the figures (computed on a worker thread) to be drawn."""
    assert view.wait_until_drawn(), "the statistics were never drawn"
    return view


def test_empty_history_shows_an_empty_state_in_every_chart(qtbot, session, library, collection):
    view = StatsView(collection)
    qtbot.addWidget(view)
    view.refresh()
    drawn(view)
    assert view.summary.text() == "Last 90 days: no answers yet."
    for card in (view.activity, view.forecast, view.retention_chart, view.answer_time, view.mastery):
        assert card.plot is None
        assert card.empty.text() == NO_REVIEWS
    assert view.quiz.plot is None
    assert view.quiz.empty.text().startswith("No quiz yet")
    assert "no reviews of mature cards yet (desired: 90%)" in view.retention.text()


def test_the_page_shows_at_once_at_its_top_with_a_busy_indicator_per_chart(qtbot, seeded):
    view = StatsView(seeded)
    qtbot.addWidget(view)
    view.resize(1024, 640)
    view.show()
    view.refresh()
    drawn(view)
    qtbot.waitUntil(lambda: view.page_scroll.verticalScrollBar().maximum() > 0)
    view.page_scroll.verticalScrollBar().setValue(view.page_scroll.verticalScrollBar().maximum())
    assert view.page_scroll.verticalScrollBar().value() > 0
    view.refresh()
    assert view.page_scroll.verticalScrollBar().value() == 0  # opens at its top
    assert not view.ready
    for card in view.cards():  # the layout is there, each chart says it is being computed
        assert card.plot is None
        assert card.busy.isVisible()
    drawn(view)
    for card in view.cards():
        assert card.plot is not None
        assert not card.busy.isVisible()


def test_the_figures_are_computed_off_the_gui_thread(seeded, library):
    import threading

    compute, threaded = seeded.statistics_job()
    assert threaded  # a collection on a file gets a connection of its own
    found: list[object] = []
    worker = threading.Thread(target=lambda: found.append(compute()))
    worker.start()
    worker.join()
    assert found[0] == seeded.statistics()
    in_memory = Collection(Store.memory(), library, zone=UTC)
    assert in_memory.statistics_job()[1] is False  # an in-memory database has no second connection


def test_the_sql_aggregates_match_the_arithmetic_over_every_answer(seeded):
    """Retention by month, the last 30 days' retention and the weekly medians, grouped in SQL, equal the pure
    functions of trainer.study.progress applied to every answer read into Python."""
    figures = seeded.statistics()
    store, today = seeded.study.store, learning_day(NOW, UTC, 4)

    def day_of(moment):
        return learning_day(moment, UTC, 4)

    reviews = [
        progress.Review(at, Rating(r), days, ms)
        for at, r, days, ms in store.review_facts_since(NOW - timedelta(days=400))
    ]
    assert figures.monthly_retention == progress.monthly_retention(reviews, figures.months, day_of)
    recent = [r for r in reviews if (today - day_of(r.reviewed_at)).days < progress.FORECAST_DAYS]
    assert figures.recent_retention == progress.true_retention(recent)
    assert figures.recent_retention.total > 0
    expected = progress.weekly_answer_time(reviews, today, day_of)
    assert [d for d, _ in figures.answer_time] == [d for d, _ in expected]
    # answer_times counts durations in tenths of a second: the median read from it is within 50 ms of the exact
    # one (the 1e-9 absorbs float rounding when it is exactly 50 ms off).
    medians = pytest.approx([s for _, s in expected], abs=0.05 + 1e-9, nan_ok=True)
    assert [s for _, s in figures.answer_time] == medians


def test_seeded_history_draws_every_chart_from_the_database(qtbot, seeded, library):
    view = StatsView(seeded)
    qtbot.addWidget(view)
    view.refresh()
    drawn(view)
    figures = view.figures
    today = learning_day(NOW, UTC, 4)
    answers = seeded.study.store.answers()

    def series(card):
        assert card.plot is not None
        return card.plot.series

    # Reviews per day: one bar per day of the last 90, each the number of answers that learning day.
    per_day = Counter(learning_day(a.reviewed_at, UTC, 4) for a in answers)
    expected = [per_day.get(today - timedelta(days=89 - i), 0) for i in range(90)]
    assert series(view.activity).values == expected
    assert view.summary.text() == f"Last 90 days: {len(answers)} answers on {sum(1 for n in expected if n)} days."

    # Forecast: every studied, unsuspended card due within 30 days, overdue ones today.
    dues = [max((learning_day(s.state.due, UTC, 4) - today).days, 0) for s in seeded.study.store.schedules()]
    assert series(view.forecast).values == [dues.count(offset) for offset in range(30)]

    # True retention: mature reviews per month against the desired retention's dashed line.
    shares = [r.share * 100 if r.total else math.nan for r in figures.monthly_retention]
    bars = series(view.retention_chart).values
    assert [x for x in bars if not math.isnan(x)] == [x for x in shares if not math.isnan(x)]
    assert any(r.total for r in figures.monthly_retention)
    assert series(view.retention_chart).reference == pytest.approx(90)

    # Mastery: one horizontal bar per topic, in taxonomy order from the top.
    assert series(view.mastery).values == [m.share * 100 for m in figures.mastery.values()]
    assert series(view.mastery).labels == [library.taxonomy.topics[t] for t in figures.mastery]

    # Time per answer and the quiz trend.
    seconds = series(view.answer_time).values
    assert [s for s in seconds if not math.isnan(s)] == [s for _, s in figures.answer_time if s is not None]
    assert series(view.quiz).values == pytest.approx([175 / 3, 250 / 3])  # (1 + 1/3 + 0 + 1) / 4, (3 + 1/3) / 4

    for card in view.cards():
        assert card.plot is not None
        assert card.empty.isHidden()
        assert series(card).x_label
        assert series(card).y_label or card is view.mastery  # the topic names label the mastery bars
        assert card.note.text()


def test_the_charts_paint_in_the_palette(qtbot, seeded, library, dark):
    view = StatsView(seeded)
    qtbot.addWidget(view)
    view.resize(1024, 900)
    view.show()
    view.refresh()
    drawn(view)
    qtbot.wait(10)
    plot = view.activity.plot
    image = plot.grab().toImage()
    palette = QApplication.palette()
    assert image.pixelColor(2, 2).name() == palette.color(QPalette.ColorRole.Base).name()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert palette.color(QPalette.ColorRole.Highlight).name() in colours  # the bars


def test_matplotlib_never_loads_for_the_statistics(collection):
    script = (
        "import sys\n"
        "from datetime import UTC\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from trainer import paths\n"
        "from trainer.library import load_library\n"
        "from trainer.collection import Collection\n"
        "from trainer.storage.store import Store\n"
        "from trainer.ui.main_window import MainWindow\n"
        "app = QApplication([])\n"
        "library = load_library(paths.content_dir())\n"
        "collection = Collection(Store.memory(), library, zone=UTC)\n"
        "collection.study.answer(collection.study.next_card(), 3)\n"
        "window = MainWindow(collection)\n"
        "print('matplotlib' in sys.modules)\n"
        "window.show_statistics()\n"
        "assert window.stats.wait_until_drawn()\n"
        "print('matplotlib' in sys.modules, window.stats.activity.plot is not None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.split() == ["False", "False", "True"], result.stderr


def test_t_opens_the_statistics_and_escape_goes_home(qtbot, seeded, library):
    window = MainWindow(seeded)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T)
    assert window.pages.currentWidget() is window.stats
    assert window.stats.wait_until_drawn()
    assert window.stats.activity.plot is not None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.home
