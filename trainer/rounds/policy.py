"""The counterpart's decision each round: trust, aspiration, and how it answers the learner's move."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from trainer.rounds.names import MessageKind, MoveKind, Tone
from trainer.rounds.strategies import FORGIVE_CHANCE, Profile, time_curve

RAISE_SHARE = 0.5  # share of an unconditional concession the exploiter adds to its demand (Yukl 1974)
FORGIVE_STEP = 4.0  # own value a forgiving counterpart gives after a lapse


@dataclass(frozen=True)
class Mind:
    """The counterpart's hidden state between rounds."""

    aspiration: float  # the value it demands for itself now
    opening_value: float  # value of its opening offer (start of its time curve)
    fair_value: float  # value of the scenario's ordinary opening (an anchorer falls back to it)
    reservation: float
    trust: float  # 0–1: rises with reciprocity, falls with stonewalling and taking back
    bonus: float = 0.0  # exploiter: demand added after unconditional concessions
    anger_left: int = 0
    lapses: int = 0
    revealed: int = 0  # 0 nothing, 1 top priority, 2 full ranking
    last_conceded: float = 0.0  # own value it gave in the previous round


@dataclass(frozen=True)
class Event:
    """What the learner's move did, as the counterpart sees it."""

    kind: MoveKind
    tone: Tone
    round_no: int
    limit: int
    gain: float = 0.0  # counterpart value added by the learner's new ask (negative: taken back)
    trade_gain: float = 0.0  # counterpart value of the learner's conditional give
    trade_cost: float = 0.0  # counterpart value it would give up on the asked issue
    has_conceded: bool = False  # the learner has made a concession before this round


@dataclass(frozen=True)
class Decision:
    """The counterpart's answer; ``kind`` None lets the engine say concession or hold."""

    mind: Mind
    kind: MessageKind | None = None
    accept_trade: bool = False
    raise_offer: bool = False
    walk: bool = False
    tell: str = ""


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _trust(mind: Mind, event: Event) -> float:
    trust = mind.trust
    if event.kind in (MoveKind.OFFER, MoveKind.CONCEDE) and event.gain > 0:
        trust += 0.1 if mind.last_conceded > 0 else 0.03
    elif event.gain < 0:
        trust -= 0.2
    elif event.kind in (MoveKind.HOLD, MoveKind.OFFER, MoveKind.CONCEDE) and mind.last_conceded > 0:
        trust -= 0.15
    if event.kind in (MoveKind.TRADE, MoveKind.ASK):
        trust += 0.05
    trust += {Tone.WARM: 0.05, Tone.FIRM: -0.05, Tone.NEUTRAL: 0.0}[event.tone]
    return _clamp(trust)


def _angry(profile: Profile, mind: Mind, event: Event) -> Decision:
    """Anger phase: no concessions; calm or a named tactic ends it, firmness prolongs it."""
    if event.kind is MoveKind.NAME_TACTIC or event.tone is Tone.WARM:
        calm = replace(mind, anger_left=0, trust=_clamp(mind.trust + 0.1))
        return Decision(calm, MessageKind.CALM, tell="dropped the anger as soon as you stayed calm or named it")
    left = mind.anger_left - (0 if event.tone is Tone.FIRM else 1)
    trust = _clamp(mind.trust - (0.1 if event.tone is Tone.FIRM else 0.0))
    if left <= 0:
        return Decision(replace(mind, anger_left=0, trust=trust), MessageKind.CALM, tell="turned cooperative")
    accept = event.kind is MoveKind.TRADE and event.trade_gain > event.trade_cost
    return Decision(replace(mind, anger_left=left, trust=trust), MessageKind.ANGER, accept_trade=accept)


def _aspiration(profile: Profile, mind: Mind, event: Event) -> float:
    """Faratin mix of the time curve and absolute tit-for-tat, never below the reservation."""
    if event.round_no <= profile.firm_rounds:
        return mind.aspiration
    timed = time_curve(mind.opening_value, mind.reservation, profile.beta, event.round_no, event.limit)
    imitated = mind.aspiration - event.gain
    mixed = profile.imitation * imitated + (1 - profile.imitation) * timed + mind.bonus
    ceiling = mind.aspiration + max(0.0, -event.gain) + mind.bonus
    return max(mind.reservation, min(mixed, ceiling, 100.0))


def respond(profile: Profile, mind: Mind, event: Event, rng: random.Random) -> Decision:
    """How the counterpart answers one learner move (acceptance and the offer are the engine's job)."""
    if mind.anger_left > 0:
        return _angry(profile, mind, event)
    trust = _trust(mind, event)
    if trust <= 0.0:
        return Decision(replace(mind, trust=trust), MessageKind.WALK_AWAY, walk=True)
    mind = replace(mind, trust=trust)
    if event.kind is MoveKind.NAME_TACTIC:
        return _named(profile, mind, event)
    if event.kind is MoveKind.ASK:
        return _asked(profile, mind, event)
    if profile.exploits and event.kind in (MoveKind.OFFER, MoveKind.CONCEDE) and event.gain > 0:
        raised = replace(mind, bonus=mind.bonus + RAISE_SHARE * event.gain, aspiration=mind.aspiration)
        raised = replace(raised, aspiration=_aspiration(profile, raised, replace(event, gain=0.0)))
        return Decision(
            raised,
            MessageKind.RAISE,
            raise_offer=True,
            tell="raised their demand after a concession they got for nothing",
        )
    aspiration = _aspiration(profile, mind, event)
    if event.kind is MoveKind.TRADE:
        accept = event.trade_gain - event.trade_cost + profile.trade_slack * trust >= 0
        kind = MessageKind.CONDITION_ACCEPTED if accept else MessageKind.CONDITION_REFUSED
        tell = "agreed to a trade across issues" if accept and profile.reveals_all else ""
        return Decision(replace(mind, aspiration=aspiration), kind, accept_trade=accept, tell=tell)
    lapse = event.gain <= 0 and event.has_conceded
    if lapse and profile.forgives and (mind.lapses == 0 or rng.random() < FORGIVE_CHANCE):
        forgiven = max(mind.reservation, aspiration - max(FORGIVE_STEP, mind.last_conceded))
        return Decision(
            replace(mind, aspiration=forgiven, lapses=mind.lapses + 1), tell="forgave a round where you did not move"
        )
    tell = ""
    if event.gain > 0 and profile.imitation >= 0.7:
        tell = "matched your concession in the same round" + (" after holding firm" if profile.firm_rounds else "")
    elif profile.extreme_open and mind.aspiration - aspiration >= 8:
        tell = "dropped quickly from their extreme opening"
    return Decision(replace(mind, aspiration=aspiration), tell=tell)


def _named(profile: Profile, mind: Mind, event: Event) -> Decision:
    """Naming a tactic in use makes the counterpart back off; naming one that is not there costs trust."""
    if profile.exploits and mind.bonus > 0:
        calm = replace(mind, bonus=0.0, aspiration=max(mind.reservation, mind.aspiration - mind.bonus))
        return Decision(calm, MessageKind.CALM, tell="backed off their raised demand when you named the pattern")
    if profile.extreme_open and mind.aspiration > mind.fair_value:
        return Decision(
            replace(mind, aspiration=mind.fair_value), MessageKind.CALM, tell="dropped their anchor when you named it"
        )
    return Decision(replace(mind, trust=_clamp(mind.trust - 0.15)), MessageKind.HOLD)


def _asked(profile: Profile, mind: Mind, event: Event) -> Decision:
    """A question about priorities: answered as far as trust allows."""
    aspiration = _aspiration(profile, mind, replace(event, gain=0.0))
    if mind.trust < profile.reveal_trust:
        return Decision(replace(mind, aspiration=aspiration), MessageKind.DEFLECT)
    depth = 2 if profile.reveals_all else 1
    tell = "told you their priorities when you asked" if profile.reveals_all else ""
    return Decision(
        replace(mind, aspiration=aspiration, revealed=max(mind.revealed, depth)), MessageKind.REVEAL, tell=tell
    )
