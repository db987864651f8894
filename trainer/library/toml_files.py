"""Reading one TOML content file defensively: size, encoding and syntax problems named by file and line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from trainer.model import Problem

MAX_FILE_BYTES = 2_000_000
_TOML_LINE = re.compile(r"at line (\d+)")


class ContentError(Exception):
    """A content file could not be used; carries the problems found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse one TOML file defensively; raise ContentError naming the file and line."""
    name = str(path)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "missing or not a regular file"
        raise ContentError([Problem(name, f"expected a TOML file, found {what}")])
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ContentError([Problem(name, f"cannot be read: {error.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError([Problem(name, f"is larger than {MAX_FILE_BYTES // 1_000_000} MB")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError([Problem(name, "is not valid UTF-8 text", line=line)]) from None
    try:
        text = text.removeprefix("\ufeff")  # a byte-order mark, as some Windows editors write
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        where = int(found.group(1)) if found else None
        message = f"TOML syntax error: {str(error).split(' (at line')[0]}"
        raise ContentError([Problem(name, message, line=where)]) from None
    except RecursionError:
        raise ContentError([Problem(name, "TOML is nested too deeply")]) from None
