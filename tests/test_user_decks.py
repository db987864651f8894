"""Your own decks: loaded beside the bundled ones with namespaced ids, turned off and on, imported and exported."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import zipfile
from datetime import UTC
from pathlib import Path

import pytest

from trainer import desktop, paths
from trainer.cli import main
from trainer.collection import Collection
from trainer.exchange.anki import note_guid
from trainer.library.loading import load_library
from trainer.model import Rating
from trainer.paths import DataFolder
from trainer.storage.content_cache import cached_library
from trainer.storage.store import Store
from trainer.study.session import collection_stats

TEMPLATE = paths.content_dir() / "templates" / "situation-cards.csv"
BUNDLED_DECK = paths.content_dir() / "decks" / "t02-matching-concessions.toml"
OWN_IDS = {"situation-cards/example-t2-m1-p-01", "situation-cards/example-t5-m6-b-01"}


def import_template(data_dir: Path, *extra: str) -> int:
    return main(["--data-dir", str(data_dir), "import", str(TEMPLATE), *extra])


def own_collection(data_dir: Path, clock) -> Collection:
    store = Store.open(data_dir)
    return Collection(store, cached_library(paths.content_dir(), data_dir), clock=clock, zone=UTC, fuzzing=False)


def template_rows() -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(TEMPLATE.read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- Loading and studying ---------------------------------------------------------------------------


def test_an_own_deck_is_loaded_beside_the_bundled_ones_and_studied(data_dir, clock, capsys):
    assert import_template(data_dir) == 0
    collection = own_collection(data_dir, clock)
    try:
        library = collection.library
        assert not library.problems
        own = [deck for deck in library.decks if deck.own]
        assert [deck.id for deck in own] == ["situation-cards"]
        assert set(library.cards) >= OWN_IDS
        assert len(library.cards) == 122
        rows = {row.id: row for row in collection.decks()}
        assert (rows["situation-cards"].own, rows["situation-cards"].new, rows["situation-cards"].cards) == (True, 2, 2)
        assert not rows["t02-matching-concessions"].own
        collection.study_deck("situation-cards")
        assert collection.study.counts().new == 2
        card = collection.study.next_card()
        assert card is not None
        assert card.id in OWN_IDS
        assert card.deck_id == "situation-cards"
        collection.study.answer(card, Rating.GOOD, option_id=card.best_option.id if card.best_option else None)
        assert collection.has_answered(card.id)
        assert collection.study.counts().new == 1
        collection.study_deck(None)
        assert collection.study.counts().new == 19  # the daily limit of 20, one used
    finally:
        collection._store.close()


def test_an_own_card_reusing_a_bundled_id_is_refused_naming_both_files(data_dir, tmp_path, library):
    folder = DataFolder(data_dir).decks
    folder.mkdir(parents=True)
    copy = folder / "my-copy.toml"
    text = BUNDLED_DECK.read_text(encoding="utf-8").replace('id = "t02-matching-concessions"', 'id = "my-copy"', 1)
    copy.write_text(text, encoding="utf-8")
    loaded = load_library(paths.content_dir(), own=[folder])
    assert "my-copy" not in {deck.id for deck in loaded.decks}
    assert loaded.cards == library.cards
    [(path, problems)] = loaded.skipped_decks().items()
    assert path == str(copy)
    first = str(problems[0])
    assert first.startswith(f"{copy}:11: card t2-m1-p-01: id: 't2-m1-p-01' is already the id of a bundled card in ")
    assert str(BUNDLED_DECK) in first
    assert "history is never shared" in first


def test_an_own_deck_reusing_a_bundled_deck_id_is_refused(data_dir):
    folder = DataFolder(data_dir).decks
    folder.mkdir(parents=True)
    shutil.copy(BUNDLED_DECK, folder / "copy.toml")
    loaded = load_library(paths.content_dir(), own=[folder])
    messages = [p.message for p in loaded.problems]
    assert any(m.startswith("'t02-matching-concessions' is already the id of the bundled deck") for m in messages)
    assert main(["--data-dir", str(data_dir), "check"]) == 1


def test_own_ids_are_namespaced_so_a_bundled_history_is_never_taken(data_dir, clock):
    assert import_template(data_dir) == 0
    collection = own_collection(data_dir, clock)
    try:
        own = [card for card in collection.library.cards.values() if card.deck_id == "situation-cards"]
        assert {card.id for card in own} == OWN_IDS
        assert all(card.id not in collection.library.bank for card in own)
    finally:
        collection._store.close()


def test_the_content_cache_sees_own_decks(data_dir):
    first = cached_library(paths.content_dir(), data_dir)
    assert import_template(data_dir) == 0
    second = cached_library(paths.content_dir(), data_dir)
    assert len(second.cards) == len(first.cards) + 2
    assert (
        cached_library(paths.content_dir(), data_dir)
        == second
        == load_library(paths.content_dir(), own=[DataFolder(data_dir).decks])
    )
    assert [d.own for d in second.decks if d.id == "situation-cards"] == [True]


# --- Deck switches ----------------------------------------------------------------------------------


def test_a_deck_turned_off_is_neither_studied_nor_counted_and_keeps_its_history(collection, clock):
    session = collection.study
    card = session.next_card()
    assert card is not None
    session.answer(card, Rating.AGAIN, option_id=card.options[0].id if card.options else None)
    clock.advance(minutes=15)
    before = session.counts()
    assert before.learning == 1
    collection.set_deck_enabled(card.deck_id, False)
    rows = {row.id: row for row in collection.decks()}
    assert not rows[card.deck_id].enabled
    assert all(row.enabled for deck_id, row in rows.items() if deck_id != card.deck_id)
    assert session.counts().learning == before.learning - 1
    for _ in range(30):
        shown = session.next_card()
        assert shown is None or shown.deck_id != card.deck_id
        if shown is None:
            break
        session.answer(shown, Rating.EASY, option_id=shown.best_option.id if shown.best_option else None)
    assert collection.has_answered(card.id)
    collection.set_deck_enabled(card.deck_id, True)
    assert session.counts().learning >= 1


def test_a_deck_turned_off_leaves_mastery_statistics_and_trainer_stats(collection, clock):
    session = collection.study
    card = session.next_card()
    assert card is not None
    session.answer(card, Rating.AGAIN, option_id=card.options[0].id if card.options else None)
    clock.advance(minutes=15)
    size = sum(1 for c in collection.library.cards.values() if c.deck_id == card.deck_id)

    def figures() -> tuple[int, int, int, dict[str, object]]:
        mastery = collection.dashboard().mastery.values()
        forecast = sum(collection.statistics().forecast)
        stats = collection_stats(session.store, collection.library, clock, UTC)
        return sum(m.total for m in mastery), sum(m.studied for m in mastery), forecast, stats

    total, studied, forecast, stats = figures()
    assert (studied, forecast, stats["due"]) == (1, 1, 1)
    collection.set_deck_enabled(card.deck_id, False)
    off_total, off_studied, off_forecast, off_stats = figures()
    assert (off_total, off_studied, off_forecast) == (total - size, 0, 0)
    counted = (off_stats["cards"], off_stats["new"], off_stats["due"])
    assert counted == (stats["cards"] - size, stats["new"] - size + 1, 0)
    assert off_stats["reviews"] == stats["reviews"] == 1  # the history stays
    collection.set_deck_enabled(card.deck_id, True)
    assert figures() == (total, studied, forecast, stats)


def test_study_one_deck_only(collection):
    collection.study_deck("t06-anchors")
    for _ in range(5):
        card = collection.study.next_card()
        assert card is not None
        assert card.deck_id == "t06-anchors"
        collection.study.answer(card, Rating.EASY, option_id=card.best_option.id if card.best_option else None)
    collection.study_deck(None)
    assert collection.study.counts().new == 15


# --- Import -----------------------------------------------------------------------------------------


def test_a_bad_csv_row_is_named_by_row_and_column_and_nothing_is_imported(data_dir, tmp_path, capsys):
    header, rows = template_rows()
    rows[1]["difficulty"] = "two"
    rows[0]["topic"] = "T99"
    bad = write_csv(tmp_path / "my-cards.csv", header, rows)
    assert main(["--data-dir", str(data_dir), "import", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert f"{bad}: row 2, column topic:" in out
    assert f"{bad}: row 3, column difficulty: 'two' is not a whole number" in out
    assert "nothing imported: 2 problem(s)" in err
    assert not DataFolder(data_dir).decks.exists() or not any(DataFolder(data_dir).decks.iterdir())


def test_a_good_csv_round_trips_to_a_deck_trainer_check_accepts(data_dir, capsys):
    assert import_template(data_dir, "--title", "My cards", "--id", "my-cards") == 0
    written = DataFolder(data_dir).decks / "my-cards.toml"
    assert "imported 2 card(s)" in capsys.readouterr().out
    assert written.read_text(encoding="utf-8").startswith("# Converted from situation-cards.csv")
    assert main(["--data-dir", str(data_dir), "check"]) == 0
    assert "and 1 of your own" in capsys.readouterr().out
    assert main(["check", str(written)]) == 0


def test_importing_a_toml_deck_copies_it_and_replacing_asks_and_keeps_history(data_dir, tmp_path, clock, capsys):
    assert import_template(data_dir, "--id", "mine") == 0
    deck = DataFolder(data_dir).decks / "mine.toml"
    outside = tmp_path / "edited.toml"
    outside.write_text(deck.read_text(encoding="utf-8").replace('title = "Situation cards"', 'title = "Edited"'))
    collection = own_collection(data_dir, clock)
    card = collection.library.cards[next(c for c in collection.library.cards if c.startswith("mine/"))]
    collection.study.answer(card, Rating.GOOD, option_id=card.best_option.id if card.best_option else None)
    collection._store.close()
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "import", str(outside)]) == 1  # not a terminal: needs --replace
    assert "already exists" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "import", str(outside), "--replace"]) == 0
    assert sorted(p.name for p in DataFolder(data_dir).decks.iterdir()) == ["mine.toml"]
    again = own_collection(data_dir, clock)
    try:
        assert {d.title for d in again.library.decks if d.own} == {"Edited"}
        assert again.has_answered(card.id)
    finally:
        again._store.close()


def test_a_toml_deck_with_a_bundled_id_is_not_imported(data_dir, tmp_path, capsys):
    copy = tmp_path / "copy.toml"
    text = BUNDLED_DECK.read_text(encoding="utf-8").replace('id = "t02-matching-concessions"', 'id = "my-copy"', 1)
    copy.write_text(text, encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "import", str(copy)]) == 1
    assert "is already the id of a bundled card in" in capsys.readouterr().out
    assert not DataFolder(data_dir).decks.exists()


def test_the_collection_imports_and_reloads(collection, tmp_path):
    plan = collection.plan_import(TEMPLATE)
    assert plan.ok
    assert plan.cards == 2
    assert plan.replaces is None
    collection.import_deck(plan)
    assert set(collection.library.cards) >= OWN_IDS
    assert collection.study.library is collection.library
    assert "situation-cards" in {row.id for row in collection.decks()}
    assert collection.plan_import(TEMPLATE).replaces == collection.decks_folder / "situation-cards.toml"


# --- Export -----------------------------------------------------------------------------------------


def read_notes(path: Path, tmp_path: Path) -> list[tuple[str, list[str]]]:
    with zipfile.ZipFile(path) as archive:
        target = tmp_path / "collection.sqlite"
        target.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(target)
    try:
        return [(g, f.split("\x1f")) for g, f in connection.execute("select guid, flds from notes order by id")]
    finally:
        connection.close()


def test_the_apkg_holds_the_expected_notes_with_stable_ids(data_dir, tmp_path, library, capsys):
    assert import_template(data_dir) == 0
    first, second, one = tmp_path / "a.apkg", tmp_path / "b.apkg", tmp_path / "one.apkg"
    assert main(["--data-dir", str(data_dir), "export", "--apkg", str(first)]) == 0
    assert main(["--data-dir", str(data_dir), "export", "--apkg", str(second)]) == 0
    assert main(["--data-dir", str(data_dir), "export", "--apkg", str(one), "--deck", "situation-cards"]) == 0
    notes = read_notes(first, tmp_path)
    assert len(notes) == len(library.cards) + 2
    assert sorted(g for g, _ in notes) == sorted(g for g, _ in read_notes(second, tmp_path))
    assert {g for g, _ in notes} >= {note_guid(card_id) for card_id in library.cards}
    own = read_notes(one, tmp_path)
    assert sorted(g for g, _ in own) == sorted(note_guid(card_id) for card_id in OWN_IDS)
    choice = next(fields for _, fields in own if fields[0] == "situation-cards/example-t2-m1-p-01")
    assert "What is your best next move?" in choice[2]
    assert choice[3].startswith('<ol type="A">')
    assert "<b>Best: A.</b>" in choice[4]
    assert "A · best" in choice[5]
    assert "C · weak" in choice[5]
    assert choice[6].startswith("Match, don")
    assert main(["--data-dir", str(data_dir), "export", "--apkg", str(one), "--deck", "nope"]) == 1
    assert "no deck has the id 'nope'" in capsys.readouterr().err


def test_the_history_csv_has_one_row_per_answer_under_the_optimiser_columns(data_dir, clock, tmp_path, capsys):
    collection = own_collection(data_dir, clock)
    answered = []
    for _ in range(4):
        card = collection.study.next_card()
        assert card is not None
        collection.study.answer(card, Rating.GOOD, option_id=card.best_option.id if card.best_option else None)
        answered.append(card.id)
        clock.advance(minutes=2)
    collection._store.close()
    history, quizzes = tmp_path / "answers.csv", tmp_path / "quizzes.csv"
    assert main(["--data-dir", str(data_dir), "export", "--history", str(history), "--quizzes", str(quizzes)]) == 0
    rows = list(csv.DictReader(io.StringIO(history.read_text(encoding="utf-8"))))
    assert len(rows) == 4
    assert list(rows[0])[:4] == ["card_id", "review_time", "review_rating", "review_duration"]
    assert [row["card_id"] for row in rows] == answered
    assert {row["review_rating"] for row in rows} == {"3"}
    assert all(int(row["review_time"]) > 0 and row["review_state"] == "0" for row in rows)
    assert quizzes.read_text(encoding="utf-8").startswith("attempt_id,finished_at_utc,position,card_id")
    assert "wrote 4 answer row(s)" in capsys.readouterr().out


# --- The desktop entry ------------------------------------------------------------------------------


def test_install_desktop_writes_an_entry_and_its_icon_and_removes_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["install-desktop"]) == 0
    entry = tmp_path / "share" / "applications" / "reciprocity-trainer.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "reciprocity-trainer.svg"
    text = entry.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    assert "Name=Reciprocity Trainer\n" in text
    assert f"Icon={icon}\n" in text
    assert "-m trainer\n" in text
    assert icon.read_bytes() == (paths.assets_dir() / "icon.svg").read_bytes()
    assert main(["install-desktop", "--remove"]) == 0
    assert not entry.exists()
    assert not icon.exists()
    assert main(["install-desktop", "--remove"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("python", "expected"),
    [("/usr/bin/python3", "/usr/bin/python3"), ("/home/a b/py", '"/home/a b/py"'), ("/x/100%/py", "/x/100%%/py")],
)
def test_the_exec_line_is_quoted_as_the_spec_asks(python, expected):
    assert f"Exec={expected} -m trainer\n" in desktop.desktop_entry(Path("/i.svg"), python)
