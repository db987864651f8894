"""The counterpart strategies as parameter sets over Faratin-style concession tactics.

Each round a counterpart's aspiration (the value it demands for itself) mixes a time-dependent
curve, opening + (reservation − opening)·(t/T)^(1/β) with β < 1 Boulware and β > 1 Conceder,
with an imitative part that gives back what the learner just gave (absolute tit-for-tat).
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.rounds.names import StrategyName


@dataclass(frozen=True)
class Profile:
    """The parameters of one strategy."""

    name: StrategyName
    label: str
    summary: str
    beta: float  # time-dependent curve: < 1 holds late (Boulware), > 1 gives early (Conceder)
    imitation: float  # weight of tit-for-tat in the aspiration, 0–1
    start_trust: float
    trade_slack: float  # own value it will give up in a trade, scaled by trust
    reveal_trust: float  # trust needed to name its top priority when asked
    firm_rounds: int = 0  # rounds it holds before it starts to match
    anger_rounds: int = 0  # rounds of anger before it turns cooperative
    forgives: bool = False  # generous tit-for-tat: forgives the first lapse, later ones by chance
    exploits: bool = False  # raises its demand after an unconditional concession
    extreme_open: bool = False  # opens at its ideal package
    reveals_all: bool = False  # ranks every issue when trust allows


FORGIVE_CHANCE = 1 / 3  # Nowak & Sigmund (1992)

PROFILES: dict[StrategyName, Profile] = {
    profile.name: profile
    for profile in (
        Profile(
            StrategyName.TIT_FOR_TAT,
            "Tit-for-tat",
            "Matches each of your concessions in size and in timing, and holds when you hold.",
            beta=1.0,
            imitation=1.0,
            start_trust=0.5,
            trade_slack=2.0,
            reveal_trust=0.6,
        ),
        Profile(
            StrategyName.GENEROUS,
            "Generous tit-for-tat",
            "Matches your concessions but forgives a lapse: the first one always, later ones now and then.",
            beta=1.0,
            imitation=1.0,
            start_trust=0.55,
            trade_slack=3.0,
            reveal_trust=0.55,
            forgives=True,
        ),
        Profile(
            StrategyName.FIRM_FAIR,
            "Firm but fair",
            "Holds firm at first, then matches your concessions and drifts slowly toward a deal.",
            beta=0.4,
            imitation=0.7,
            start_trust=0.45,
            trade_slack=2.0,
            reveal_trust=0.65,
            firm_rounds=2,
        ),
        Profile(
            StrategyName.EXPLOITER,
            "Exploiter",
            "Takes what you give for nothing and asks for more; moves only when you make your give conditional.",
            beta=0.3,
            imitation=0.0,
            start_trust=0.3,
            trade_slack=0.0,
            reveal_trust=1.1,
            exploits=True,
        ),
        Profile(
            StrategyName.ANCHORER,
            "Extreme anchor, then fast concessions",
            "Opens with an extreme demand, then gives ground quickly.",
            beta=3.0,
            imitation=0.2,
            start_trust=0.4,
            trade_slack=1.0,
            reveal_trust=0.7,
            extreme_open=True,
        ),
        Profile(
            StrategyName.ANGRY,
            "Angry, then cooperative",
            "Starts angry and pushy, then turns cooperative – sooner if you stay calm or name what is happening.",
            beta=1.5,
            imitation=0.5,
            start_trust=0.4,
            trade_slack=2.0,
            reveal_trust=0.5,
            anger_rounds=2,
        ),
        Profile(
            StrategyName.LOGROLLER,
            "Cooperative logroller",
            "Tells you its priorities when asked and trades low-priority issues for high-priority ones.",
            beta=1.0,
            imitation=0.5,
            start_trust=0.55,
            trade_slack=6.0,
            reveal_trust=0.4,
            reveals_all=True,
        ),
    )
}


def profile(name: StrategyName) -> Profile:
    """The parameters of a strategy."""
    return PROFILES[name]


def time_curve(opening: float, reservation: float, beta: float, round_no: int, limit: int) -> float:
    """Faratin et al. (1998) time-dependent aspiration at a round (1..limit)."""
    share: float = min(1.0, max(0.0, round_no / limit)) ** (1.0 / beta)
    return opening - (opening - reservation) * share
