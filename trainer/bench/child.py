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

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from trainer import paths
from trainer.clock import system_clock
from trainer.collection import Collection
from trainer.model import CardKind, QuizMode
from trainer.quiz.session import QuizSession
from trainer.storage.backup import open_store
from trainer.storage.content_cache import cached_library
from trainer.ui.quiz.setup import QuizChoice

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
    store = open_store(data, system_clock, full_check=False)  # as the app opens it (see trainer.app)
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


class _StallProbe(QObject):
    """A 10 ms timer that records how late it fires: the longest the GUI thread could not run its event loop."""

    PERIOD_MS = 10

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(self.PERIOD_MS)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start()

    def stop(self) -> float:
        """Stop; the longest lateness in ms (the time since the last tick counts too)."""
        self._tick()
        self.timer.stop()
        return round(self.longest, 1)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self.last) * 1000 - self.PERIOD_MS)
        self.last = now


def _measure(app: QApplication, begin, finished, probe: _StallProbe) -> tuple[float, float]:
    """Run `begin` from the event loop, keep the loop running until `finished()` is true; (ms, longest stall ms).

    `finished` is polled between events: an action done synchronously ends at once, one computed in the
    background ends when its result is painted.
    """
    probe.start()
    app.processEvents()
    started = time.perf_counter()
    begin()
    while not finished():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
        time.sleep(0.0005)
    elapsed = (time.perf_counter() - started) * 1000
    for _ in range(3):  # let the probe see the loop free again
        app.processEvents()
        time.sleep(0.002)
    return round(elapsed, 2), probe.stop()


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
    probe = _StallProbe()
    answers: list[float] = []
    stalls: list[float] = []
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

        took, stall = _measure(app, answer_and_paint, lambda: True, probe)
        answers.append(took)
        stalls.append(stall)
    figures: dict = {"answer_p50_ms": _percentile(answers, 50), "answer_p95_ms": _percentile(answers, 95)}
    figures["stall_answer_ms"] = max(stalls)

    def show(name: str, open_screen, widget_of, finished=lambda: True) -> None:
        def action() -> None:
            open_screen()
            widget_of().repaint()

        took, stall = _measure(app, action, finished, probe)
        figures[f"{name}_ms"] = round(took, 1)
        figures[f"stall_{name}_ms"] = stall

    show("dashboard", window.show_home, lambda: window.home)
    stats = window.stats

    def statistics_painted() -> bool:
        if not stats.ready:
            return False
        for card in stats.cards():  # every chart, also those below the fold
            (card.plot or card).repaint()
        return True

    show("statistics", window.show_statistics, lambda: stats, statistics_painted)
    show("browser", window.show_browser, lambda: window.pages.currentWidget())
    topics = tuple(session.library.taxonomy.topics)
    window.quiz.ask_setup = lambda *_: QuizChoice(10, topics, QuizMode.EXAM)  # the set-up dialog's answer
    show("quiz_start", window.quiz.start, lambda: window.quiz.view)
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
    show("quiz_report", lambda: window.quiz.show_report(quiz.attempt_id), lambda: window.quiz.extra)
    figures["longest_stall_ms"] = max(v for k, v in figures.items() if k.startswith("stall_"))
    figures["peak_rss_mb"] = round(_peak_rss_kb() / 1024, 1)
    store.close()
    return figures


def _peak_rss_kb() -> int:
    """This program's peak resident memory. On Linux from /proc (VmHWM): `ru_maxrss` keeps the high-water mark
    across exec, so a child spawned by a large parent would report the parent's size (the benchmark's parent
    holds L's million generated reviews)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak // 1024 if sys.platform == "darwin" else peak  # macOS gives bytes, Linux kilobytes


def _fit(folder: Path) -> dict:
    """Fitting FSRS to the whole history, as Settings ▸ Fit to my history does in its worker process."""
    from trainer.study import personal

    with open_store(folder / "data", system_clock) as store:
        settings = store.settings()
        begin = time.perf_counter()
        try:
            personal.fit_my_history(store, system_clock, None, settings.day_start_hour, record=False)
        except personal.NotEnoughHistory:
            return {"ms": None}  # below the measured threshold: the app refuses to fit, and so does this
        return {"ms": round((time.perf_counter() - begin) * 1000, 1)}


def run_child(mode: str, folder: Path | None, started: float) -> dict:
    if mode == "floor":
        return _floor(started)
    assert folder is not None
    if mode == "warm":
        cached_library(paths.content_dir(), folder / "data")
        return {}
    if mode == "launch":
        return _launch(folder, started)
    if mode == "fit":
        return _fit(folder)
    return _ops(folder)


if __name__ == "__main__":
    chosen, where, spawned = sys.argv[1], sys.argv[2], float(sys.argv[3])
    print(json.dumps(run_child(chosen, Path(where) if where else None, spawned)))
