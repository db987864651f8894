"""The deck list on home, the import dialog, the Export menu, the decks folder and the About box."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from tests.ui_helpers import open_window
from trainer import __version__, paths
from trainer.exchange.user_decks import install, plan_import
from trainer.ui.about import about_text
from trainer.ui.deck_actions import DeckFiles, ImportDialog

TEMPLATE = paths.content_dir() / "templates" / "situation-cards.csv"


def bad_csv(tmp_path: Path) -> Path:
    reader = csv.DictReader(io.StringIO(TEMPLATE.read_text(encoding="utf-8-sig")))
    rows = list(reader)
    rows[1]["difficulty"] = "two"
    path = tmp_path / "my-cards.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, list(reader.fieldnames or []))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_deck_list_switches_a_deck_off_and_studies_one_deck(qtbot, collection):
    window = open_window(qtbot, collection)
    decks = window.home.deck_list
    assert len(decks.switches) == 10
    assert all(switch.isChecked() for switch in decks.switches.values())
    decks.switches["t01-reciprocity-norm"].setChecked(False)
    assert "t01-reciprocity-norm" in collection.study.disabled_decks()
    assert not window.home.deck_list.study_buttons["t01-reciprocity-norm"].isEnabled()
    assert all(card.deck_id != "t01-reciprocity-norm" for card in collection.study.active.values())
    qtbot.mouseClick(window.home.deck_list.study_buttons["t06-anchors"], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.study
    assert window.study.card is not None
    assert window.study.card.deck_id == "t06-anchors"
    window.show_home()
    assert collection.study.deck_scope is None  # home counts every deck turned on again
    assert window.home.figures is not None
    assert window.home.figures.counts.new == collection.settings.new_per_day  # not the 12 t06-anchors has


def test_the_import_dialog_names_a_bad_row_and_column_and_refuses(qtbot, collection, tmp_path):
    dialog = ImportDialog(None, collection, bad_csv(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.verdict.text().startswith("Nothing will be imported: 1 problem(s), each by row and column")
    assert "row 3, column difficulty: 'two' is not a whole number" in dialog.details.toPlainText()
    assert not dialog.import_button.isEnabled()
    assert dialog.title_edit.text() == "My cards"
    assert dialog.id_edit.text() == "my-cards"


def test_importing_from_the_file_menu_adds_the_deck_to_the_list(qtbot, collection, monkeypatch):
    window = open_window(qtbot, collection)
    monkeypatch.setattr(DeckFiles, "choose_import", classmethod(lambda cls, parent: TEMPLATE))
    monkeypatch.setattr(DeckFiles, "review_import", classmethod(lambda cls, dialog: dialog.plan.ok))
    window.decks.import_action.trigger()
    assert "situation-cards" in window.home.deck_list.switches
    assert "yours" in window.home.deck_list.switches["situation-cards"].text()
    assert (collection.decks_folder / "situation-cards.toml").exists()
    asked = []
    monkeypatch.setattr(
        DeckFiles, "confirm_replace", classmethod(lambda cls, parent, plan: asked.append(plan) or False)
    )
    window.decks.import_action.trigger()
    assert [plan.deck_id for plan in asked] == ["situation-cards"]


def test_a_deck_file_dropped_in_by_hand_appears_when_home_shows_again(qtbot, collection, monkeypatch):
    window = open_window(qtbot, collection)
    assert "situation-cards" not in window.home.deck_list.switches
    window.show_study()
    # Another program (the file manager) puts a deck into the folder while the learner studies.
    install(plan_import(TEMPLATE, collection.library, collection.decks_folder))
    reloads = []
    reload = type(collection).reload_decks
    monkeypatch.setattr(type(collection), "reload_decks", lambda self: reloads.append(1) or reload(self))
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))  # back in the window mid-card
    assert reloads == []  # never mid-card: only on home
    assert "situation-cards" not in window.home.deck_list.switches
    assert window.study.card is not None
    assert not window.study.card.id.startswith("situation-cards/")
    window.show_home()
    assert "situation-cards" in window.home.deck_list.switches
    assert window.statusBar().currentMessage() == "Your decks folder changed: decks reloaded"
    assert any(card_id.startswith("situation-cards/") for card_id in collection.study.active)
    assert reloads == [1]
    window.show_home()  # nothing changed since: no second load
    assert reloads == [1]
    # Back in the window from the file manager, on home: a file removed by hand is picked up too.
    (collection.decks_folder / "situation-cards.toml").unlink()
    assert window.isActiveWindow()
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert reloads == [1, 1]
    assert "situation-cards" not in window.home.deck_list.switches


def test_the_export_menu_writes_an_anki_package_and_the_csvs(qtbot, collection, monkeypatch, tmp_path):
    window = open_window(qtbot, collection)
    texts = [action.text() for action in window.decks.export_menu.actions()]
    assert texts == ["&Anki deck…", "Answer &history (CSV)…", "&Quiz items (CSV)…"]
    file_menu = window.menuBar().actions()[0].menu()
    assert window.decks.export_menu.menuAction() in file_menu.actions()
    monkeypatch.setattr(DeckFiles, "choose_deck", classmethod(lambda cls, parent, titles: "Anchors"))
    targets = iter([tmp_path / "anchors.apkg", tmp_path / "answers.csv", tmp_path / "quiz.csv"])
    monkeypatch.setattr(DeckFiles, "choose_save", classmethod(lambda cls, *args: next(targets)))
    for action in window.decks.export_menu.actions():
        action.trigger()
    assert (tmp_path / "anchors.apkg").stat().st_size > 0
    assert (tmp_path / "answers.csv").read_text(encoding="utf-8").startswith("card_id,review_time,review_rating")
    assert (tmp_path / "quiz.csv").exists()


def test_open_my_decks_folder_creates_and_opens_it(qtbot, collection, monkeypatch):
    window = open_window(qtbot, collection)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window.decks.open_folder_action.trigger()
    assert opened == [str(collection.decks_folder)]
    assert collection.decks_folder.is_dir()


def test_the_about_box_shows_version_licence_data_folder_and_sources(qtbot, collection, tmp_path):
    text = about_text(tmp_path / "<b>odd</b>")
    assert __version__ in text
    assert "Licence: MIT" in text
    assert "&lt;b&gt;odd&lt;/b&gt;" in text
    assert "<b>odd" not in text
    assert "references.toml" in text
    window = open_window(qtbot, collection)
    assert not window.windowIcon().isNull()
