"""A problem found in a scenario file, located by file, scenario, field and line."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file."""

    file: str
    scenario: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: scenario {self.scenario or '?'}: {self.field}: {self.message}"


class ScenarioError(ValueError):
    """A scenario file could not be used; carries the problems found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class Locator:
    """Finds the line of a field in a TOML text (best effort: the first matching key)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def line(self, field: str) -> int | None:
        """The line of a dotted field such as ``issues.price.levels`` or ``messages.hold``."""
        parts = field.split(".")
        start = 0
        if parts[0] == "issues" and len(parts) > 1:
            found = self._find(rf'id\s*=\s*["\']{re.escape(parts[1])}["\']', 0)
            if found is None:
                return self._find(r"\[\[issues\]\]", 0)
            start = found - 1
            parts = parts[2:] or ["id"]
        elif parts[0] == "messages" and len(parts) > 1:
            section = self._find(r"\[messages\]", 0)
            start = section - 1 if section else 0
            parts = parts[1:]
        key = parts[0].split("[")[0]
        return self._find(rf"{re.escape(key)}\s*=", start) or self._find(rf"\[+{re.escape(key)}\]+", start)

    def _find(self, pattern: str, start: int) -> int | None:
        compiled = re.compile(rf"^\s*{pattern}")
        for number, text in enumerate(self.lines[start:], start=start + 1):
            if compiled.match(text):
                return number
        return None
