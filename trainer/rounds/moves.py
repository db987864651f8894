"""The learner's move grammar and its plain-dict form for storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trainer.rounds.names import MoveKind, Tone
from trainer.rounds.scenario import Package

UNCONDITIONAL = frozenset({MoveKind.OFFER, MoveKind.CONCEDE})
"""Moves that can give value away without asking anything back."""


@dataclass(frozen=True)
class Move:
    """One learner move. Which fields matter depends on the kind:

    offer: ``package``; concede: ``issue`` and ``steps``; trade: "if you move ``get_steps`` on
    ``get_issue``, I move ``steps`` on ``issue``"; the other kinds take no fields.
    """

    kind: MoveKind
    tone: Tone = Tone.NEUTRAL
    package: Package | None = None
    issue: str | None = None
    steps: int = 0
    get_issue: str | None = None
    get_steps: int = 0

    @classmethod
    def offer(cls, package: Package, tone: Tone = Tone.NEUTRAL) -> Move:
        """Put a full package on the table."""
        return cls(MoveKind.OFFER, tone, package=tuple(package))

    @classmethod
    def concede(cls, issue: str, steps: int = 1, tone: Tone = Tone.NEUTRAL) -> Move:
        """Move your ask toward them on one issue, asking nothing back."""
        return cls(MoveKind.CONCEDE, tone, issue=issue, steps=steps)

    @classmethod
    def trade(cls, get_issue: str, get_steps: int, give_issue: str, give_steps: int, tone: Tone = Tone.NEUTRAL) -> Move:
        """ "If you move on get_issue, I move on give_issue" – spent only if they agree."""
        return cls(MoveKind.TRADE, tone, issue=give_issue, steps=give_steps, get_issue=get_issue, get_steps=get_steps)

    @classmethod
    def simple(cls, kind: MoveKind, tone: Tone = Tone.NEUTRAL) -> Move:
        """Hold, ask, name the tactic, accept or walk away."""
        return cls(kind, tone)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict with only the fields this kind uses."""
        data: dict[str, Any] = {"kind": self.kind.value}
        if self.tone is not Tone.NEUTRAL:
            data["tone"] = self.tone.value
        if self.kind is MoveKind.OFFER and self.package is not None:
            data["package"] = list(self.package)
        if self.kind in (MoveKind.CONCEDE, MoveKind.TRADE):
            data["issue"] = self.issue
            data["steps"] = self.steps
        if self.kind is MoveKind.TRADE:
            data["get_issue"] = self.get_issue
            data["get_steps"] = self.get_steps
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Move:
        """The inverse of ``to_dict``; raises ValueError on anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("a move must be a table")
        try:
            kind = MoveKind(data["kind"])
            tone = Tone(data.get("tone", Tone.NEUTRAL))
        except (KeyError, ValueError) as error:
            raise ValueError(f"unknown move kind or tone in {data!r}") from error
        package = data.get("package")
        if package is not None and not (isinstance(package, list) and all(type(i) is int for i in package)):
            raise ValueError("a package must be a list of level numbers")
        for key in ("steps", "get_steps"):
            if type(data.get(key, 0)) is not int:
                raise ValueError(f"{key} must be a whole number")
        for key in ("issue", "get_issue"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ValueError(f"{key} must be an issue id")
        return cls(
            kind,
            tone,
            package=tuple(package) if package is not None else None,
            issue=data.get("issue"),
            steps=data.get("steps", 0),
            get_issue=data.get("get_issue"),
            get_steps=data.get("get_steps", 0),
        )
