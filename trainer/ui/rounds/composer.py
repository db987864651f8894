"""Building one move step by step (which issue, how far, confirm), and a move in words. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.collection import Game, Move, MoveKind, Scenario, Tone

KIND_LABELS: dict[MoveKind, str] = {
    MoveKind.OFFER: "Offer a package",
    MoveKind.CONCEDE: "Concede on an issue",
    MoveKind.TRADE: "Trade: if you…, I…",
    MoveKind.HOLD: "Hold your position",
    MoveKind.ASK: "Ask what matters to them",
    MoveKind.NAME_TACTIC: "Name their tactic",
    MoveKind.ACCEPT: "Accept their offer",
    MoveKind.WALK_AWAY: "Walk away",
}
KINDS = tuple(KIND_LABELS)
"""The move kinds in key order (1 to 8)."""

SIMPLE = frozenset({MoveKind.HOLD, MoveKind.ASK, MoveKind.NAME_TACTIC})
"""Kinds played at once, without a step to compose them."""


@dataclass(frozen=True, slots=True)
class Step:
    """One question while composing a move, with its answers in key order."""

    prompt: str
    choices: tuple[str, ...]


def _levels(n: int) -> str:
    return f"{n} level" if n == 1 else f"{n} levels"


def _points(value: float) -> str:
    return f"{value:.4g}"


class Composer:
    """Asks the questions one kind of move needs; `choose` returns the finished move after the last one."""

    def __init__(self, game: Game, kind: MoveKind):
        self.game = game
        self.scenario: Scenario = game.scenario
        self.kind = kind
        self.picks: list[int] = []  # the value behind each answer so far

    def step(self) -> Step:
        """The question to answer now."""
        return self._build()[0]

    def choose(self, index: int) -> Move | None:
        """Answer the current question with choice `index`; the move once every question is answered."""
        values = self._build()[1]
        if not 0 <= index < len(values):
            return None
        self.picks.append(values[index])
        return self._finished()

    def back(self) -> bool:
        """Undo the last answer; False when there was none (leave the composer)."""
        if not self.picks:
            return False
        self.picks.pop()
        return True

    # Each kind's questions --------------------------------------------------------------------

    def _build(self) -> tuple[Step, list[int]]:
        builders = {MoveKind.OFFER: self._offer, MoveKind.CONCEDE: self._concede, MoveKind.TRADE: self._trade,
                    MoveKind.ACCEPT: self._accept, MoveKind.WALK_AWAY: self._walk}  # fmt: skip
        return builders[self.kind]()

    def _finished(self) -> Move | None:
        picks, issues = self.picks, self.scenario.issues
        if self.kind is MoveKind.OFFER and len(picks) == len(issues) + 1:
            return Move.offer(tuple(picks[: len(issues)]))
        if self.kind is MoveKind.CONCEDE and len(picks) == 2:
            return Move.concede(issues[picks[0]].id, picks[1])
        if self.kind is MoveKind.TRADE and len(picks) == 4:
            return Move.trade(issues[picks[0]].id, picks[1], issues[picks[2]].id, picks[3])
        if self.kind in (MoveKind.ACCEPT, MoveKind.WALK_AWAY) and picks:
            return Move.simple(self.kind)
        return None

    def _offer(self) -> tuple[Step, list[int]]:
        game, issues = self.game, self.scenario.issues
        if len(self.picks) == len(issues):
            package = tuple(self.picks)
            value = self.scenario.learner_value(package)
            return Step(f"Offer {self.scenario.describe(package)}? Worth {_points(value)} to you.",
                        ("Make this offer",)), [1]  # fmt: skip
        position = len(self.picks)
        issue = issues[position]
        choices = []
        for level_index, level in enumerate(issue.levels):
            marks = [f"worth {_points(level.learner)} to you"]
            if level_index == game.ask[position]:
                marks.append("your ask now")
            if level_index == game.offer[position]:
                marks.append("their offer")
            choices.append(f"{level.label} ({', '.join(marks)})")
        prompt = f"Your offer, issue {position + 1} of {len(issues)}: {issue.name}"
        return Step(prompt, tuple(choices)), list(range(len(issue.levels)))

    def _concede(self) -> tuple[Step, list[int]]:
        game, issues = self.game, self.scenario.issues
        if not self.picks:
            open_issues = [i for i, issue in enumerate(issues) if game.ask[i] < issue.top]
            choices = tuple(self._issue_line(i) for i in open_issues)
            return Step("Concede on which issue? (nothing asked in return)", choices), open_issues
        index = self.picks[0]
        return self._give_steps(index, "Concede how far on"), list(range(1, issues[index].top - game.ask[index] + 1))

    def _trade(self) -> tuple[Step, list[int]]:
        game, issues = self.game, self.scenario.issues
        if not self.picks:
            gets = [i for i in range(len(issues)) if game.offer[i] > game.ask[i]]
            return Step("Trade, 1 of 4: if they move on which issue…", tuple(self._issue_line(i) for i in gets)), gets
        get = self.picks[0]
        get_name = issues[get].name.lower()
        if len(self.picks) == 1:
            room = game.offer[get] - game.ask[get]
            choices = tuple(
                f"{_levels(n)}: they would offer {issues[get].levels[game.offer[get] - n].label}"
                for n in range(1, room + 1)
            )
            return Step(f"Trade, 2 of 4: how far should they move on {get_name}?", choices), list(range(1, room + 1))
        if len(self.picks) == 2:
            gives = [i for i, issue in enumerate(issues) if i != get and game.ask[i] < issue.top]
            prompt = f"Trade, 3 of 4: if they move {_levels(self.picks[1])} on {get_name}, you move on which issue?"
            return Step(prompt, tuple(self._issue_line(i) for i in gives)), gives
        give = self.picks[2]
        steps = list(range(1, issues[give].top - game.ask[give] + 1))
        return self._give_steps(give, "Trade, 4 of 4: and how far do you move on"), steps

    def _accept(self) -> tuple[Step, list[int]]:
        offer = self.game.offer
        value = self.scenario.learner_value(offer)
        prompt = f"Accept {self.scenario.describe(offer)}? Worth {_points(value)} to you; this ends the negotiation."
        return Step(prompt, ("Accept their offer",)), [1]

    def _walk(self) -> tuple[Step, list[int]]:
        prompt = (f"Walk away and take your alternative, worth {_points(self.scenario.walk_away)} to you? This ends "
                  "the negotiation.")  # fmt: skip
        return Step(prompt, ("Walk away",)), [1]

    def _issue_line(self, index: int) -> str:
        issue, game = self.scenario.issues[index], self.game
        ask, offer = issue.levels[game.ask[index]], issue.levels[game.offer[index]]
        return f"{issue.name}: you ask {ask.label}, they offer {offer.label}"

    def _give_steps(self, index: int, question: str) -> Step:
        issue, ask = self.scenario.issues[index], self.game.ask[index]
        choices = []
        for n in range(1, issue.top - ask + 1):
            level = issue.levels[ask + n]
            cost = issue.levels[ask].learner - level.learner
            choices.append(f"{_levels(n)}: you would ask {level.label} (costs you {_points(cost)})")
        return Step(f"{question} {issue.name.lower()}?", tuple(choices))


def describe_move(scenario: Scenario, move: Move) -> str:
    """A move in words, e.g. "Trade: if you move 1 level on delivery, I move 1 level on unit price (warm)"."""
    tone = "" if move.tone is Tone.NEUTRAL else f" ({move.tone.value})"

    def name(issue_id: str | None) -> str:
        return scenario.issues[scenario.issue_index(issue_id or "")].name.lower()

    if move.kind is MoveKind.OFFER and move.package is not None:
        text = f"You offered {scenario.describe(move.package)}"
    elif move.kind is MoveKind.CONCEDE:
        text = f"You conceded {_levels(move.steps)} on {name(move.issue)}"
    elif move.kind is MoveKind.TRADE:
        text = (f"You proposed: if they move {_levels(move.get_steps)} on {name(move.get_issue)}, you move "
                f"{_levels(move.steps)} on {name(move.issue)}")  # fmt: skip
    else:
        text = {MoveKind.HOLD: "You held your position", MoveKind.ASK: "You asked what matters most to them",
                MoveKind.NAME_TACTIC: "You named their tactic", MoveKind.ACCEPT: "You accepted their offer",
                MoveKind.WALK_AWAY: "You walked away"}[move.kind]  # fmt: skip
    return text + tone
