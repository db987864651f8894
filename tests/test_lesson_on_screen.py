"""Issue 12: the lesson on screen at small sizes, pages without blank ends, the window fitted and remembered,
recall cards, numbers that agree, and the quiz report a learner can review, print and trust."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from test_dashboard import finish_quiz
from ui_helpers import digit, open_window, press

from trainer.model import CardKind, QuizMode, Rating, Settings
from trainer.quiz.scoring import ItemResult, build_report
from trainer.ui.main_window import MainWindow
from trainer.ui.quiz import flow as quiz_flow
from trainer.ui.quiz.history import HistoryView
from trainer.ui.quiz.report import PRINT_WIDTH, ReportView, area_scores
from trainer.ui.quiz.setup import QuizChoice, QuizSetupDialog
from trainer.ui.study_view import StudyView


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def in_view(study: StudyView, widget: QWidget) -> bool:
    """Whether `widget` lies wholly inside the card page's visible area."""
    viewport = study.card_scroll.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= viewport.height()


def first_choice_card(qtbot, window: MainWindow) -> StudyView:
    study = window.study
    press(qtbot, Qt.Key.Key_S)
    while study.card.kind != CardKind.CHOICE:
        study.reveal()
        study.rate(Rating.GOOD)
    return study


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800), (960, 600)])
def test_the_verdict_and_the_principle_are_in_view_after_a_choice(qtbot, collection, size):
    window = open_window(qtbot, collection)
    window.resize(*size)
    study = first_choice_card(qtbot, window)
    for _ in range(3):  # several cards, choosing the last option (often below the fold)
        settle()
        press(qtbot, digit(len(study.order)))
        settle()
        assert in_view(study, study.explanation.verdict)
        assert in_view(study, study.explanation.principle)
        study.rate(Rating.GOOD)
        if study.card is None or study.card.kind != CardKind.CHOICE:
            break


def test_on_a_wide_window_the_lesson_sits_beside_the_options(qtbot, collection):
    window = open_window(qtbot, collection)
    window.resize(1800, 1000)
    study = first_choice_card(qtbot, window)
    press(qtbot, digit(1))
    settle()
    tiles_right = study.tiles[0].mapTo(study, QPoint(study.tiles[0].width(), 0)).x()
    assert study.explanation.mapTo(study, QPoint(0, 0)).x() >= tiles_right
    assert in_view(study, study.explanation.principle)
    window.resize(1280, 800)
    settle()
    assert study.explanation.mapTo(study, QPoint(0, 0)).y() > study.tiles[0].mapTo(study, QPoint(0, 0)).y()


def test_a_page_that_fits_shows_no_scroll_bar_and_a_long_one_ends_at_its_content(qtbot, collection):
    window = open_window(qtbot, collection)
    window.resize(1920, 1080)
    window.show_home()
    settle()
    scroll = window.home.findChild(type(window.study.card_scroll))
    assert scroll.verticalScrollBar().maximum() == 0  # home fits at 1920×1080: no scroll bar
    window.resize(1024, 640)
    settle()
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0
    holder = scroll.widget()
    needed = holder.layout().totalHeightForWidth(holder.width())
    assert holder.height() <= max(needed, scroll.viewport().height()) + 2  # no blank half page at the end


def test_the_window_fits_the_screen_and_remembers_its_size_place_and_maximised_state(qtbot, collection):
    first = MainWindow(collection)
    qtbot.addWidget(first)
    available = first.screen().availableGeometry()
    assert first.width() <= available.width()
    assert first.height() <= available.height()
    assert first.minimumWidth() <= 1024 * 0.9
    assert first.minimumHeight() <= 640 * 0.9
    first.show()
    first.resize(700, 520)
    first.move(40, 30)
    settle()
    first.close()
    second = MainWindow(collection)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (700, 520)
    second.showMaximized()
    settle()
    second.close()
    third = MainWindow(collection)
    qtbot.addWidget(third)
    assert third.windowState() & Qt.WindowState.WindowMaximized


def test_a_recall_card_says_what_to_do_and_shows_the_answer_as_large_as_the_situation(qtbot, collection):
    window = open_window(qtbot, collection)
    study = window.study
    press(qtbot, Qt.Key.Key_S)
    while study.card.kind == CardKind.CHOICE:
        press(qtbot, digit(1))
        study.rate(Rating.GOOD)
    assert study.recall_hint.isVisible()
    assert "Say or write your reply, then press Space" in study.recall_hint.text()
    press(qtbot, Qt.Key.Key_Space)
    assert not study.recall_hint.isVisible()
    assert study.answer_text.font().pointSizeF() == pytest.approx(study.situation.font().pointSizeF())


def test_done_today_is_one_number_on_the_study_line_home_and_the_done_panel(qtbot, collection):
    collection.save_settings(Settings(new_per_day=3))
    window = open_window(qtbot, collection)
    study = window.study
    press(qtbot, Qt.Key.Key_S)
    for done in range(3):
        assert f"{done} done today" in study.status.text()
        if study.card.kind == CardKind.CHOICE:
            press(qtbot, digit(1))
        else:
            press(qtbot, Qt.Key.Key_Space)
        study.rate(Rating.EASY)
    assert study.card is None
    assert "You answered 3 cards today." in study.done_lines.text()
    assert "3 done today" in study.status.text()
    press(qtbot, Qt.Key.Key_Escape)
    assert "Done today: 3" in window.home.summary.text()


def test_home_shows_cards_in_learning_and_those_a_quiz_brought_forward(qtbot, collection, session, store, clock):
    card = session.next_card()
    session.answer(card, Rating.AGAIN)  # back in a minute
    clock.advance(seconds=20)
    window = open_window(qtbot, collection)
    assert re.search(r"1 in learning, next in 1 min", window.home.today_line.text())
    finish_quiz(store, collection.library, [1, 0, 3, 3], clock())  # two deck cards answered below the best
    session.refresh()
    window.show_home()
    assert "2 due from your quizzes" in window.home.today_line.text()
    window.show_study()
    assert "2 due from your quizzes" in window.study.status.text()


# The quiz report ---------------------------------------------------------------------------------------------


def report_for(library, qualities: list[int], topics: int = 10) -> ReportView:
    """A report over held-out items, one topic after another, each answered with an option of the given quality."""
    names = list(library.taxonomy.topics)[:topics]
    used: set[str] = set()
    results = []
    for index, quality in enumerate(qualities):
        topic = names[index % len(names)]
        card = next(
            c
            for c in sorted(library.bank.values(), key=lambda c: c.topic != topic)
            if c.id not in used and c.topic in names and any(o.quality == quality for o in c.options)
        )
        used.add(card.id)
        option = next(o for o in card.options if o.quality == quality)
        results.append(ItemResult(card, option.id, 70, source="bank"))
    return ReportView(build_report(results), library)


def test_every_item_can_be_reviewed_and_filtered_to_the_wrong_ones(qtbot, library):
    view = report_for(library, [3, 1, 3, 0, 3, 2, 3, 3, 1, 3])
    qtbot.addWidget(view)
    view.show()
    assert len(view.item_buttons) == 10
    assert all(b.isVisible() for b in view.item_buttons)
    view.wrong_only.click()
    shown = [b for b in view.item_buttons if b.isVisible()]
    assert len(shown) == 4
    assert all("✓ best" not in b.text() for b in shown)
    view.wrong_only.click()
    assert all(b.isVisible() for b in view.item_buttons)


def test_the_score_and_the_share_of_best_answers_each_say_what_they_mean(qtbot, library):
    view = report_for(library, [3, 3, 3, 3, 2, 2, 1, 1, 0, 0])  # (12 + 4 + 2) / 30 = 60%; 4 of 10 best
    qtbot.addWidget(view)
    assert "partial credit" in view.scoring.text()
    assert "Best answers: 40% (4 of 10)" in view.scoring.text()
    assert "proficient from 60%" in view.scoring.text()
    assert view.headline.text().startswith("Score 60% (proficient)")


def test_too_few_items_a_topic_are_grouped_into_skill_areas_or_shown_as_a_table(qtbot, library):
    grouped = report_for(library, [3, 1, 3, 0, 3, 2, 3, 3, 1, 3] * 2)  # two items in each of ten topics
    qtbot.addWidget(grouped)
    texts = [w.text() for w in grouped.content.findChildren(type(grouped.headline))]
    assert "By skill area" in texts
    assert "By topic" not in texts
    small = report_for(library, [3, 1, 3, 0, 3, 2, 3, 3, 1, 3])  # one item a topic: too few even for the areas
    qtbot.addWidget(small)
    texts = [w.text() for w in small.content.findChildren(type(small.headline))]
    assert "By skill area" not in texts
    assert any(t.startswith("Too few items a topic") for t in texts)
    assert "Topic" in texts
    assert "Items" in texts


def test_the_printed_report_has_the_date_and_settings_no_buttons_and_whole_charts(qtbot, library, tmp_path):
    from trainer.model import QuizAttempt

    view = report_for(library, [3, 1, 3, 0, 3, 2, 3, 3, 1, 3])
    from datetime import UTC, datetime

    view.attempt = QuizAttempt(
        1,
        datetime(2026, 11, 23, 9, tzinfo=UTC),
        "exam",
        tuple(library.taxonomy.topics),
        10,
        "finished",
        finished_at=datetime(2026, 11, 23, 9, 20, tzinfo=UTC),
    )
    qtbot.addWidget(view)
    blocks = view.printable_blocks()
    header = " ".join(w.text() for w in blocks[0].findChildren(type(view.headline)))
    assert "Finished Mon 23 Nov 2026" in header
    assert "10 items · all topics · exam mode" in header
    assert "Printed " in header
    assert not any(block.findChildren(QPushButton) for block in blocks)
    from trainer.ui.quiz.report import save_pdf

    target = tmp_path / "r.pdf"
    save_pdf(blocks, target)
    assert target.read_bytes().startswith(b"%PDF")
    page_height = 1123 * PRINT_WIDTH / 794  # A4 in layout pixels, roughly
    assert all(b.height() < page_height for b in blocks)  # every block (each chart) fits on a page


def test_the_report_charts_are_painted_with_their_figures(qtbot, library):
    from trainer.ui.plots import PlotWidget

    view = report_for(library, [3, 1, 3, 0, 3, 2, 3, 3, 1, 3] * 2)
    qtbot.addWidget(view)
    bars = view.topic_view
    assert isinstance(bars, PlotWidget)
    areas = area_scores(view.report.results)
    assert bars.series.kind == "hbar"
    assert bars.series.values == pytest.approx([score * 100 for _, _, score in areas])
    assert bars.series.ends == [f"{round(score * 100)}%" for _, _, score in areas]
    calibration = next(w for w in view.content.findChildren(PlotWidget) if w.series.kind == "scatter")
    bins = view.report.calibration
    assert calibration.series.xs == [b.confidence for b in bins]
    assert calibration.series.values == pytest.approx([b.accuracy * 100 for b in bins])
    assert calibration.series.x_label == "stated confidence (%)"


def test_the_printed_report_is_light_whatever_the_theme(qtbot, library, qapp):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyleFactory

    from trainer.ui.plots import PlotWidget
    from trainer.ui.theme import apply_theme, light_palette

    palette, sheet, font, style = qapp.palette(), qapp.styleSheet(), qapp.font(), qapp.style().name()
    apply_theme(qapp, "dark", 0, 10)
    try:
        view = report_for(library, [3, 1, 3, 0, 3, 2, 3, 3, 1, 3] * 2)
        qtbot.addWidget(view)
        blocks = view.printable_blocks()
        paper = light_palette()
        for block in blocks:
            block.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            block.setFixedWidth(PRINT_WIDTH)
            block.show()
        image = blocks[0].grab().toImage()
        assert image.pixelColor(1, 1).name() == paper.color(QPalette.ColorRole.Window).name()
        headline = blocks[0].findChildren(type(view.headline))[0]
        assert headline.palette().color(QPalette.ColorRole.WindowText).name() == "#1f2328"
        charts = [c for b in blocks for c in b.findChildren(PlotWidget)]
        assert len(charts) == 2
        for chart in charts:
            picture = chart.grab().toImage()
            assert picture.pixelColor(2, 2).name() == paper.color(QPalette.ColorRole.Base).name()
    finally:
        qapp.setStyle(QStyleFactory.create(style))
        qapp.setPalette(palette)
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def test_matplotlib_never_loads_for_the_quiz_report_or_its_pdf(tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from trainer import paths\n"
        "from trainer.library import load_library\n"
        "from trainer.quiz.scoring import ItemResult, build_report\n"
        "from trainer.ui.quiz.report import ReportView, save_pdf\n"
        "app = QApplication([])\n"
        "library = load_library(paths.content_dir())\n"
        "cards = list(library.bank.values())[:12]\n"
        "view = ReportView(build_report([ItemResult(c, c.options[0].id, 70, source='bank') for c in cards]), library)\n"
        "view.show()\n"
        "app.processEvents()\n"
        f"save_pdf(view.printable_blocks(), Path({str(tmp_path / 'r.pdf')!r}))\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.split() == ["False"], result.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_the_pdf_is_offered_in_documents_with_a_dated_name():
    from datetime import datetime

    path = ReportView.default_pdf_path(datetime(2026, 12, 1))
    assert path.name == "quiz-report-2026-12-01.pdf"


def test_the_wheel_over_a_chart_scrolls_the_page(qtbot, library):
    view = report_for(library, [3, 1, 3, 0, 3, 2, 3, 3, 1, 3] * 2)
    qtbot.addWidget(view)
    view.resize(1024, 600)
    view.show()
    settle()
    bar = view.scroller.verticalScrollBar()
    assert bar.maximum() > 0
    canvas = view.topic_view
    position = QPointF(canvas.width() / 2, canvas.height() / 2)
    event = QWheelEvent(
        position,
        canvas.mapToGlobal(position),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)
    assert bar.value() > 0


def test_the_quiz_scores_chart_has_whole_number_ticks(qtbot, library, store, clock):
    from trainer.storage.quizzes import QuizStore

    for _ in range(3):
        finish_quiz(store, library, [3, 1, 3], clock())
    view = HistoryView(QuizStore(store).finished_attempts(), library)
    qtbot.addWidget(view)
    view.show()
    canvas = view.findChild(QWidget, "") or view
    axes = next(c for c in view.findChildren(QWidget) if hasattr(c, "figure")).figure.axes[0]
    ticks = [t for t in axes.get_xticks() if axes.get_xlim()[0] <= t <= axes.get_xlim()[1]]
    assert ticks
    assert all(float(t).is_integer() for t in ticks)
    assert canvas is not None


def test_start_disabled_without_topics_says_why(qtbot, library):
    dialog = QuizSetupDialog(library.taxonomy)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.no_topics.isVisible()
    dialog._set_all(False)
    assert not dialog.start_button.isEnabled()
    assert dialog.no_topics.isVisible()
    assert "at least one topic" in dialog.no_topics.text()
    dialog._set_all(True)
    assert dialog.start_button.isEnabled()
    assert not dialog.no_topics.isVisible()


def test_esc_mid_quiz_says_it_is_kept_and_home_offers_to_resume(qtbot, collection, library, monkeypatch):
    topics = tuple(library.taxonomy.topics)
    monkeypatch.setattr(quiz_flow.QuizFlow, "ask_setup", staticmethod(lambda *_: QuizChoice(10, topics, QuizMode.EXAM)))
    window = open_window(qtbot, collection)
    press(qtbot, Qt.Key.Key_Q)
    press(qtbot, digit(1))
    press(qtbot, digit(3))
    press(qtbot, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.home
    assert "Quiz kept: 1 of 10" in window.statusBar().currentMessage()
    assert window.home.last_quiz.text().startswith("Quiz in progress — Q to resume")
