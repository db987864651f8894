"""Converting a spreadsheet's CSV of situation cards into a deck's TOML text, checked by the deck validator.

One row per card. Every problem names the spreadsheet row (header = row 1) and the column, and no TOML is
produced while any problem remains. See content/templates/situation-cards.csv for the columns.
"""

from __future__ import annotations

import re
import string
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.exchange.csv_table import RowProblem, decode, read_table
from trainer.exchange.deck_toml import deck_toml
from trainer.library.deck_check import ID_PATTERN
from trainer.library.loading import load_deck
from trainer.library.toml_files import ContentError
from trainer.model import Problem, Reference, Taxonomy

REQUIRED_COLUMNS = (
    *("id", "kind", "topic", "move", "context", "power", "horizon", "difficulty", "situation", "prompt"),
    *("explanation", "principle", "evidence", "sources"),
)
OPTION_PARTS = ("id", "text", "quality", "feedback", "mistake")  # optionN_id is optional: it defaults to the Nth letter
MAX_OPTIONS = 8  # option ids a–h; the deck validator decides how many a card may have
OPTION_COLUMNS = tuple(f"option{n}_{part}" for n in range(1, MAX_OPTIONS + 1) for part in OPTION_PARTS)
# Optional text fields, carried through when the column exists; the validator decides whether they are allowed.
EXTRA_TEXT_COLUMNS = ("response", "finding_evidence", "contrast", "contrast_fact")
KNOWN_COLUMNS = frozenset({*REQUIRED_COLUMNS, *OPTION_COLUMNS, *EXTRA_TEXT_COLUMNS, "answer", "ideas"})
LOWERCASE = ("kind", "power", "horizon", "response")
UPPERCASE = ("evidence", "finding_evidence")
_OPTION_FIELD = re.compile(r"options\[(\d+)\]\.?(.*)")
_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")


@dataclass(frozen=True, slots=True)
class DeckConversion:
    """The deck's TOML text (None when there is any problem), the problems and the warnings."""

    toml_text: str | None
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.toml_text is not None


@dataclass
class _Row:
    """One converted row: its card table, and which CSV option slot each of its options came from."""

    number: int
    card: dict[str, Any]
    slots: list[int] = field(default_factory=list)


def csv_to_deck(
    csv_text: str | bytes,
    *,
    deck_id: str,
    title: str,
    file_name: str,
    taxonomy: Taxonomy,
    references: Mapping[str, Reference],
    description: str = "",
    taken_ids: Mapping[str, str] | None = None,
) -> DeckConversion:
    """Convert a CSV (text, or bytes in UTF-8 with or without a BOM) into a deck's TOML text.

    Args:
        file_name: the CSV's name, recorded in the TOML's opening comment.
        taken_ids: card id -> deck id of cards already loaded; reusing one from another deck is a problem.
    """
    if isinstance(csv_text, bytes):
        decoded, undecodable = decode(csv_text)
        if decoded is None:
            return DeckConversion(None, (undecodable,) if undecodable else ())
        csv_text = decoded
    read = read_table(csv_text, known=KNOWN_COLUMNS, required=REQUIRED_COLUMNS)
    if read.table is None:
        return DeckConversion(None, read.problems, read.warnings)
    problems = list(read.problems)
    if not read.table.rows:
        problems.append(RowProblem(2, None, "no cards: every row below the header is empty"))
    rows = [_convert(number, cells, problems) for number, cells in read.table.rows]
    by_check_id = _check_ids(rows, deck_id, taken_ids or {}, problems)
    # With no problems every row is checked under its own id, so the checked text is the result.
    toml_text = deck_toml(
        {"id": deck_id, "title": title, **({"description": description} if description else {})},
        [{**row.card, "id": check_id} for check_id, row in by_check_id.items()],
        comment=f"Converted from {_one_line(file_name)} by the trainer's CSV import.",
    )
    for problem in _validate(toml_text, taxonomy, references) if rows else ():
        located = _locate(problem, by_check_id)
        # A cell the conversion already reported (say, a difficulty that is not a number) is not reported twice.
        if located.row is None or not any((p.row, p.column) == (located.row, located.column) for p in problems):
            problems.append(located)
    if problems:
        return DeckConversion(None, _in_sheet_order(problems, read.table.columns), read.warnings)
    return DeckConversion(toml_text, (), read.warnings)


def _in_sheet_order(problems: list[RowProblem], columns: tuple[str, ...]) -> tuple[RowProblem, ...]:
    """Deck-wide problems first, then by row and by the column's place in the header."""

    def place(problem: RowProblem) -> tuple[int, int]:
        column = columns.index(problem.column) if problem.column in columns else len(columns)
        return (problem.row or 0, column)

    return tuple(sorted(problems, key=place))


def _convert(number: int, cells: dict[str, str], problems: list[RowProblem]) -> _Row:
    """The card table of one row; a cell that cannot be converted is left out and reported."""
    row = _Row(number, {})
    card = row.card
    for name in ("id", "kind", "topic", "move", "context", "power", "horizon"):
        if cells.get(name):
            card[name] = _case(name, cells[name])
    _put_integer(card, "difficulty", cells.get("difficulty", ""), number, "difficulty", problems)
    if cells.get("ideas"):
        card["ideas"] = _keys(cells["ideas"])
    for name in ("situation", "prompt", "answer", *EXTRA_TEXT_COLUMNS, "principle", "explanation", "evidence"):
        if cells.get(name):
            card[name] = _case(name, cells[name])
    if cells.get("sources"):
        card["sources"] = _keys(cells["sources"])
    options = []
    for slot in range(1, MAX_OPTIONS + 1):
        parts = {part: cells.get(f"option{slot}_{part}", "") for part in OPTION_PARTS}
        if not any(parts.values()):
            continue
        option: dict[str, Any] = {"id": parts["id"].lower() or string.ascii_lowercase[slot - 1]}
        if parts["text"]:
            option["text"] = parts["text"]
        _put_integer(option, "quality", parts["quality"], number, f"option{slot}_quality", problems)
        if parts["mistake"]:
            option["mistake"] = parts["mistake"].upper()
        if parts["feedback"]:
            option["feedback"] = parts["feedback"]
        options.append(option)
        row.slots.append(slot)
    if options:
        card["options"] = options
    return row


def _case(name: str, cell: str) -> str:
    """Codes a spreadsheet may have capitalised, in the case the deck format uses."""
    if name in LOWERCASE:
        return cell.lower()
    return cell.upper() if name in UPPERCASE else cell


def _put_integer(table: dict[str, Any], key: str, cell: str, row: int, column: str, problems: list[RowProblem]) -> None:
    if not cell:
        return
    if _INTEGER.fullmatch(cell):
        table[key] = int(float(cell))
    else:
        problems.append(RowProblem(row, column, f"{cell!r} is not a whole number"))


def _keys(cell: str) -> list[str]:
    """'A; B;C' -> ['A', 'B', 'C']; commas are accepted as separators too."""
    return [key.strip() for key in re.split(r"[;,]", cell) if key.strip()]


def _check_ids(rows: list[_Row], deck_id: str, taken: Mapping[str, str], problems: list[RowProblem]) -> dict[str, _Row]:
    """Report bad, repeated and taken ids; key every row by the id it is validated under."""
    first_row: dict[str, int] = {}
    by_check_id: dict[str, _Row] = {}
    for row in rows:
        card_id = row.card.get("id", "")
        usable = False
        if not card_id:
            problems.append(RowProblem(row.number, "id", "is empty"))
        elif not ID_PATTERN.fullmatch(card_id):
            problems.append(RowProblem(row.number, "id", "must be lowercase letters, digits and dashes"))
        elif card_id in first_row:
            problems.append(RowProblem(row.number, "id", f"{card_id!r} is already used in row {first_row[card_id]}"))
        elif taken.get(card_id, deck_id) != deck_id:
            problems.append(RowProblem(row.number, "id", f"{card_id!r} is already used in deck {taken[card_id]}"))
            usable = True
        else:
            usable = True
        first_row.setdefault(card_id, row.number)
        # A row whose id cannot be used is still checked, under a stand-in id, so all its problems show at once.
        by_check_id[card_id if usable else f"csv-row-{row.number}-unnamed"] = row
    return by_check_id


def _validate(toml_text: str, taxonomy: Taxonomy, references: Mapping[str, Reference]) -> list[Problem]:
    """The deck validator's problems with the TOML (it reads files, so the text goes through a temporary one)."""
    with tempfile.TemporaryDirectory(prefix="trainer-csv-") as folder:
        path = Path(folder) / "imported.toml"
        path.write_text(toml_text, encoding="utf-8")
        try:
            load_deck(path, taxonomy, dict(references))
        except ContentError as error:
            return list(error.problems)
    return []


def _locate(problem: Problem, by_check_id: Mapping[str, _Row]) -> RowProblem:
    """Map a validator problem (card id and TOML field) back to the row and column it came from."""
    message = "is empty" if problem.message == "missing" else problem.message
    row = by_check_id.get(problem.card_id or "")
    if row is None:
        where = f"{problem.field.replace('.', ' ')}: " if problem.field else ""
        return RowProblem(None, None, f"{where}{message}")
    column = problem.field
    option = _OPTION_FIELD.fullmatch(column or "")
    if option:
        index, part = int(option.group(1)), option.group(2)
        slot = row.slots[index - 1] if index <= len(row.slots) else index
        column = f"option{slot}_{part or 'text'}"
    elif column == "options":
        slot = row.slots[0] if row.slots else 1
        column = f"option{slot}_quality" if "quality" in message else f"option{slot}_text"
    return RowProblem(row.number, column, message)


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "a CSV file"
