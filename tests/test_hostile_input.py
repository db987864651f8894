"""Hostile input: malformed or random decks and settings end in ContentError / SettingsError, nothing else.

Also the files nobody should feed a trainer (100 MB, deep nesting, invalid UTF-8, control characters,
folders, links, devices), and card text full of markup, which is shown literally and never fetched.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import sys
from dataclasses import asdict, fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from trainer import paths
from trainer.collection import Collection
from trainer.library.loading import load_deck, load_library
from trainer.library.toml_files import MAX_FILE_BYTES, ContentError, read_toml
from trainer.model import SETTING_RANGES, Deck, Library, Rating, Settings, SettingsError, parse_settings
from trainer.storage.store import Store
from trainer.ui.study_view import StudyView

BUNDLED = load_library(paths.content_dir())
FUZZ_SCALE_ENV = "TRAINER_FUZZ_SCALE"  # e.g. 20 for a long hunt; the suite runs at 1


def examples(count: int) -> int:
    return max(1, round(count * float(os.environ.get(FUZZ_SCALE_ENV, "1"))))


SEED_DECK = sorted((paths.content_dir() / "decks").glob("*.toml"))[0]
SEED_LINES = SEED_DECK.read_text(encoding="utf-8").splitlines()
FILE_SETTINGS = settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def load_or_content_error(path: Path, library: Library) -> Deck | None:
    """The documented outcomes only: a deck, or ContentError naming the file."""
    try:
        return load_deck(path, library.taxonomy, library.references)
    except ContentError as error:
        problems = error.problems
    assert problems
    assert all(problem.path == str(path) for problem in problems)
    assert all(str(problem) for problem in problems)
    return None


# Random TOML values of any type and shape ---------------------------------------------------------

scalars = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["choice", "recall", "T1", "M12", "P", "A", "a", "stronger", "repeated", "Cialdini1975"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    max_leaves=12,
)
CARD_FIELDS = ["id", "kind", "topic", "move", "context", "power", "horizon", "difficulty", "situation", "prompt"]
CARD_FIELDS += ["principle", "explanation", "evidence", "sources", "ideas", "options", "answer"]


def toml_value(value: object) -> str:
    """An inline TOML value (json's string escapes are valid TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


cards = st.lists(
    st.dictionaries(st.sampled_from(CARD_FIELDS) | st.text(min_size=1, max_size=6), values, max_size=12),
    max_size=4,
)


def deck_text(header: dict, card_list: list[dict]) -> str:
    lines = ["[deck]"] + [f"{json.dumps(k)} = {toml_value(v)}" for k, v in header.items()]
    for card in card_list:
        lines += ["", "[[cards]]"] + [f"{json.dumps(k)} = {toml_value(v)}" for k, v in card.items()]
    return "\n".join(lines) + "\n"


@FILE_SETTINGS
@given(
    header=st.fixed_dictionaries({}, optional={"id": values, "title": values, "description": values}),
    card_list=cards,
)
def test_random_decks_of_any_shape_load_or_raise_content_error(tmp_path, header, card_list):
    path = tmp_path / "random.toml"
    path.write_text(deck_text(header, card_list), encoding="utf-8")
    load_or_content_error(path, BUNDLED)


# Mutations of a real deck file -------------------------------------------------------------------

mutation = st.tuples(
    st.sampled_from(["delete", "duplicate", "swap", "truncate", "insert", "replace-value", "bytes"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
    st.one_of(st.text(max_size=30), st.binary(max_size=12).map(lambda b: b.decode("latin-1")), values.map(toml_value)),
)


def mutate(lines: list[str], kind: str, where: float, payload: str) -> list[str]:
    if not lines:
        return [payload]
    at = int(where * len(lines))
    if kind == "delete":
        return lines[:at] + lines[at + 1 :]
    if kind == "duplicate":
        return lines[: at + 1] + lines[at:]
    if kind == "swap" and at + 1 < len(lines):
        return [*lines[:at], lines[at + 1], lines[at], *lines[at + 2 :]]
    if kind == "truncate":
        return [*lines[:at], lines[at][: len(lines[at]) // 2]]
    if kind == "insert":
        return [*lines[:at], payload, *lines[at:]]
    if kind == "replace-value" and "=" in lines[at]:
        key = lines[at].split("=", 1)[0]
        return [*lines[:at], f"{key}= {payload}", *lines[at + 1 :]]
    if kind == "bytes":
        line = lines[at]
        cut = int(where * len(line))
        return [*lines[:at], line[:cut] + payload + line[cut:], *lines[at + 1 :]]
    return lines


@FILE_SETTINGS
@given(mutations=st.lists(mutation, min_size=1, max_size=6), encoding=st.sampled_from(["utf-8", "latin-1", "raw"]))
def test_mutated_real_decks_load_or_raise_content_error(tmp_path, mutations, encoding):
    lines = SEED_LINES
    for kind, where, payload in mutations:
        lines = mutate(lines, kind, where, payload)
    text = "\n".join(lines)
    path = tmp_path / "mutated.toml"
    if encoding == "raw":
        path.write_bytes(text.encode("utf-8", "surrogatepass") + bytes([0xFF, 0x00, 0xC3]))
    else:
        path.write_bytes(text.encode(encoding, "replace"))
    load_or_content_error(path, BUNDLED)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    taxonomy=st.dictionaries(st.sampled_from(["topics", "moves", "contexts", "ideas", "mistakes", "x"]), values),
    references=st.dictionaries(st.text(min_size=1, max_size=10), values, max_size=5),
)
def test_random_taxonomy_and_references_give_a_library_with_problems(tmp_path, taxonomy, references):
    content = tmp_path / "content"
    (content / "decks").mkdir(parents=True, exist_ok=True)
    (content / "taxonomy.toml").write_text(
        "\n".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in taxonomy.items()), encoding="utf-8"
    )
    (content / "references.toml").write_text(
        "\n".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in references.items()), encoding="utf-8"
    )
    shutil.copy(SEED_DECK, content / "decks" / SEED_DECK.name)
    loaded = load_library(content)
    assert loaded.decks or loaded.problems


# Settings ------------------------------------------------------------------------------------------

anything = st.one_of(
    values,
    st.none(),
    st.binary(max_size=10),
    st.text(alphabet="0123456789.-+e ", max_size=60),
    st.sampled_from(["nan", "inf", "-inf", "1e400", " 7 ", "0x10", "½", "٣", "1_000", "True", "9" * 5000]),
)


@settings(max_examples=examples(300), deadline=None)
@given(raw=st.dictionaries(st.sampled_from([f.name for f in fields(Settings)]) | st.text(max_size=8), anything))
def test_parse_settings_gives_settings_or_settings_error(raw):
    try:
        parsed = parse_settings(raw)
    except SettingsError as error:
        message = str(error)
        assert any(name in message for name in raw)
        return
    for name, (_, low, high) in SETTING_RANGES.items():
        assert low <= getattr(parsed, name) <= high


@settings(max_examples=examples(200), deadline=None)
@given(changes=st.fixed_dictionaries({}, optional={f.name: anything for f in fields(Settings)}))
def test_save_settings_stores_valid_values_and_refuses_the_rest_unchanged(changes):
    with Store.memory() as store:
        wanted = Settings(**changes)
        try:
            store.save_settings(wanted)
        except SettingsError:
            assert store.settings() == Settings()
            return
        assert store.settings() == parse_settings(asdict(wanted))


@settings(max_examples=examples(200), deadline=None)
@given(stored=st.dictionaries(st.sampled_from([f.name for f in fields(Settings)]), st.text(max_size=30)))
def test_garbage_in_the_settings_table_falls_back_to_defaults(stored):
    with Store.memory() as store:
        store.db.table("settings").upsert_all([{"key": k, "value": v} for k, v in stored.items()], pk="key")
        current = store.settings()
        for name, value in stored.items():
            try:
                expected = getattr(parse_settings({name: value}), name)
            except SettingsError:
                expected = getattr(Settings(), name)
            assert getattr(current, name) == expected


# Files that are not what they seem -----------------------------------------------------------------


def expect_problem(path: Path, library: Library, words: str) -> None:
    with pytest.raises(ContentError) as refused:
        load_deck(path, library.taxonomy, library.references)
    assert words in str(refused.value)
    assert str(path) in str(refused.value)


def test_a_100_mb_deck_is_refused_without_reading_it_all(tmp_path: Path, library):
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as stream:
        stream.write(SEED_DECK.read_bytes())
        stream.truncate(100 * 1024 * 1024)  # sparse: 100 MB long, almost nothing on disk
    assert huge.stat().st_size == 100 * 1024 * 1024
    expect_problem(huge, library, f"larger than {MAX_FILE_BYTES // 1_000_000} MB")


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 100_000 + "]" * 100_000,
        "x = " + "{a = " * 50_000 + "1" + "}" * 50_000,
        "[deck]\nid = " + "[" * 400 + '"deep"' + "]" * 400,
        "".join(f"[{'a.' * 3000}b]\n"),
    ],
    ids=["lists", "inline-tables", "deep-id", "long-dotted-key"],
)
def test_deep_nesting_is_a_content_error(tmp_path: Path, library, text):
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError):
        load_deck(path, library.taxonomy, library.references)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'[deck]\nid = "x"\ntitle = "caf\xe9"\n', "is not valid UTF-8 text"),
        (b"\xef\xbb\xbf\xff\xfe[deck]\n", "is not valid UTF-8 text"),
        (b'[deck]\nid = "x"\ntitle = "bell\x07"\n', "TOML syntax error"),
        (b'[deck]\nid = "x"\x00\n', "TOML syntax error"),
    ],
)
def test_invalid_utf8_and_raw_control_characters(tmp_path: Path, library, data, words):
    path = tmp_path / "bad.toml"
    path.write_bytes(data)
    expect_problem(path, library, words)


@pytest.mark.parametrize("value", ["[]", "{}", "[1, 2]", '{ code = "E1" }', "3", "true"])
def test_a_mistake_code_of_the_wrong_type_is_a_content_error(tmp_path: Path, library, value):
    # Found by the mutation fuzzer: `mistake = []` raised TypeError (unhashable) instead of ContentError.
    lines = [f"mistake = {value}" if line.startswith("mistake = ") else line for line in SEED_LINES]
    path = tmp_path / "mistake.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    expect_problem(path, library, "a weak option needs a defined mistake code")


def test_escaped_control_characters_in_card_text_are_named(tmp_path: Path, library):
    text = SEED_DECK.read_text(encoding="utf-8").replace('prompt = "', 'prompt = "\\u0007\\u001b[31m', 1)
    path = tmp_path / "control.toml"
    path.write_text(text, encoding="utf-8")
    expect_problem(path, library, "prompt: contains control characters")


def test_a_folder_named_like_a_deck(tmp_path: Path, library):
    (tmp_path / "folder.toml").mkdir()
    expect_problem(tmp_path / "folder.toml", library, "found a folder")
    loaded = load_library(paths.content_dir(), [tmp_path])
    assert any("found a folder" in str(problem) for problem in loaded.problems)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks, FIFOs and /dev need POSIX")
@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("dangling", "missing or not a regular file"),
        ("loop", "missing or not a regular file"),
        ("fifo", "missing or not a regular file"),
        ("/dev/zero", "missing or not a regular file"),
        ("folder", "found a folder"),
    ],
)
def test_links_and_special_files_where_a_deck_should_be(tmp_path: Path, library, target, words):
    link = tmp_path / "link.toml"
    if target == "dangling":
        link.symlink_to(tmp_path / "nowhere.toml")
    elif target == "loop":
        link.symlink_to(tmp_path / "other.toml")
        (tmp_path / "other.toml").symlink_to(link)
    elif target == "fifo":
        os.mkfifo(link)  # opening it would wait for a writer for ever
    elif target == "folder":
        (tmp_path / "sub").mkdir()
        link.symlink_to(tmp_path / "sub")
    else:
        link.symlink_to(target)
    expect_problem(link, library, words)


def test_a_link_to_a_real_deck_is_read_like_the_deck(tmp_path: Path, library):
    link = tmp_path / "link.toml"
    link.symlink_to(SEED_DECK)
    assert load_deck(link, library.taxonomy, library.references).cards


def test_missing_or_broken_content_folder_gives_problems_not_exceptions(tmp_path: Path):
    assert load_library(tmp_path / "nowhere").problems
    (tmp_path / "content" / "taxonomy.toml").mkdir(parents=True)
    assert load_library(tmp_path / "content").problems


def test_read_toml_on_an_unreadable_file(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "secret.toml"
    path.write_text("x = 1")
    path.chmod(0)
    with pytest.raises(ContentError, match="cannot be read"):
        read_toml(path)


# Card text is plain text ---------------------------------------------------------------------------

MARKUP = '<b>bold</b> <img src="http://127.0.0.1:9/pixel.png"> <a href="https://example.com">link</a> &amp; <i>'


@pytest.fixture
def hostile_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(paths.content_dir(), content)
    deck = content / "decks" / SEED_DECK.name
    text = deck.read_text(encoding="utf-8")
    escaped = MARKUP.replace('"', '\\"')
    for field in ("prompt", "text", "feedback"):
        text = re.sub(rf'(?m)^{field} = "', lambda _, f=field: f'{f} = "{escaped} ', text)
    deck.write_text(text, encoding="utf-8")
    return content


def test_markup_in_card_text_is_shown_literally(qtbot, hostile_content: Path, store: Store, clock):
    library = load_library(hostile_content)
    assert not library.problems, library.problems
    view = StudyView(Collection(store, library, clock=clock, fuzzing=False), rng=random.Random(1))
    session = view.session
    qtbot.addWidget(view)
    view.show()
    for _ in range(30):
        view.start()
        if view.card.options and MARKUP in view.card.prompt:
            break
        session.answer(view.card, Rating.EASY)
    assert MARKUP in view.card.prompt
    view.choose(0)
    labels = [label for label in view.findChildren(QLabel) if label.isVisibleTo(view) and "<" in label.text()]
    assert len(labels) >= 1 + len(view.card.options)  # the prompt, every option, the chosen one's feedback
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
        assert not label.openExternalLinks()
    assert any(MARKUP in label.text().replace("\u200b", "") for label in labels)  # long words get break points
