"""The scenario model: issues with ordered levels, each side's value per level, limits and messages.

Levels run from the learner's best (index 0) to the counterpart's best (last index), so moving a
level index up is a concession by the learner and moving it down is a concession by the counterpart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from trainer.rounds.names import Context, MessageKind, StrategyName

Package = tuple[int, ...]
"""One level index per issue, in the scenario's issue order."""


@dataclass(frozen=True)
class Level:
    """One option on an issue and what it is worth to each side."""

    label: str
    learner: float
    counterpart: float


@dataclass(frozen=True)
class Issue:
    """A negotiable issue; levels run from the learner's best to the counterpart's best."""

    id: str
    name: str
    levels: tuple[Level, ...]

    @property
    def top(self) -> int:
        """The last level index (the counterpart's best)."""
        return len(self.levels) - 1

    def learner_weight(self) -> float:
        """How much of the learner's 100 points this issue carries."""
        return max(level.learner for level in self.levels) - min(level.learner for level in self.levels)

    def counterpart_weight(self) -> float:
        """How much of the counterpart's 100 points this issue carries."""
        return max(level.counterpart for level in self.levels) - min(level.counterpart for level in self.levels)


@dataclass(frozen=True, eq=False)
class Scenario:
    """A complete negotiation case; values are normalised so each side's best deal is worth 100."""

    id: str
    title: str
    context: Context
    learner_role: str
    counterpart_role: str
    situation: str
    issues: tuple[Issue, ...]
    target: float
    walk_away: float
    reservation: float
    round_limit: int
    opening: Package
    messages: Mapping[MessageKind, tuple[str, ...]]
    strategies: tuple[StrategyName, ...]

    def learner_value(self, package: Package) -> float:
        """The learner's value of a package (0–100)."""
        return sum(issue.levels[i].learner for issue, i in zip(self.issues, package, strict=True))

    def counterpart_value(self, package: Package) -> float:
        """The counterpart's value of a package (0–100)."""
        return sum(issue.levels[i].counterpart for issue, i in zip(self.issues, package, strict=True))

    def packages(self) -> Iterator[Package]:
        """Every possible package."""
        return itertools.product(*(range(len(issue.levels)) for issue in self.issues))

    @property
    def learner_ideal(self) -> Package:
        """The package best for the learner."""
        return tuple(0 for _ in self.issues)

    @property
    def counterpart_ideal(self) -> Package:
        """The package best for the counterpart."""
        return tuple(issue.top for issue in self.issues)

    @cached_property
    def best_joint(self) -> float:
        """The highest joint value any package reaches (the top of the Pareto frontier)."""
        return max(self.learner_value(p) + self.counterpart_value(p) for p in self.packages())

    @cached_property
    def best_for_learner(self) -> float:
        """The most the learner can get in a deal the counterpart would still take (its reservation)."""
        fits = [self.learner_value(p) for p in self.packages() if self.counterpart_value(p) >= self.reservation]
        return max(fits, default=self.walk_away)

    def issue_index(self, issue_id: str) -> int:
        """The position of an issue; raises KeyError for an unknown id."""
        for index, issue in enumerate(self.issues):
            if issue.id == issue_id:
                return index
        raise KeyError(issue_id)

    def describe(self, package: Package) -> str:
        """A package in words, e.g. "unit price €212, payment 60 days"."""
        return ", ".join(
            f"{issue.name.lower()} {issue.levels[i].label}" for issue, i in zip(self.issues, package, strict=True)
        )

    def counterpart_priorities(self) -> tuple[Issue, ...]:
        """The issues ranked by what they matter to the counterpart, most first."""
        return tuple(sorted(self.issues, key=lambda issue: -issue.counterpart_weight()))
