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
from matplotlib.colors import to_hex
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from trainer.collection import Collection
from trainer.model import Rating, Settings
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store
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


def bar_heights(axes) -> list[float]:
    return [patch.get_height() for patch in axes.patches]


def test_empty_history_shows_an_empty_state_in_every_chart(qtbot, session, library, collection):
    view = StatsView(collection)
    qtbot.addWidget(view)
    view.refresh()
    assert view.summary.text() == "Last 90 days: no answers yet."
    for card in (view.activity, view.forecast, view.retention_chart, view.answer_time, view.mastery):
        assert card.canvas is None
        assert card.empty.text() == NO_REVIEWS
    assert view.quiz.canvas is None
    assert view.quiz.empty.text().startswith("No quiz yet")
    assert "no reviews of mature cards yet (desired: 90%)" in view.retention.text()


def test_seeded_history_draws_every_chart_from_the_database(qtbot, seeded, library):
    view = StatsView(seeded)
    qtbot.addWidget(view)
    view.refresh()
    figures = view.figures
    today = learning_day(NOW, UTC, 4)
    answers = seeded.study.store.answers()

    # Reviews per day: one bar per day of the last 90, each the number of answers that learning day.
    per_day = Counter(learning_day(a.reviewed_at, UTC, 4) for a in answers)
    expected = [per_day.get(today - timedelta(days=89 - i), 0) for i in range(90)]
    assert bar_heights(view.activity.axes) == expected
    assert view.summary.text() == f"Last 90 days: {len(answers)} answers on {sum(1 for n in expected if n)} days."

    # Forecast: every studied, unsuspended card due within 30 days, overdue ones today.
    dues = [max((learning_day(s.state.due, UTC, 4) - today).days, 0) for s in seeded.study.store.schedules()]
    assert bar_heights(view.forecast.axes) == [dues.count(offset) for offset in range(30)]

    # True retention: mature reviews per month against the desired retention's dashed line.
    shares = [r.share * 100 if r.total else math.nan for r in figures.monthly_retention]
    drawn = bar_heights(view.retention_chart.axes)
    assert [x for x in drawn if not math.isnan(x)] == [x for x in shares if not math.isnan(x)]
    assert any(r.total for r in figures.monthly_retention)
    assert view.retention_chart.axes.lines[0].get_ydata()[0] == pytest.approx(90)

    # Mastery: one horizontal bar per topic, in taxonomy order from the top.
    widths = [patch.get_width() for patch in view.mastery.axes.patches][::-1]
    assert widths == [m.share * 100 for m in figures.mastery.values()]

    # Time per answer and the quiz trend.
    drawn_seconds = list(view.answer_time.axes.lines[0].get_ydata())
    assert [s for s in drawn_seconds if not math.isnan(s)] == [s for _, s in figures.answer_time if s is not None]
    assert list(view.quiz.axes.lines[0].get_ydata()) == pytest.approx(
        [175 / 3, 250 / 3]
    )  # (1 + 1/3 + 0 + 1) / 4, (3 + 1/3) / 4

    for card in (view.activity, view.forecast, view.retention_chart, view.answer_time, view.mastery, view.quiz):
        assert card.canvas is not None
        assert card.empty.isHidden()
        assert card.axes.get_xlabel()
        assert card.axes.get_ylabel() or card is view.mastery  # the topic names label the mastery bars
        assert card.note.text()


def test_charts_take_their_colours_from_the_palette(qtbot, seeded, library, dark):
    view = StatsView(seeded)
    qtbot.addWidget(view)
    view.refresh()
    palette = QApplication.palette()
    figure = view.activity.axes.figure
    assert to_hex(figure.get_facecolor()) == palette.color(QPalette.ColorRole.Base).name()
    assert to_hex(view.activity.axes.patches[0].get_facecolor()) == palette.color(QPalette.ColorRole.Highlight).name()
    tick = view.activity.axes.get_yticklabels()[0]
    assert to_hex(tick.get_color()) == palette.color(QPalette.ColorRole.WindowText).name()


def test_matplotlib_loads_only_when_the_statistics_open(collection):
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
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_t_opens_the_statistics_and_escape_goes_home(qtbot, seeded, library):
    window = MainWindow(seeded)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T)
    assert window.pages.currentWidget() is window.stats
    assert window.stats.activity.canvas is not None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.home
