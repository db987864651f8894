"""Import and export: spreadsheet CSV to deck TOML, Anki packages, and answer history as CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
import tomllib
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from trainer import paths
from trainer.exchange.anki import export_apkg, note_guid
from trainer.exchange.csv_deck import DeckConversion, csv_to_deck
from trainer.exchange.history_csv import AnswerRow, QuizItemRow, answers_csv, quiz_items_csv
from trainer.library.loading import load_deck
from trainer.model import Answer, Card, CardId, CardKind, Library, Option, Rating

TEMPLATE = paths.content_dir() / "templates" / "situation-cards.csv"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEACHING_COLUMNS = ("response", "finding_evidence", "contrast", "contrast_fact")  # optional, newer deck format


def convert(library: Library, text: str | bytes, **extra: Any) -> DeckConversion:
    options = {"deck_id": "imported", "title": "Imported", "file_name": "cards.csv", **extra}
    return csv_to_deck(text, taxonomy=library.taxonomy, references=library.references, **options)


def load(library: Library, toml_text: str, tmp_path: Path) -> tuple[Card, ...]:
    path = tmp_path / "imported.toml"
    path.write_text(toml_text, encoding="utf-8")
    return load_deck(path, library.taxonomy, library.references).cards


def template_rows() -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(TEMPLATE.read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def write_csv(header: list[str], rows: list[dict[str, str]], *, delimiter: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, delimiter=delimiter, lineterminator=newline, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def card_row(card: Card) -> dict[str, str]:
    """A bundled card as a spreadsheet row (the inverse of the import)."""
    row = {name: str(getattr(card, name)) for name in ("id", "kind", "topic", "move", "context", "power")}
    row |= {name: str(getattr(card, name)) for name in ("horizon", "difficulty", "situation", "prompt")}
    row |= {name: getattr(card, name) for name in ("explanation", "principle", "evidence", "answer")}
    row |= {"sources": "; ".join(card.sources), "ideas": "; ".join(card.ideas)}
    row |= {name: getattr(card, name, "") for name in TEACHING_COLUMNS}
    for number, option in enumerate(card.options, start=1):
        row |= {f"option{number}_id": option.id, f"option{number}_text": option.text}
        row |= {f"option{number}_quality": str(option.quality)}
        row |= {f"option{number}_feedback": option.feedback, f"option{number}_mistake": option.mistake or ""}
    return row


# --- CSV to deck ---------------------------------------------------------------------------------------


def test_the_template_converts_to_a_deck_the_validator_accepts(library: Library, tmp_path: Path) -> None:
    result = convert(library, TEMPLATE.read_bytes())
    assert result.ok, result.problems
    assert not result.warnings
    cards = load(library, result.toml_text or "", tmp_path)
    assert [(c.id, c.kind) for c in cards] == [("example-t2-m1-p-01", "choice"), ("example-t5-m6-b-01", "recall")]
    choice, recall = cards
    _, rows = template_rows()
    assert choice.situation == rows[0]["situation"]
    assert [(o.id, o.quality, o.mistake) for o in choice.options] == [("a", 3, None), ("b", 0, "E1"), ("c", 1, "E5")]
    assert choice.sources == ("Gouldner1960", "LawlerMacMurray1980")
    assert recall.answer == rows[1]["answer"]
    assert tomllib.loads(result.toml_text or "")["deck"] == {"id": "imported", "title": "Imported"}


def test_every_bundled_card_round_trips_through_a_spreadsheet(library: Library, tmp_path: Path) -> None:
    cards = list(library.cards.values())  # the study decks' cards, deck by deck
    header, _ = template_rows()
    header += [*TEACHING_COLUMNS, *(f"option{n}_id" for n in range(1, 5))]
    result = convert(library, write_csv(header, [card_row(c) for c in cards]))
    assert result.ok, result.problems[:5]
    reloaded = load(library, result.toml_text or "", tmp_path)
    assert list(reloaded) == [c.replace(deck_id="imported") for c in cards]


def test_long_prose_is_wrapped_into_readable_multiline_strings(library: Library) -> None:
    toml_text = convert(library, TEMPLATE.read_bytes()).toml_text or ""
    assert 'situation = """\n' in toml_text
    assert max(len(line) for line in toml_text.splitlines() if not line.startswith(("text", "feedback"))) <= 100
    assert '[[cards.options]]\nid = "a"' in toml_text


def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_produced(library: Library) -> None:
    header, rows = template_rows()
    rows[0] |= {"topic": "T99", "option3_mistake": ""}
    rows[1] |= {"difficulty": "two", "situation": ""}
    result = convert(library, write_csv(header, rows))
    assert result.toml_text is None
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(2, "topic"), (2, "option3_mistake"), (3, "difficulty"), (3, "situation")}
    assert "row 3, column difficulty: 'two' is not a whole number" in [str(p) for p in result.problems]


def test_validator_problems_map_back_to_option_columns(library: Library) -> None:
    header, rows = template_rows()
    rows[0] |= {"option2_quality": "3", "option2_mistake": "", "option3_text": " ".join(["word"] * 40)}
    result = convert(library, write_csv(header, rows))
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert messages[(2, "option3_text")] == "has 40 words; at most 35"
    assert "exactly one option must have quality 3" in messages[(2, "option1_quality")]


def test_bad_repeated_and_taken_ids_are_named(library: Library) -> None:
    header, rows = template_rows()
    rows[1]["id"] = rows[0]["id"]
    bad = dict(rows[0], id="Not An Id", topic="T99")
    result = convert(library, write_csv(header, [*rows, bad]))
    assert {(p.row, p.column) for p in result.problems} == {(3, "id"), (4, "id"), (4, "topic")}
    taken = convert(library, TEMPLATE.read_bytes(), taken_ids={"example-t5-m6-b-01": "t05-no-reciprocity"})
    assert [str(p) for p in taken.problems] == [
        "row 3, column id: 'example-t5-m6-b-01' is already used in deck t05-no-reciprocity"
    ]


def test_excel_csv_with_bom_semicolons_and_crlf_converts_the_same(library: Library) -> None:
    header, rows = template_rows()
    plain = convert(library, write_csv(header, rows))
    excel = write_csv(header, rows, delimiter=";", newline="\r\n")
    tabs = write_csv(header, rows, delimiter="\t", newline="\r\n").encode("utf-16")
    for variant in (excel.encode("utf-8-sig"), "\ufeff" + excel, excel.encode(), f"sep=;\r\n{excel}", tabs):
        result = convert(library, variant)
        assert result.ok, result.problems
        assert result.toml_text == plain.toml_text


def test_blank_trailing_rows_are_skipped_and_rows_keep_their_numbers(library: Library) -> None:
    header, rows = template_rows()
    text = write_csv(header, [rows[0], {}, rows[1], {}, {}])
    assert convert(library, text).ok
    broken = write_csv(header, [rows[0], {}, dict(rows[1], evidence="Z")])
    assert [(p.row, p.column) for p in convert(library, broken).problems] == [(4, "evidence")]


def test_a_missing_required_column_gets_one_clear_message(library: Library) -> None:
    header, rows = template_rows()
    kept = [name for name in header if name not in ("situation", "principle")]
    result = convert(library, write_csv(kept, [{k: r[k] for k in kept} for r in rows]))
    assert result.toml_text is None
    assert [str(p) for p in result.problems] == ["row 1: missing required columns: situation, principle"]


def test_unknown_columns_are_a_warning_not_an_error(library: Library) -> None:
    header, rows = template_rows()
    result = convert(library, write_csv([*header, "notes"], [dict(r, notes="check with Sam") for r in rows]))
    assert result.ok
    assert [str(w) for w in result.warnings] == ["row 1, column notes: unknown column; its cells are ignored"]


def test_text_that_is_not_utf8_or_has_no_rows_is_refused(library: Library) -> None:
    latin = TEMPLATE.read_text(encoding="utf-8-sig").encode("cp1252")
    result = convert(library, latin)
    assert result.toml_text is None
    assert "not UTF-8" in result.problems[0].message
    header, _ = template_rows()
    assert [str(p) for p in convert(library, write_csv(header, [])).problems] == [
        "row 2: no cards: every row below the header is empty"
    ]
    assert not convert(library, "").ok


def test_the_deck_id_and_title_are_checked_too(library: Library) -> None:
    result = convert(library, TEMPLATE.read_bytes(), deck_id="Bad Id", title=" ")
    assert [str(p) for p in result.problems] == [
        "deck id: must be lowercase letters, digits and dashes",
        "deck title: must be a non-empty string",
    ]


# --- Anki export ---------------------------------------------------------------------------------------


def read_apkg(path: Path, tmp_path: Path) -> tuple[list[tuple[str, int, list[str], str]], dict[str, Any]]:
    """(guid, model id, fields, tags) of every note, and the collection's decks and models."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n in ("collection.anki21", "collection.anki2"))
        target = tmp_path / f"{path.stem}.sqlite"
        target.write_bytes(archive.read(name))
    connection = sqlite3.connect(target)
    try:
        notes = [
            (guid, mid, flds.split("\x1f"), tags)
            for guid, mid, flds, tags in connection.execute("select guid, mid, flds, tags from notes order by sfld")
        ]
        decks, models = connection.execute("select decks, models from col").fetchone()
    finally:
        connection.close()
    return notes, {"decks": json.loads(decks), "models": json.loads(models)}


def test_the_apkg_holds_every_card_with_stable_ids_across_exports(library: Library, tmp_path: Path) -> None:
    cards = [c for c in library.cards.values() if c.topic == "T5"]
    assert {c.kind for c in cards} == {"choice", "recall"}
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    assert export_apkg(cards, library.references, first, deck_name="Reciprocity") == len(cards)
    export_apkg(reversed(cards), library.references, second, deck_name="Reciprocity")
    notes, collection = read_apkg(first, tmp_path)
    again, collection_again = read_apkg(second, tmp_path)
    assert [(g, m, f) for g, m, f, _ in notes] == [(g, m, f) for g, m, f, _ in again]
    assert sorted(g for g, *_ in notes) == sorted(note_guid(c.id) for c in cards)
    assert collection["models"].keys() == collection_again["models"].keys()
    named = {d["name"]: d["id"] for d in collection["decks"].values()}
    assert named["Reciprocity"] == {d["name"]: d["id"] for d in collection_again["decks"].values()}["Reciprocity"]
    assert len({m for _, m, _, _ in notes}) == 2


def test_choice_notes_show_lettered_options_and_every_verdict(library: Library, tmp_path: Path) -> None:
    card = library.cards[CardId("t2-m1-p-01")].replace(
        situation="You buy services for a chain of 40 care homes. They cut GBP 14,000.",
        prompt="What is your best reply?",
        evidence="A",
        finding_evidence="",
        response="",
        contrast="",
        contrast_fact="",
        sources=("Gouldner1960", "Cialdini1975"),
        options=(
            Option("a", "Thanks, I can see the route work in that.", 3, "Returns a smaller step."),
            Option("b", "Our budget line has not changed.", 1, "Their move gets nothing back.", "E4"),
            Option("c", "Let's settle in the middle.", 1, "Splits instead of trading.", "E5"),
            Option("d", "We can come up a lot.", 0, "A leap past your target.", "E1"),
        ),
    )
    export_apkg([card], library.references, tmp_path / "one.apkg", deck_name="One")
    [(_, _, fields, tags)] = read_apkg(tmp_path / "one.apkg", tmp_path)[0]
    card_id, situation, prompt, options, best, verdicts, principle, _, evidence, sources, extra = fields
    assert card_id == "t2-m1-p-01"
    assert situation.startswith("You buy services for a chain of 40 care homes")
    assert prompt == "What is your best reply?"
    assert principle == card.principle
    assert options.startswith('<ol type="A"><li>Thanks, I can see the route work')
    assert best.startswith("<b>Best: A.</b> Thanks")
    assert [word in verdicts for word in ("A · best", "B · weak", "C · weak", "D · harmful")] == [True] * 4
    assert evidence == "A · strong"
    assert sources.startswith("Gouldner (1960); Cialdini et al. (1975)")
    assert extra == ""
    assert "t02-matching-concessions" in tags.split()


def test_every_field_is_html_escaped(library: Library, tmp_path: Path) -> None:
    card = library.cards[CardId("t2-m1-p-01")]
    first = dataclasses.replace(card.options[0], text="Say <b>no</b> & mean it")
    hostile = card.replace(situation="A <b>bold</b> ask", options=(first, *card.options[1:]))
    recall = next(c for c in library.cards.values() if c.kind != CardKind.CHOICE)
    recall = recall.replace(answer='<script>alert("x")</script>')
    export_apkg([hostile, recall], library.references, tmp_path / "x.apkg", deck_name="<Deck>")
    notes, _ = read_apkg(tmp_path / "x.apkg", tmp_path)
    text = "\x1f".join("\x1f".join(fields) for _, _, fields, _ in notes)
    assert "A &lt;b&gt;bold&lt;/b&gt; ask" in text
    assert "Say &lt;b&gt;no&lt;/b&gt; &amp; mean it" in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "<b>bold" not in text
    assert "<script>" not in text


# --- History CSV ---------------------------------------------------------------------------------------


def test_the_answer_history_uses_the_optimiser_columns_one_row_per_answer() -> None:
    answers = [
        Answer(CardId("t2-m1-p-01"), START, Rating.GOOD, 12_345, None, "{}", option_id="a", quality=3),
        Answer(CardId("t5-m6-b-02"), START + timedelta(days=1, milliseconds=7), Rating.AGAIN, 800, "{}", "{}"),
    ]
    rows = [AnswerRow.from_answer(a, topic=a.card_id[:2].upper(), phase_before=i) for i, a in enumerate(answers)]
    parsed = list(csv.DictReader(io.StringIO(answers_csv(rows))))
    assert list(parsed[0])[:4] == ["card_id", "review_time", "review_rating", "review_duration"]
    assert len(parsed) == len(answers)
    assert parsed[0] | {} == {
        "card_id": "t2-m1-p-01",
        "review_time": str(int(START.timestamp() * 1000)),
        "review_rating": "3",
        "review_duration": "12345",
        "review_time_utc": "2026-11-23T09:00:00+00:00",
        "option_id": "a",
        "option_quality": "3",
        "topic": "T2",
        "review_state": "0",
    }
    assert int(parsed[1]["review_time"]) - int(parsed[0]["review_time"]) == 86_400_007
    assert (parsed[1]["option_id"], parsed[1]["option_quality"], parsed[1]["review_rating"]) == ("", "", "1")


def test_local_times_are_written_in_utc() -> None:
    local = datetime(2026, 11, 23, 10, 0, tzinfo=UTC).astimezone(ZoneInfo("Europe/Berlin"))
    [row] = csv.DictReader(io.StringIO(answers_csv([AnswerRow("c", local, 3, 1)])))
    assert row["review_time_utc"] == "2026-11-23T10:00:00+00:00"


def test_quiz_items_are_written_one_row_per_item() -> None:
    rows = [
        QuizItemRow(7, START, 1, "t2-m1-p-01", "b", 1, 4, 9_460),
        QuizItemRow(8, None, 1, "t3-m5-b-01"),
    ]
    parsed = list(csv.DictReader(io.StringIO(quiz_items_csv(rows))))
    assert parsed == [
        {
            "attempt_id": "7",
            "finished_at_utc": "2026-11-23T09:00:00+00:00",
            "position": "1",
            "card_id": "t2-m1-p-01",
            "option_id": "b",
            "option_quality": "1",
            "confidence": "4",
            "seconds": "9.5",
        },
        {
            "attempt_id": "8",
            "finished_at_utc": "",
            "position": "1",
            "card_id": "t3-m5-b-01",
            "option_id": "",
            "option_quality": "",
            "confidence": "",
            "seconds": "",
        },
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_found_from_the_header(library: Library, delimiter: str) -> None:
    header, rows = template_rows()
    assert convert(library, write_csv(header, rows, delimiter=delimiter)).ok
