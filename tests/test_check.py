"""`trainer check`: a valid deck passes; each defect names the file, line, card and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer import paths
from trainer.cli import main

README = (paths.content_dir() / "README.md").read_text(encoding="utf-8")
EXAMPLE = '[deck]\nid = "example"\ntitle = "Example"\n\n' + "\n".join(
    re.findall(r"```toml\n(\[\[cards\]\].*?)```", README, re.S)
)


def run_check(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["check", *args])
    return code, capsys.readouterr().out.splitlines()


def write(tmp_path: Path, text: str, name: str = "deck.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_decks_pass(capsys):
    code, lines = run_check(capsys)
    assert code == 0, lines
    assert lines[-1] == "ok: 20 deck file(s), 8 scenario file(s)"  # 10 study decks, 10 quiz-bank files


def test_readme_examples_form_a_valid_deck(tmp_path, capsys):
    code, lines = run_check(capsys, str(write(tmp_path, EXAMPLE)))
    assert code == 0, lines


def test_a_bundled_deck_checks_alone_by_relative_path(capsys, monkeypatch):
    monkeypatch.chdir(paths.content_dir().parent)
    code, lines = run_check(capsys, "content/decks/t02-matching-concessions.toml")
    assert code == 0, lines


def nth_line(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


DEFECTS = [
    # (name, change to the example deck, card id, field, words in the message)
    ("missing field", ('prompt = "What do you reply?"\n', ""), "t5-m6-b-02", "prompt", "missing"),
    ("unknown kind", ('kind = "recall"', 'kind = "essay"'), "t5-m6-b-02", "kind", "unknown kind"),
    ("quality out of range", ("quality = 0", "quality = 7"), "t2-m1-p-01", "options[2].quality", "0 to 3"),
    ("no best option", ("quality = 3", "quality = 2"), "t2-m1-p-01", "options", "exactly one"),
    ("two best options", ("quality = 1", "quality = 3"), "t2-m1-p-01", "options", "found 2"),
    ("empty text", ('prompt = "What is your best next move?"', 'prompt = "  "'), "t2-m1-p-01", "prompt", "empty"),
    ("unknown source", ('"Cohen1980"', '"Nobody2020"'), "t5-m6-b-02", "sources", "unknown key 'Nobody2020'"),
    ("unknown mistake code", ('mistake = "E5"', 'mistake = "E99"'), "t2-m1-p-01", "options[3].mistake", "E99"),
    ("duplicate id", ('id = "t5-m6-b-02"', 'id = "t2-m1-p-01"'), "t2-m1-p-01", "id", "duplicate"),
]


@pytest.mark.parametrize(("name", "change", "card", "field", "words"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_defect_is_reported_with_file_card_and_field(tmp_path, capsys, name, change, card, field, words):
    text = EXAMPLE.replace(*change, 1)
    assert text != EXAMPLE
    path = write(tmp_path, text)
    code, lines = run_check(capsys, str(path))
    assert code == 1
    matching = [line for line in lines if f"card {card}: {field}: " in line and words in line]
    assert matching, lines
    assert matching[0].startswith(f"{path}:")
    assert "Traceback" not in "\n".join(lines)


def test_toml_syntax_error_names_the_line(tmp_path, capsys):
    text = EXAMPLE.replace('title = "Example"', "title = Example")
    path = write(tmp_path, text)
    code, lines = run_check(capsys, str(path))
    assert code == 1
    assert lines == [f"{path}:3: TOML syntax error: Invalid value"]


def test_field_line_points_at_the_option(tmp_path, capsys):
    text = EXAMPLE.replace("quality = 0", "quality = 7")
    path = write(tmp_path, text)
    _, lines = run_check(capsys, str(path))
    assert lines[0].startswith(f"{path}:{nth_line(text, 'quality = 7')}: ")


def test_ids_colliding_across_decks_are_reported(tmp_path, capsys):
    first = write(tmp_path, EXAMPLE, "a.toml")
    second = write(tmp_path, EXAMPLE.replace('id = "example"', 'id = "other"'), "b.toml")
    code, lines = run_check(capsys, str(first), str(second))
    assert code == 1
    assert any(line.startswith(str(second)) and "already used in example" in line for line in lines)


def test_folder_missing_file_and_invalid_utf8(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'[deck]\nid = "x"\ntitle = "\xff"\n')
    code, lines = run_check(capsys, str(bad), str(tmp_path / "missing.toml"))
    assert code == 1
    assert f"{bad}:3: is not valid UTF-8 text" in lines
    assert any("missing.toml" in line and "expected a TOML file" in line for line in lines)
