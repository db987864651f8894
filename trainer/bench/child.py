"""The measuring side of `trainer bench`, run in a fresh process per measurement (Qt lives here)."""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import quantiles

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from trainer import paths
from trainer.clock import system_clock
from trainer.collection import Collection
from trainer.library.cache import cached_library
from trainer.model import CardKind, QuizMode
from trainer.quiz.session import QuizSession
from trainer.storage.backup import open_store

TIMEOUT_MS = 600_000
ANSWERS = 200


def _percentile(values: list[float], q: int) -> float:
    return round(quantiles(values, n=100, method="inclusive")[q - 1], 2)


class _FirstPaint(QObject):
    """Records when a widget is first painted, then stops the event loop."""

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.at: float | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.time()
            QTimer.singleShot(0, QApplication.quit)
        return False


def _wait_for_paint(app: QApplication, widget: QWidget) -> float:
    probe = _FirstPaint(widget)
    QTimer.singleShot(TIMEOUT_MS, app.quit)
    app.exec()
    if probe.at is None:
        raise RuntimeError("the widget was never painted")
    return probe.at


def _open(folder: Path):
    from trainer.app import create_app
    from trainer.ui.main_window import MainWindow
    from trainer.ui.theme import apply_theme

    app = create_app()
    data = folder / "data"
    store = open_store(data, system_clock)
    library = cached_library(paths.content_dir(), data)
    settings = store.settings()
    apply_theme(app, settings.theme, settings.text_size, 10.0)
    collection = Collection(store, library)
    window = MainWindow(collection, rng=random.Random(1))
    return app, store, collection.study, window


def _floor(started: float) -> dict:
    app = QApplication([])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    return {"ms": round((_wait_for_paint(app, window) - started) * 1000, 1)}


def _launch(folder: Path, started: float) -> dict:
    app, store, _, window = _open(folder)
    window.resize(1280, 800)
    window.show()
    window.show_study()
    painted = _wait_for_paint(app, window.study.situation if window.study.card else window.study)
    store.close()
    return {"ms": round((painted - started) * 1000, 1)}


def _timed(action) -> float:
    begin = time.perf_counter()
    action()
    return (time.perf_counter() - begin) * 1000


def _ops(folder: Path) -> dict:
    app, store, session, window = _open(folder)
    offset = timedelta(0)

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    session.clock = clock
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.show_study()
    study = window.study
    answers: list[float] = []
    while len(answers) < ANSWERS:
        if study.card is None:  # nothing left today: move to tomorrow (not timed)
            offset += timedelta(days=1)
            study.start()
            continue
        if study.card.kind == CardKind.CHOICE:
            study.choose(study.order.index(study.card.best_option.id))
        else:
            study.reveal()
        app.processEvents()

        def answer_and_paint() -> None:
            study.rate(study.suggested)
            study.repaint()

        answers.append(_timed(answer_and_paint))
    figures = {"answer_p50_ms": _percentile(answers, 50), "answer_p95_ms": _percentile(answers, 95)}

    def show(open_screen, widget_of) -> float:
        def action() -> None:
            open_screen()
            widget_of().repaint()

        app.processEvents()
        return round(_timed(action), 1)

    figures["dashboard_ms"] = show(window.show_home, lambda: window.home)
    figures["statistics_ms"] = show(window.show_statistics, lambda: window.pages.currentWidget())
    figures["browser_ms"] = show(window.show_browser, lambda: window.pages.currentWidget())
    quiz = QuizSession.start(
        store,
        session.library,
        mode=QuizMode.EXAM,
        topics=list(session.library.taxonomy.topics),
        length=10,
        clock=clock,
        rng=random.Random(2),
    )
    while (current := quiz.current()) is not None:
        quiz.answer(current[0].option_order[0], 80, 5000)
    quiz.finish()
    figures["quiz_report_ms"] = show(lambda: window.quiz.show_report(quiz.attempt_id), lambda: window.quiz.extra)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    store.close()
    return figures


def run_child(mode: str, folder: Path | None, started: float) -> dict:
    if mode == "floor":
        return _floor(started)
    assert folder is not None
    if mode == "warm":
        cached_library(paths.content_dir(), folder / "data")
        return {}
    if mode == "launch":
        return _launch(folder, started)
    return _ops(folder)


if __name__ == "__main__":
    chosen, where, spawned = sys.argv[1], sys.argv[2], float(sys.argv[3])
    print(json.dumps(run_child(chosen, Path(where) if where else None, spawned)))
