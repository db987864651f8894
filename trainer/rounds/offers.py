"""Building the counterpart's next offer from its aspiration and the learner's ask."""

from __future__ import annotations

from trainer.rounds.scenario import Package, Scenario

EPSILON = 1e-9


def shift(package: Package, index: int, steps: int, top: int) -> Package:
    """The package with one issue moved by ``steps`` levels (positive toward the counterpart), clamped."""
    moved = list(package)
    moved[index] = max(0, min(top, moved[index] + steps))
    return tuple(moved)


def concede_toward(scenario: Scenario, offer: Package, ask: Package, aspiration: float) -> Package:
    """Move the offer toward the learner's ask, one level at a time, while it stays worth the aspiration.

    The counterpart gives first where a level costs it least (and, on a tie, where it helps the learner
    most), and never moves past what the learner asks for.
    """
    current = offer
    while True:
        value = scenario.counterpart_value(current)
        best: tuple[tuple[float, float, int], int] | None = None
        for index, issue in enumerate(scenario.issues):
            level = current[index]
            if level <= ask[index]:
                continue
            cost = issue.levels[level].counterpart - issue.levels[level - 1].counterpart
            gain = issue.levels[level - 1].learner - issue.levels[level].learner
            key = (cost, -gain, index)
            if value - cost >= aspiration - EPSILON and (best is None or key < best[0]):
                best = (key, index)
        if best is None:
            return current
        current = shift(current, best[1], -1, scenario.issues[best[1]].top)


def raise_demand(scenario: Scenario, offer: Package) -> Package:
    """The offer moved one level further toward the counterpart where that gains it most."""
    best: tuple[float, int] | None = None
    for index, issue in enumerate(scenario.issues):
        level = offer[index]
        if level < issue.top:
            gain = issue.levels[level + 1].counterpart - issue.levels[level].counterpart
            if best is None or gain > best[0]:
                best = (gain, index)
    if best is None:
        return offer
    return shift(offer, best[1], 1, scenario.issues[best[1]].top)
