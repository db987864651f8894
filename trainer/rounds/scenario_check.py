"""Consistency rules for a parsed scenario: values, limits, the zone of agreement, messages."""

from __future__ import annotations

import itertools

from trainer.rounds.messages import REQUIRED_KINDS, allowed_slots, slots_in
from trainer.rounds.scenario import Issue, Scenario

TOLERANCE = 0.01
MIN_STRATEGIES = 4
ROUND_LIMITS = (4, 30)
INTEGRATIVE_RATIO = 1.5  # two issues must differ this much in relative weight between the sides
SITUATION_WORDS = 150


def check_scenario(scenario: Scenario) -> list[tuple[str, str]]:
    """Every inconsistency found, as (field, message) pairs; empty when the scenario is usable."""
    found = _issues(scenario)
    if found:
        return found
    found += _limits(scenario)
    found += _messages(scenario)
    if len(set(scenario.strategies)) < MIN_STRATEGIES:
        found.append(("strategies", f"name at least {MIN_STRATEGIES} different strategies"))
    if len(scenario.strategies) != len(set(scenario.strategies)):
        found.append(("strategies", "names a strategy twice"))
    if len(scenario.situation.split()) > SITUATION_WORDS:
        found.append(("situation", f"is longer than {SITUATION_WORDS} words"))
    return found


def _issues(scenario: Scenario) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not 2 <= len(scenario.issues) <= 4:
        found.append(("issues", f"has {len(scenario.issues)} issues; use two to four"))
    ids = [issue.id for issue in scenario.issues]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        found.append((f"issues.{duplicate}", "the issue id is used twice"))
    for issue in scenario.issues:
        found += _issue(issue)
    for side in ("learner", "counterpart"):
        total = sum(max(getattr(level, side) for level in issue.levels) for issue in scenario.issues)
        if abs(total - 100) > TOLERANCE:
            found.append(
                (f"issues.{scenario.issues[0].id}.{side}", f"the {side}'s best levels add up to {total:g}, not 100")
            )
    if not found and not _integrative(scenario.issues):
        found.append(("issues", "both sides weigh the issues alike, so no trade across issues creates value"))
    return found


def _issue(issue: Issue) -> list[tuple[str, str]]:
    field = f"issues.{issue.id}"
    mine = [level.learner for level in issue.levels]
    theirs = [level.counterpart for level in issue.levels]
    found: list[tuple[str, str]] = []
    if min(mine + theirs) < 0:
        found.append((f"{field}.learner", "values must not be negative"))
    if any(a < b for a, b in itertools.pairwise(mine)) or mine[0] <= mine[-1]:
        found.append((f"{field}.learner", "must fall from the first level (the learner's best) to the last"))
    if any(a > b for a, b in itertools.pairwise(theirs)) or theirs[0] >= theirs[-1]:
        found.append((f"{field}.counterpart", "must rise from the first level to the last (the counterpart's best)"))
    return found


def _integrative(issues: tuple[Issue, ...]) -> bool:
    ratios = [issue.learner_weight() / max(issue.counterpart_weight(), TOLERANCE) for issue in issues]
    return max(ratios) >= INTEGRATIVE_RATIO * min(ratios)


def _limits(scenario: Scenario) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    low, high = ROUND_LIMITS
    if not low <= scenario.round_limit <= high:
        found.append(("round_limit", f"must be between {low} and {high}"))
    if not 0 <= scenario.walk_away < scenario.target <= 100:
        found.append(("target", "must lie above the walk-away value and at most 100"))
    if not 0 <= scenario.reservation < 100:
        found.append(("reservation", "must lie between 0 and 100"))
    zone = any(
        scenario.learner_value(p) >= scenario.walk_away and scenario.counterpart_value(p) >= scenario.reservation
        for p in scenario.packages()
    )
    if not zone:
        found.append(("walk_away", "no package beats the walk-away and the counterpart's reservation together"))
    if scenario.opening and scenario.counterpart_value(scenario.opening) < scenario.reservation:
        found.append(("opening", "is worth less to the counterpart than its own reservation"))
    if scenario.opening and scenario.learner_value(scenario.opening) >= scenario.target:
        found.append(("opening", "already meets the learner's target, so there is nothing to negotiate"))
    return found


def _messages(scenario: Scenario) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for kind in REQUIRED_KINDS:
        if kind not in scenario.messages:
            found.append((f"messages.{kind}", "is missing"))
    for kind, texts in scenario.messages.items():
        for text in texts:
            try:
                names = slots_in(text)
            except ValueError as error:
                found.append((f"messages.{kind}", str(error)))
                continue
            for name in sorted(set(names) - allowed_slots(kind)):
                found.append((f"messages.{kind}", f"slot {{{name}}} does not exist for this kind"))
    return found
