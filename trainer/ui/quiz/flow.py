"""Navigation of the quiz: set-up or resume, the items, the report and the history, inside the main window."""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from trainer.collection import QuizSession, Quizzes
from trainer.ui import messages
from trainer.ui.quiz.history import HistoryView
from trainer.ui.quiz.report import ReportView
from trainer.ui.quiz.setup import QuizSetupDialog
from trainer.ui.quiz.view import QuizView


def ask_resume(parent: QWidget, answered: int, total: int) -> str:
    """Ask what to do with a quiz left mid-way: RESUME, DISCARD or CANCEL (see `messages.ask_resume`)."""
    return messages.ask_resume(
        parent,
        "Unfinished quiz",
        f"You left a quiz after {answered} of {total} items.",
        "Resume it, or discard it and start a new one? A discarded quiz never counts.",
        "Discard",
    )


class QuizFlow(QObject):
    """Owns the quiz pages; `go_home` returns to the home screen."""

    ask_resume = staticmethod(ask_resume)
    ask_setup = staticmethod(QuizSetupDialog.ask)

    def __init__(
        self,
        pages: QStackedWidget,
        quizzes: Quizzes,
        go_home: Callable[[], None],
        *,
        rng: random.Random | None = None,
    ):
        super().__init__(pages)
        self.pages = pages
        self.quizzes = quizzes
        self.library = quizzes.library
        self.go_home = go_home
        self.rng = rng or random.Random()
        self.view = QuizView(self.library)
        self.view.sig_finished.connect(self._on_view_finished)
        self.view.sig_left.connect(self._on_left)
        pages.addWidget(self.view)
        self.extra: QWidget | None = None

    def start(self) -> None:
        """Resume an unfinished quiz or set up a new one."""
        parent = self.pages.window()
        unfinished = self.quizzes.open_attempt()
        if unfinished is not None:
            choice = self.ask_resume(parent, unfinished.answered, unfinished.length)
            if choice == messages.CANCEL:
                return
            session = self.quizzes.resume(unfinished.id)
            if choice == messages.RESUME and session.current() is not None:
                self._run(session)
                return
            session.discard()
        picked = self.ask_setup(self.library.taxonomy, parent, self.quizzes.last_attempt())
        if picked is None:
            return
        session = self.quizzes.start(
            mode=picked.mode,
            topics=picked.topics,
            length=picked.length,
            quiz_format=picked.quiz_format,
            include_studied=picked.include_studied,
            rng=self.rng,
        )
        self._run(session)
        if session.fallback_topics:
            names = ", ".join(self.library.taxonomy.topics[t] for t in session.fallback_topics)
            self.view.note.setText(f"The held-out bank has too few items in {names}: studied cards fill the gap.")
            self.view.note.show()

    def _run(self, session: QuizSession) -> None:
        self.pages.setCurrentWidget(self.view)
        self.view.start(session)

    def _on_left(self) -> None:
        """Esc mid-quiz: home, saying that the quiz is kept and how to come back to it."""
        quiz = self.view.quiz
        self.go_home()
        window = self.pages.window()
        if quiz is not None and isinstance(window, QMainWindow):
            answered, total = quiz.position(), len(quiz.items)
            window.statusBar().showMessage(
                f"Quiz kept: {answered} of {total} items answered. Press Q on the home screen to resume it.", 15_000
            )

    def _on_view_finished(self, report) -> None:
        attempt = self.view.quiz.attempt if self.view.quiz is not None else None
        self._show(ReportView(report, self.library, attempt=attempt))

    def show_report(self, attempt_id: int) -> None:
        report = self.quizzes.report(attempt_id)
        attempt = next((a for a in self.quizzes.history() if a.id == attempt_id), None)
        if report is not None:
            self._show(ReportView(report, self.library, title="Quiz report (from history)", attempt=attempt))

    def show_history(self) -> None:
        view = HistoryView(self.quizzes.history(), self.library)
        view.sig_report_requested.connect(self.show_report)
        self._show(view)

    def _show(self, view: ReportView | HistoryView) -> None:
        """Replace the previous report or history page with a fresh one."""
        if isinstance(view, ReportView):
            view.sig_history_requested.connect(self.show_history)
        view.sig_home_requested.connect(self.go_home)
        if self.extra is not None:
            self.pages.removeWidget(self.extra)
            self.extra.deleteLater()
        self.extra = view
        self.pages.addWidget(view)
        self.pages.setCurrentWidget(view)
        view.setFocus()
