"""The main window: navigation between home and study, the menus and the global keys."""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QPushButton, QStackedWidget
from typing_extensions import override

from trainer.collection import Collection, StoreError
from trainer.model import SettingsError
from trainer.ui import messages, window_state
from trainer.ui.about import app_icon, show_about
from trainer.ui.backup_actions import BackupActions
from trainer.ui.browser.view import BrowserView
from trainer.ui.deck_actions import DeckActions
from trainer.ui.help_overlay import HOW_IT_WORKS, WELCOME, HelpOverlay
from trainer.ui.home_view import HomeView
from trainer.ui.quiz.flow import QuizFlow
from trainer.ui.rounds.flow import RoundsFlow
from trainer.ui.settings_dialog import SettingsDialog, relayout, save_and_apply
from trainer.ui.stats_view import StatsView
from trainer.ui.study_view import StudyView


class MainWindow(QMainWindow):
    """Wires the views together; holds no study logic of its own."""

    def __init__(self, collection: Collection, *, rng: random.Random | None = None):
        super().__init__()
        self.collection = collection
        self.setWindowTitle("Reciprocity Trainer")
        self.setMinimumSize(640, 480)
        window_state.restore(self)  # last size, place and maximised state; else fitted to the screen
        self.home = HomeView(collection)
        self.study = StudyView(collection, rng=rng)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.study)
        self._stats: StatsView | None = None  # built when first opened (see the properties below)
        self._browser: BrowserView | None = None
        self.setCentralWidget(self.pages)
        self.help = HelpOverlay(self.pages)
        self.help.sig_study_requested.connect(self._on_welcome_study)
        self.help.sig_closed.connect(self._on_help_closed)
        self._build_home_corner()
        self.quiz = QuizFlow(self.pages, collection.quizzes, self.show_home, rng=rng)
        self.rounds = RoundsFlow(self.pages, collection.games, self.show_home, rng=rng)
        self.home.sig_rounds_requested.connect(self.rounds.start)
        self.home.sig_study_requested.connect(self.show_study)
        self.home.sig_quiz_requested.connect(self.quiz.start)
        self.study.sig_quiz_requested.connect(self.quiz.start)
        self.study.sig_statistics_requested.connect(self.show_statistics)
        self.study.sig_home_requested.connect(self.show_home)
        self.home.sig_statistics_requested.connect(self.show_statistics)
        self.home.sig_browse_requested.connect(self.show_browser)
        self.backups = BackupActions(self, collection, self._show_status)
        self.backups.sig_data_replaced.connect(self._on_backups_data_replaced)
        self.decks = DeckActions(self, collection, self._show_status)
        self.decks.sig_decks_changed.connect(self._on_decks_changed)
        self.home.sig_study_deck.connect(self.show_study)
        self.setWindowIcon(app_icon())
        self._build_menus()

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("&Study", "S", self._on_study_key))
        file_menu.addAction(self._action("&Quiz…", "Q", self._on_quiz_key))
        file_menu.addAction(self._action("Quiz &history", None, self.quiz.show_history))
        file_menu.addAction(self._action("Negotiation &rounds…", "R", self._on_rounds_key))
        file_menu.addAction(self._action("Negotiation &progress", None, self.rounds.show_progress))
        file_menu.addSeparator()
        file_menu.addAction(self.backups.back_up_action)
        file_menu.addAction(self.backups.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.decks.import_action)
        file_menu.addMenu(self.decks.export_menu)
        file_menu.addAction(self.decks.open_folder_action)
        file_menu.addAction(self.decks.reload_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", QKeySequence.StandardKey.Quit, self.close))
        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo last answer", None, self._undo)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo), QKeySequence("Backspace")])
        self.undo_action.setShortcutVisibleInContextMenu(True)
        edit_menu.addAction(self.undo_action)
        edit_menu.addSeparator()
        settings_action = self._action("&Settings…", "Ctrl+,", self._on_settings)
        settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        edit_menu.addAction(settings_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self._action("&Home", None, self.show_home))
        view_menu.addAction(self._action("S&tatistics", "T", lambda: self._on_view_key(self.show_statistics)))
        view_menu.addAction(self._action("&Browse cards", "B", lambda: self._on_view_key(self.show_browser)))
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", "F1", self.help.toggle))
        help_menu.addAction(self._action("&How it works", None, lambda: self.help.show_page(HOW_IT_WORKS)))
        help_menu.addAction(self._action("&Welcome", None, lambda: self.help.show_page(WELCOME)))
        help_menu.addAction(self._action("&About", None, self._about))

    def _on_study_key(self) -> None:
        if self.help.isVisible() and self.help.page() == WELCOME:
            self._on_welcome_study()
        elif self.pages.currentWidget() is self.home and not self.help.isVisible():
            self.show_study()

    def welcome_if_first_run(self) -> None:
        """The welcome, once: on the first start (Help ▸ Welcome shows it again)."""
        if not window_state.flag("welcome_seen"):
            self.help.show_page(WELCOME)

    def _on_welcome_study(self) -> None:
        self.help.hide()
        self.show_study()

    def _on_help_closed(self) -> None:
        if self.help.page() == WELCOME:
            window_state.set_flag("welcome_seen")

    def _build_home_corner(self) -> None:
        """One place for "Home (Esc)" on every screen but home: the right end of the menu bar."""
        self.home_corner = QPushButton("Home (Esc)")
        self.home_corner.setObjectName("homeCorner")
        self.home_corner.setAccessibleDescription("Go back to the home screen")
        self.home_corner.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.home_corner.clicked.connect(self.show_home)
        self.menuBar().setCornerWidget(self.home_corner, Qt.Corner.TopRightCorner)
        self.pages.currentChanged.connect(
            lambda _: self.home_corner.setVisible(self.pages.currentWidget() is not self.home)
        )
        self.home_corner.hide()

    @override
    def changeEvent(self, event: QEvent) -> None:
        """Back in the window on the home screen (say, from the file manager): pick up deck files dropped in."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._on_home():
            self.decks.reload_if_changed()
        super().changeEvent(event)

    def _on_home(self) -> bool:
        return self.pages.currentWidget() is self.home and not self.help.isVisible()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save(self)
        super().closeEvent(event)

    def _on_quiz_key(self) -> None:
        current = self.pages.currentWidget()
        between_cards = current is self.study and self.study.card is None
        if not self.help.isVisible() and (current is self.home or between_cards):
            self.quiz.start()

    def _on_rounds_key(self) -> None:
        current = self.pages.currentWidget()
        between_cards = current is self.study and self.study.card is None
        if not self.help.isVisible() and (current is self.home or between_cards):
            self.rounds.start()

    def _on_view_key(self, show: Callable[[], None]) -> None:
        """T and B work from home, statistics, the browser and the done panel; not mid-card or mid-quiz."""
        current = self.pages.currentWidget()
        between_cards = current is self.study and self.study.card is None
        if not self.help.isVisible() and (current in (self.home, self._stats, self._browser) or between_cards):
            show()

    def _on_decks_changed(self) -> None:
        """The decks were reloaded (an import, a reload): home, and the browser if it was built, list them anew."""
        self.home.decks_reloaded()
        if self._browser is not None:
            self._browser.refresh()

    @property
    def stats(self) -> StatsView:
        """The statistics page, built the first time it is needed (a faster start)."""
        if self._stats is None:
            self._stats = StatsView(self.collection)
            self._stats.sig_home_requested.connect(self.show_home)
            self.pages.addWidget(self._stats)
        return self._stats

    @property
    def browser(self) -> BrowserView:
        """The card browser, built the first time it is needed."""
        if self._browser is None:
            self._browser = BrowserView(self.collection)
            self._browser.sig_home_requested.connect(self.show_home)
            self.pages.addWidget(self._browser)
        return self._browser

    def show_statistics(self) -> None:
        self.help.hide()
        self.stats.refresh()
        self.pages.setCurrentWidget(self.stats)
        self.stats.page_scroll.setFocus()  # the arrow keys scroll the page; Esc goes home
        self._report_skipped_rows()

    def show_browser(self) -> None:
        self.help.hide()
        self.browser.refresh()
        self.pages.setCurrentWidget(self.browser)
        self.browser.table.setFocus()
        self._report_skipped_rows()

    def _on_settings(self) -> None:
        chosen = SettingsDialog.ask(self, self.collection.settings, self.collection.personal)
        if chosen is None:
            return
        try:
            app = QApplication.instance()
            assert isinstance(app, QApplication)
            save_and_apply(app, self.collection, chosen)
        except (SettingsError, StoreError) as error:
            messages.warn(self, "Settings not saved", str(error))
            return
        current = self.pages.currentWidget()
        if current is self.home:
            self.home.refresh()
        elif self._stats is not None and current is self._stats:
            self._stats.refresh()
        relayout(self)

    def _show_status(self, text: str, timeout_ms: int) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def _on_backups_data_replaced(self) -> None:
        self.help.hide()
        self.show_home()

    def _undo(self) -> None:
        """Take back the choice just made (before it is rated); otherwise undo the last saved answer."""
        if self.pages.currentWidget() is self.study and self.study.take_back():
            return
        if self.pages.currentWidget() is self.quiz.view and self.quiz.view.take_back():
            return
        if self.study.session.can_undo():
            self.help.hide()
            self.pages.setCurrentWidget(self.study)
            self.study.undo()

    def show_study(self, deck_id: str | None = None) -> None:
        """Study every deck turned on, or one deck only (from the deck list)."""
        self.collection.study_deck(deck_id)
        self.help.hide()
        self.pages.setCurrentWidget(self.study)
        self.study.start()

    def show_home(self) -> None:
        if self.help.isVisible():
            self.help.hide()
            return
        self.collection.study_deck(None)  # home counts every deck turned on, whichever deck was studied last
        if not self.decks.reload_if_changed():  # (a reload refreshes home itself)
            self.home.refresh()
        self.pages.setCurrentWidget(self.home)
        self.home.study_button.setFocus()
        self._report_skipped_rows()

    def _report_skipped_rows(self) -> None:
        """Say so when rows with unreadable values were left out (another program edited the database)."""
        skipped = self.collection.skipped_rows()
        if skipped:
            self.statusBar().showMessage(
                f"{skipped} row(s) of your history could not be read and were left out. "
                "Close the trainer and run `trainer doctor` to list and repair them."
            )

    def _about(self) -> None:
        show_about(self, self.collection.database.parent).exec()
