"""The closed vocabularies of the negotiation-rounds mode."""

from __future__ import annotations

from enum import StrEnum


class Context(StrEnum):
    """Where a scenario is set (the taxonomy's context codes)."""

    PROCUREMENT = "P"
    SALARY = "S"
    B2B_SALES = "B"
    WORKPLACE = "W"
    PARTNER = "R"
    NETWORKING = "N"


class StrategyName(StrEnum):
    """The counterpart policies a scenario can be played against."""

    TIT_FOR_TAT = "tit-for-tat"
    GENEROUS = "generous-tit-for-tat"
    FIRM_FAIR = "firm-but-fair"
    EXPLOITER = "exploiter"
    ANCHORER = "anchor-then-concede"
    ANGRY = "angry-then-cooperative"
    LOGROLLER = "logroller"


class MoveKind(StrEnum):
    """What the learner can do in a round."""

    OFFER = "offer"
    CONCEDE = "concede"
    TRADE = "trade"
    HOLD = "hold"
    ASK = "ask"
    NAME_TACTIC = "name-tactic"
    ACCEPT = "accept"
    WALK_AWAY = "walk-away"


class Tone(StrEnum):
    """How the learner says it."""

    NEUTRAL = "neutral"
    WARM = "warm"
    FIRM = "firm"


class MessageKind(StrEnum):
    """The situations the counterpart has a message template for."""

    OPENING = "opening"
    CONCESSION = "concession"
    HOLD = "hold"
    RAISE = "raise"
    CONDITION_ACCEPTED = "condition_accepted"
    CONDITION_REFUSED = "condition_refused"
    REVEAL = "reveal"
    DEFLECT = "deflect"
    ANGER = "anger"
    CALM = "calm"
    ACCEPT = "accept"
    CLOSING = "closing"
    WALK_AWAY = "walk_away"
    FAREWELL = "farewell"
    IMPASSE = "impasse"


class EndReason(StrEnum):
    """How a game finished."""

    LEARNER_ACCEPTED = "learner-accepted"
    COUNTERPART_ACCEPTED = "counterpart-accepted"
    LEARNER_WALKED = "learner-walked"
    COUNTERPART_WALKED = "counterpart-walked"
    ROUND_LIMIT = "round-limit"
