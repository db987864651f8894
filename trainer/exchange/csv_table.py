"""Reading a spreadsheet's CSV: encoding, delimiter, header and rows, each cell tied to its row and column."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass

DELIMITERS = (",", ";", "\t")
_EXCEL_SEP = re.compile(r'"?sep=(.)"?\r?')


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong (or worth a warning) in a CSV, located by the spreadsheet's row (header = 1) and column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class Table:
    """The CSV's named columns and its non-blank rows as (spreadsheet row number, column -> stripped cell)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


@dataclass(frozen=True, slots=True)
class TableRead:
    table: Table | None
    problems: tuple[RowProblem, ...]
    warnings: tuple[RowProblem, ...]


def decode(data: bytes) -> tuple[str | None, RowProblem | None]:
    """UTF-8 text with or without a byte-order mark (or UTF-16 with one); otherwise a problem naming the bad line."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text"
            return data.decode("utf-16"), None
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = (
            f"the file is not UTF-8 text (first bad byte on line {line}); "
            "in Excel choose Save As > 'CSV UTF-8 (Comma delimited)'"
        )
        return None, RowProblem(None, None, message)


def read_table(text: str, *, known: Collection[str], required: Collection[str]) -> TableRead:
    """Split CSV text into named cells; the delimiter is Excel's `sep=` line or the one that names most columns."""
    text = text.removeprefix("\ufeff")
    first, _, rest = text.partition("\n")
    excel_sep = _EXCEL_SEP.fullmatch(first)
    if excel_sep:
        delimiter, text = excel_sep.group(1), rest
    else:
        delimiter = _sniff(first, known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        return TableRead(None, (RowProblem(None, None, f"CSV error near line {reader.line_num}: {error}"),), ())
    if not records or not any(cell.strip() for cell in records[0]):
        return TableRead(None, (RowProblem(1, None, "the first row must name the columns"),), ())
    header = [cell.strip().lower() for cell in records[0]]
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    missing = [name for name in required if name not in header]
    if missing:
        message = f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
        problems.append(RowProblem(1, None, message))
    for index, name in enumerate(header):
        if name and name in header[:index]:
            problems.append(RowProblem(1, name, "the column appears twice"))
        elif name and name not in known:
            warnings.append(RowProblem(1, name, "unknown column; its cells are ignored"))
    if any(not name for name in header) and any(_filled(r, header, "") for r in records[1:]):
        warnings.append(RowProblem(1, None, "a column without a name has cells; they are ignored"))
    if problems:
        return TableRead(None, tuple(problems), tuple(warnings))
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records[1:], start=2):
        cells = [_clean(cell) for cell in record]
        if not any(cells):
            continue
        if any(cells[len(header) :]):
            problems.append(RowProblem(number, None, f"has {len(cells)} cells but the header names {len(header)}"))
        rows.append((number, {name: cell for name, cell in zip(header, cells, strict=False) if name in known}))
    return TableRead(Table(tuple(header), tuple(rows)), tuple(problems), tuple(warnings))


def _sniff(header_line: str, known: Collection[str]) -> str:
    def score(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(cell.strip().lower() in known for cell in cells)

    return max(DELIMITERS, key=score)  # ties keep the earlier, so a comma wins


def _filled(record: list[str], header: list[str], name: str) -> bool:
    return any(cell.strip() for column, cell in zip(header, record, strict=False) if column == name)


def _clean(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()
