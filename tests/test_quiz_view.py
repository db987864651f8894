"""A 10-item exam through real widgets and keys: leave mid-way, resume, finish, and read the report."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import digit, open_window, press

from trainer.collection import Collection
from trainer.model import ItemSource, QuizMode
from trainer.quiz.scoring import confidence_levels
from trainer.storage.quizzes import QuizStore
from trainer.ui import messages
from trainer.ui.main_window import MainWindow
from trainer.ui.quiz import flow as quiz_flow
from trainer.ui.quiz.report import ReportView
from trainer.ui.quiz.setup import QuizChoice

# Items 3, 6 and 9 are answered with the card's worst option at 85% confidence (key 5), the rest with the best
# at 70% (key 4); on four options the scale runs 25, 40, 55, 70, 85, 100.
WEAK_ITEMS = {2, 5, 8}


def open_fresh_window(qtbot, store, library, clock) -> MainWindow:
    return open_window(qtbot, Collection(store, library, clock=clock, fuzzing=False), seed=11)


def answer_items(qtbot, window: MainWindow, positions: range) -> list[int]:
    """Answer the given item positions by keyboard; returns the qualities chosen."""
    view = window.quiz.view
    qualities = []
    for position in positions:
        assert view.status.text().startswith(f"Exam · item {position + 1} of 10")
        assert view.progress.value() == position
        card = view.card
        options = [card.option(option_id) for option_id in view.order]
        levels = confidence_levels(len(options))
        if position in WEAK_ITEMS:
            index = min(range(len(options)), key=lambda i: options[i].quality)
            key = 5
        else:
            index = next(i for i, option in enumerate(options) if option.is_best)
            key = 4
        qualities.append(options[index].quality)
        press(qtbot, digit(index + 1))
        assert view.confidence_box.isVisible()
        assert view.confidence_buttons[key - 1].text().startswith(f"{levels[key - 1]}%")
        press(qtbot, digit(key))
    return qualities


def test_exam_left_mid_way_resumed_and_reported(qtbot, store, library, clock, monkeypatch):
    all_topics = tuple(library.taxonomy.topics)
    monkeypatch.setattr(
        quiz_flow.QuizFlow, "ask_setup", staticmethod(lambda *_: QuizChoice(10, all_topics, QuizMode.EXAM))
    )
    monkeypatch.setattr(quiz_flow.QuizFlow, "ask_resume", staticmethod(lambda *_: messages.RESUME))

    first = open_fresh_window(qtbot, store, library, clock)
    press(qtbot, Qt.Key.Key_Q)
    assert first.pages.currentWidget() is first.quiz.view
    qualities = answer_items(qtbot, first, range(4))
    first.close()

    quizzes = QuizStore(store)
    unfinished = quizzes.open_attempt()
    assert unfinished is not None
    assert (unfinished.answered, unfinished.length, unfinished.mode) == (4, 10, QuizMode.EXAM)
    assert quizzes.finished_attempts() == []

    second = open_fresh_window(qtbot, store, library, clock)
    press(qtbot, Qt.Key.Key_Q)
    qualities += answer_items(qtbot, second, range(4, 10))

    report_view = second.pages.currentWidget()
    assert isinstance(report_view, ReportView)
    assert quizzes.open_attempt() is None
    [attempt] = quizzes.finished_attempts()
    items = quizzes.items(attempt.id)
    assert [i.quality for i in items] == qualities
    levels = [confidence_levels(len(i.option_order)) for i in items]
    assert [i.confidence for i in items] == [lv[4] if p in WEAK_ITEMS else lv[3] for p, lv in enumerate(levels)]
    assert all(i.option_id in i.option_order for i in items)
    assert len({i.card_id for i in items}) == 10
    # Held-out items by default; study cards only where the bank is short of a topic (see test_quiz_bank).
    cards = {**library.cards, **library.bank}
    assert all((i.source == ItemSource.BANK) == (i.card_id in library.bank) for i in items)
    assert sorted({cards[i.card_id].topic for i in items}) == sorted(all_topics)

    # Hand-computed: 7 best answers (quality 3) and 3 weakest picks (quality 0 or 1 on these cards), four options.
    weak = [qualities[p] for p in sorted(WEAK_ITEMS)]
    assert all(q in (0, 1) for q in weak)
    assert {len(i.option_order) for i in items} == {4}
    report = report_view.report
    assert report.score == pytest.approx((21 + sum(weak)) / 30)
    assert report.accuracy == pytest.approx(0.7)
    assert report.mean_confidence == pytest.approx((7 * 70 + 3 * 85) / 1000)
    assert report.brier == pytest.approx((7 * 0.3**2 + 3 * 0.85**2) / 10)
    assert len(report.confident_errors) == 3
    assert sum(count for _, count in report.mistakes) == 3

    percent = round(100 * (21 + sum(weak)) / 30)
    band = "strong" if percent >= 80 else "proficient"
    assert report_view.headline.text().startswith(f"Score {percent}% ({band}), 95%")
    assert "well calibrated" in report_view.calibration.text()
    assert "Brier score 0.28" in report_view.calibration.text()
    assert report_view.sources.text() == f"Held-out items (never studied): {percent}% over 10"
    assert len(report_view.error_buttons) == 3
    assert all(button.text().startswith("85% sure") for button in report_view.error_buttons)
    dialog = report_view.error_buttons[0]
    dialog.click()
    opened = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w.windowTitle() in library.taxonomy.topics.values()
    ]
    assert opened
    assert opened[0].explanation.why.text()


def test_report_saves_as_pdf(qtbot, store, library, clock, monkeypatch, tmp_path):
    from trainer.quiz.scoring import ItemResult, build_report

    cards = [c for c in library.cards.values() if c.kind == "choice"][:5]
    report = build_report([ItemResult(c, c.best_option.id, 90) for c in cards])
    view = ReportView(report, library)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(ReportView, "ask_pdf_path", classmethod(lambda cls, parent: target))
    view.pdf_button.click()
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 5_000


def test_history_lists_finished_attempts_and_opens_a_report(qtbot, store, library, clock, monkeypatch):
    all_topics = tuple(library.taxonomy.topics)
    monkeypatch.setattr(
        quiz_flow.QuizFlow, "ask_setup", staticmethod(lambda *_: QuizChoice(10, all_topics, QuizMode.EXAM))
    )
    window = open_fresh_window(qtbot, store, library, clock)
    window.quiz.show_history()
    assert window.pages.currentWidget().table.rowCount() == 0
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Q)
    qualities = answer_items(qtbot, window, range(10))
    window.quiz.show_history()
    history = window.pages.currentWidget()
    assert history.table.rowCount() == 1
    assert history.table.item(0, 4).text() == f"{round(100 * sum(qualities) / 30)}%"  # 7 best, 3 weakest picks
    history.table.selectRow(0)
    history.open_button.click()
    assert isinstance(window.pages.currentWidget(), ReportView)
