"""Loading scenario TOML files into ``Scenario`` values, reporting problems instead of raising tracebacks."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from trainer.rounds.names import Context, MessageKind, StrategyName
from trainer.rounds.problems import Locator, Problem, ScenarioError
from trainer.rounds.scenario import Issue, Level, Scenario
from trainer.rounds.scenario_check import check_scenario

MAX_FILE_BYTES = 500_000
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TEXT_FIELDS = ("title", "learner_role", "counterpart_role", "situation")
NUMBER_FIELDS = ("target", "walk_away", "reservation")


class _Reader:
    """Collects problems while turning one parsed file into a Scenario."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.locate = Locator(text)
        self.scenario_id = ""
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), self.scenario_id, field, message, self.locate.line(field)))

    def text(self, data: dict[str, Any], field: str, label: str | None = None) -> str:
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            self.problem(label or field, "must be a non-empty text")
            return ""
        return value.strip()

    def number(self, data: dict[str, Any], field: str) -> float:
        value = data.get(field)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(field, "must be a number")
            return 0.0
        return float(value)

    def numbers(self, value: Any, field: str, count: int) -> list[float]:
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int | float) for v in value):
            self.problem(field, "must be a list of numbers")
            return [0.0] * count
        if len(value) != count:
            self.problem(field, f"has {len(value)} values for {count} levels")
            return [0.0] * count
        return [float(v) for v in value]

    def issue(self, raw: Any, position: int) -> Issue | None:
        if not isinstance(raw, dict):
            self.problem(f"issues[{position}]", "must be a table")
            return None
        issue_id = raw.get("id")
        if not isinstance(issue_id, str) or not ID_PATTERN.fullmatch(issue_id):
            self.problem(f"issues[{position}].id", "must be a lower-case id such as 'unit-price'")
            return None
        field = f"issues.{issue_id}"
        name = self.text(raw, "name", f"{field}.name")
        labels = raw.get("levels")
        if not isinstance(labels, list) or len(labels) < 2 or not all(isinstance(x, str) and x for x in labels):
            self.problem(f"{field}.levels", "must list at least two level labels")
            return None
        if len(set(labels)) != len(labels):
            self.problem(f"{field}.levels", "level labels must differ")
        mine = self.numbers(raw.get("learner"), f"{field}.learner", len(labels))
        theirs = self.numbers(raw.get("counterpart"), f"{field}.counterpart", len(labels))
        levels = tuple(Level(label, a, b) for label, a, b in zip(labels, mine, theirs, strict=True))
        return Issue(issue_id, name, levels)

    def messages(self, raw: Any) -> dict[MessageKind, tuple[str, ...]]:
        if not isinstance(raw, dict):
            self.problem("messages", "must be a table of message lists")
            return {}
        found: dict[MessageKind, tuple[str, ...]] = {}
        for key, value in raw.items():
            try:
                kind = MessageKind(key)
            except ValueError:
                self.problem(f"messages.{key}", "is not a known situation kind")
                continue
            texts = [value] if isinstance(value, str) else value
            if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t.strip() for t in texts):
                self.problem(f"messages.{key}", "must be a text or a list of texts")
                continue
            found[kind] = tuple(t.strip() for t in texts)
        return found

    def strategies(self, raw: Any) -> tuple[StrategyName, ...]:
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            self.problem("strategies", "must be a list of strategy names")
            return ()
        known = []
        for name in raw:
            try:
                known.append(StrategyName(name))
            except ValueError:
                self.problem("strategies", f"unknown strategy {name!r} (known: {', '.join(StrategyName)})")
        return tuple(known)

    def build(self, data: dict[str, Any]) -> Scenario | None:
        raw_id = data.get("id")
        if isinstance(raw_id, str) and ID_PATTERN.fullmatch(raw_id):
            self.scenario_id = raw_id
        else:
            self.problem("id", "must be a lower-case id such as 'office-chairs'")
        texts = {field: self.text(data, field) for field in TEXT_FIELDS}
        numbers = {field: self.number(data, field) for field in NUMBER_FIELDS}
        try:
            context = Context(str(data.get("context")))
        except ValueError:
            self.problem("context", f"must be one of {', '.join(Context)}")
            context = Context.PROCUREMENT
        limit = data.get("round_limit")
        if type(limit) is not int:
            self.problem("round_limit", "must be a whole number")
            limit = 0
        raw_issues = data.get("issues")
        if not isinstance(raw_issues, list):
            self.problem("issues", "must be a list of [[issues]] tables")
            raw_issues = []
        issues = tuple(issue for n, raw in enumerate(raw_issues) if (issue := self.issue(raw, n)) is not None)
        opening = self.opening(data.get("opening"), issues)
        messages = self.messages(data.get("messages"))
        strategies = self.strategies(data.get("strategies"))
        if self.problems:
            return None
        return Scenario(
            self.scenario_id,
            texts["title"],
            context,
            texts["learner_role"],
            texts["counterpart_role"],
            texts["situation"],
            issues,
            numbers["target"],
            numbers["walk_away"],
            numbers["reservation"],
            limit,
            opening,
            messages,
            strategies,
        )

    def opening(self, raw: Any, issues: tuple[Issue, ...]) -> tuple[int, ...]:
        if not isinstance(raw, dict):
            self.problem("opening", "must be a table of issue id = level label")
            return ()
        package = []
        for issue in issues:
            label = raw.get(issue.id)
            labels = [level.label for level in issue.levels]
            if label not in labels:
                self.problem("opening", f"{issue.id} = {label!r} is not one of its levels")
                return ()
            package.append(labels.index(label))
        for extra in set(raw) - {issue.id for issue in issues}:
            self.problem("opening", f"names an unknown issue {extra!r}")
        return tuple(package)


def read_scenario(path: Path) -> tuple[Scenario | None, list[Problem]]:
    """Parse and check one file: the scenario (None if unusable) and every problem found."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(str(path), "", "file", "is too large for a scenario")]
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(str(path), "", "file", f"cannot be read: {error}")]
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        return None, [Problem(str(path), "", "file", f"is not valid TOML: {error}", int(found[1]) if found else None)]
    reader = _Reader(path, text)
    scenario = reader.build(data)
    if scenario is None:
        return None, reader.problems
    checked = [
        Problem(str(path), scenario.id, field, message, reader.locate.line(field))
        for field, message in check_scenario(scenario)
    ]
    return (None if checked else scenario), checked


def load_scenario(path: Path) -> Scenario:
    """One scenario; raises ScenarioError (never another exception) if the file has problems."""
    scenario, problems = read_scenario(path)
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files in a folder, sorted by name."""
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def load_scenarios(folder: Path) -> tuple[list[Scenario], list[Problem]]:
    """Every usable scenario in a folder, and the problems of the rest (duplicate ids included)."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in scenario_files(folder):
        scenario, found = read_scenario(path)
        problems += found
        if scenario is None:
            continue
        if scenario.id in seen:
            problems.append(Problem(str(path), scenario.id, "id", f"is also used by {seen[scenario.id].name}", 1))
            continue
        seen[scenario.id] = path
        scenarios.append(scenario)
    return scenarios, problems


def check_scenario_files(paths: Iterable[Path]) -> list[Problem]:
    """Every problem in the given scenario files or folders (empty when all are usable)."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for given in paths:
        for path in scenario_files(given) if given.is_dir() else [given]:
            scenario, found = read_scenario(path)
            problems += found
            if scenario is not None and scenario.id in seen:
                problems.append(Problem(str(path), scenario.id, "id", f"is also used by {seen[scenario.id].name}", 1))
            elif scenario is not None:
                seen[scenario.id] = path
    return problems
