"""File menu actions for decks: Import…, Export ▸ (Anki package, answers, quiz items), Open my decks folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.collection import Collection, ImportPlan, StoreError
from trainer.ui import messages
from trainer.ui.widgets import text_label

STATUS_MS = 10_000
ALL_DECKS = "All decks"


class ImportDialog(QDialog):
    """Shows what importing a file would do: the deck, or every problem; Import only when there is none."""

    def __init__(self, parent: QWidget | None, collection: Collection, source: Path):
        super().__init__(parent)
        self.collection = collection
        self.source = source
        self.setWindowTitle("Import a deck")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(f"File: {source}"))
        self.form = QFormLayout()
        self.title_edit = QLineEdit()
        self.id_edit = QLineEdit()
        self.form.addRow("Deck title", self.title_edit)
        self.form.addRow("Deck id", self.id_edit)
        layout.addLayout(self.form)
        self.check_button = QPushButton("Check again")
        self.check_button.clicked.connect(lambda: self.check())
        self.form.addRow("", self.check_button)
        self.verdict = text_label(bold=True)
        layout.addWidget(self.verdict)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout.addWidget(self.details, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.plan: ImportPlan | None = None
        self.check(first=True)

    def check(self, first: bool = False) -> None:
        """Plan the import again (a CSV with the title and id typed in) and show the result."""
        csv = self.source.suffix.lower() in (".csv", ".tsv", ".txt")
        deck_id = None if first or not csv else self.id_edit.text().strip() or None
        title = None if first or not csv else self.title_edit.text().strip() or None
        try:
            plan = self.plan = self.collection.plan_import(self.source, deck_id=deck_id, title=title)
        except (OSError, UnicodeDecodeError) as error:
            self.plan = None
            self._show(False, "This file cannot be read.", str(error))
            return
        for field in (self.title_edit, self.id_edit):
            field.setEnabled(csv)
        self.check_button.setVisible(csv)
        if first or not csv:
            self.title_edit.setText(plan.title)
            self.id_edit.setText(plan.deck_id)
        lines = [*plan.problems, *(f"warning: {w}" for w in plan.warnings)]
        if plan.ok:
            replacing = f"\nIt replaces your deck in {plan.replaces}; its history is kept." if plan.replaces else ""
            verdict = f"Ready: {plan.cards} card(s) into your deck “{plan.title}”.{replacing}"
        else:
            where = "row and column" if plan.kind == "csv" else "line and card"
            count = len(plan.problems)
            verdict = f"Nothing will be imported: {count} problem(s), each by {where}. Fix the file and try again."
        self._show(plan.ok, verdict, "\n".join(lines) or f"The deck will be saved as {plan.target}.")

    def _show(self, ok: bool, verdict: str, details: str) -> None:
        self.verdict.setText(verdict)
        self.details.setPlainText(details)
        self.import_button.setEnabled(ok)


class DeckFiles:
    """The file questions the deck actions ask; tests replace these."""

    @classmethod
    def choose_import(cls, parent: QWidget) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Import a deck", str(Path.home()), "Decks and card sheets (*.toml *.csv);;All files (*)"
        )
        return Path(name) if name else None

    @classmethod
    def choose_save(cls, parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filters)
        return Path(name) if name else None

    @classmethod
    def choose_deck(cls, parent: QWidget, titles: list[str]) -> str | None:
        chosen, ok = QInputDialog.getItem(parent, "Export to Anki", "Which deck?", titles, 0, False)
        return chosen if ok else None

    @classmethod
    def review_import(cls, dialog: ImportDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    @classmethod
    def confirm_replace(cls, parent: QWidget, plan: ImportPlan) -> bool:
        return messages.ask(
            parent,
            "Replace your deck?",
            f"You already have a deck with the id {plan.deck_id!r}:\n{plan.replaces}\n\n"
            "Replace it with the imported one? Your history of its cards is kept.",
            "Replace",
        )


class DeckActions(QObject):
    """Owns the deck actions; reports success in the status bar and failure in a dialog."""

    sig_decks_changed = Signal()
    """Emitted after a deck was imported or the decks were reloaded: home must re-read them."""

    def __init__(self, window: QWidget, collection: Collection, show_status):
        super().__init__(window)
        self.window = window
        self.collection = collection
        self.show_status = show_status
        self.import_action = self._action("&Import…", self.import_file)
        self.open_folder_action = self._action("Open my &decks folder", self.open_folder)
        self.reload_action = self._action("Re&load my decks", self.reload)
        self.export_menu = QMenu("&Export", window)
        self.export_apkg_action = self._action("&Anki deck…", self.export_apkg)
        self.export_history_action = self._action("Answer &history (CSV)…", self.export_history)
        self.export_quizzes_action = self._action("&Quiz items (CSV)…", self.export_quizzes)
        for action in (self.export_apkg_action, self.export_history_action, self.export_quizzes_action):
            self.export_menu.addAction(action)

    def _action(self, text: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        return action

    def import_file(self) -> None:
        source = DeckFiles.choose_import(self.window)
        if source is None:
            return
        dialog = ImportDialog(self.window, self.collection, source)
        if not DeckFiles.review_import(dialog) or dialog.plan is None or not dialog.plan.ok:
            return
        plan = dialog.plan
        if plan.replaces is not None and not DeckFiles.confirm_replace(self.window, plan):
            return
        try:
            written = self.collection.import_deck(plan)
        except OSError as error:
            messages.warn(self.window, "The deck was not imported", f"{error.strerror or error}: {error.filename}")
            return
        self.sig_decks_changed.emit()
        self.show_status(f"Imported {plan.cards} card(s) into your deck “{plan.title}” ({written})", STATUS_MS)

    def open_folder(self) -> None:
        folder = self.collection.decks_folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            messages.warn(self.window, "Cannot open your decks folder", f"{folder}: {error.strerror or error}")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            messages.inform(self.window, "Your decks folder", f"Your own decks go in this folder:\n{folder}")

    def reload(self) -> None:
        self.collection.reload_decks()
        self.sig_decks_changed.emit()
        self.show_status("Decks reloaded", STATUS_MS)

    def reload_if_changed(self) -> bool:
        """Pick up deck files added, edited or removed by hand since the decks were last loaded; True if so."""
        if not self.collection.reload_decks_if_changed():
            return False
        self.sig_decks_changed.emit()
        self.show_status("Your decks folder changed: decks reloaded", STATUS_MS)
        return True

    def export_apkg(self) -> None:
        decks = self.collection.decks()
        titles = [ALL_DECKS, *(row.title for row in decks)]
        chosen = DeckFiles.choose_deck(self.window, titles)
        if chosen is None:
            return
        deck = next((row for row in decks if row.title == chosen), None)
        suggested = f"{deck.id if deck else 'reciprocity-trainer'}.apkg"
        target = DeckFiles.choose_save(self.window, "Export to Anki", suggested, "Anki packages (*.apkg)")
        if target is None:
            return
        self._write(lambda: self.collection.export_apkg(target, deck.id if deck else None), target, "note")

    def export_history(self) -> None:
        target = DeckFiles.choose_save(self.window, "Export your answers", "answers.csv", "CSV files (*.csv)")
        if target is not None:
            self._write(lambda: self.collection.export_history(target), target, "answer")

    def export_quizzes(self) -> None:
        target = DeckFiles.choose_save(self.window, "Export your quiz items", "quiz-items.csv", "CSV files (*.csv)")
        if target is not None:
            self._write(lambda: self.collection.export_quizzes(target), target, "quiz item")

    def _write(self, write, target: Path, what: str) -> None:
        try:
            count = write()
        except (OSError, StoreError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            messages.warn(self.window, "The export failed", f"{target}: {reason}")
            return
        self.show_status(f"Wrote {count} {what}(s) to {target}", STATUS_MS)
