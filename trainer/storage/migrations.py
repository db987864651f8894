"""The database schema as ordered migrations; append new ones, never edit a released one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from trainer.model import Phase, Rating

migrations = Migrations("trainer")


@migrations()
def m001_study(db: Database) -> None:
    """Settings, each card's scheduling state, and every answer."""
    db.table("settings").create({"key": str, "value": str}, pk="key", strict=True)
    db.table("schedules").create(
        {
            "card_id": str,
            "phase": int,
            "due": str,
            "fsrs": str,
            "suspended": int,
        },
        pk="card_id",
        not_null={"phase", "due", "fsrs", "suspended"},
        defaults={"suspended": 0},
        strict=True,
    )
    db.table("schedules").create_index(["suspended", "phase", "due"], index_name="schedules_by_due")
    db.table("answers").create(
        {
            "id": int,
            "card_id": str,
            "reviewed_at": str,
            "day": str,
            "option_id": str,
            "quality": int,
            "rating": int,
            "duration_ms": int,
            "phase_before": int,
            "state_before": str,
            "state_after": str,
        },
        pk="id",
        not_null={"card_id", "reviewed_at", "day", "rating", "duration_ms", "phase_before", "state_after"},
        strict=True,
    )
    db.table("answers").create_index(["card_id", "id"], index_name="answers_by_card")
    db.table("answers").create_index(["reviewed_at"], index_name="answers_by_time")
    db.table("answers").create_index(["day", "phase_before"], index_name="answers_by_day")


@migrations()
def m002_quiz(db: Database) -> None:
    """Self-assessment quiz attempts and their items (planned up front, answered one by one)."""
    db.table("quiz_attempts").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "mode": str,
            "topics": str,
            "length": int,
            "status": str,
        },
        pk="id",
        not_null={"started_at", "mode", "topics", "length", "status"},
        strict=True,
    )
    db.table("quiz_attempts").create_index(["status", "started_at"], index_name="quiz_attempts_by_status")
    db.table("quiz_items").create(
        {
            "id": int,
            "attempt_id": int,
            "position": int,
            "card_id": str,
            "option_order": str,
            "option_id": str,
            "quality": int,
            "confidence": int,
            "duration_ms": int,
            "answered_at": str,
        },
        pk="id",
        not_null={"attempt_id", "position", "card_id", "option_order"},
        foreign_keys=[("attempt_id", "quiz_attempts", "id")],
        strict=True,
    )
    db.table("quiz_items").create_index(["attempt_id", "position"], unique=True, index_name="quiz_items_by_attempt")
    db.table("quiz_items").create_index(["card_id"], index_name="quiz_items_by_card")


@migrations()
def m003_card_marks(db: Database) -> None:
    """Suspended and buried cards, studied or not (supersedes schedules.suspended, dropped by m006)."""
    db.table("card_marks").create(
        {"card_id": str, "suspended": int, "buried_until": str},
        pk="card_id",
        not_null={"suspended"},
        defaults={"suspended": 0},
        strict=True,
    )
    db.execute("insert into card_marks (card_id, suspended) select card_id, 1 from schedules where suspended = 1")
    db.execute("update schedules set suspended = 0 where suspended = 1")


@migrations()
def m004_memory_columns(db: Database) -> None:
    """Stability and last review beside each schedule, and the interval each answer ended, as plain columns.

    They copy facts out of the FSRS JSON so that mastery and retention are computed from columns,
    without parsing a JSON document per card or per answer.
    """
    db.table("schedules").add_column("stability", float)
    db.table("schedules").add_column("last_review", str)
    db.table("answers").add_column("interval_days", float)
    # Today's new cards and reviews are counted on every answer: a covering index keeps that instant.
    db.table("answers").create_index(["phase_before", "reviewed_at"], index_name="answers_by_phase_time")
    db.execute(
        "update schedules set stability = json_extract(fsrs, '$.stability'), "
        "last_review = json_extract(fsrs, '$.last_review') where json_valid(fsrs)"
    )
    db.execute(
        "update answers set interval_days = julianday(json_extract(state_before, '$.due')) "
        "- julianday(json_extract(state_before, '$.last_review')) "
        "where state_before is not null and json_valid(state_before)"
    )


@migrations()
def m005_quiz_bank_and_worst(db: Database) -> None:
    """Per quiz item: its source (held-out "bank" item or study "deck" card), the option chosen as worst
    in the best-and-worst format, and its 0–1 score; per attempt: the format and whether studied cards were
    included (the next set-up starts from them). Items stored before are study cards, single-best format.
    """
    items = db.table("quiz_items")
    items.add_column("source", str, not_null_default="deck")
    items.add_column("worst_id", str)
    items.add_column("score", float)
    attempts = db.table("quiz_attempts")
    attempts.add_column("format", str, not_null_default="best")
    attempts.add_column("include_studied", int, not_null_default=0)


@migrations()
def m006_schedule_columns(db: Database) -> None:
    """Difficulty joins stability and last review as a plain column, so the store reads a card's whole memory
    state from columns; schedules.suspended (unused since m003) goes, with the due index rebuilt without it."""
    db.table("schedules").add_column("difficulty", float)
    db.execute("update schedules set difficulty = json_extract(fsrs, '$.difficulty') where json_valid(fsrs)")
    db.execute("drop index if exists schedules_by_due")
    db.execute("alter table schedules drop column suspended")
    db.table("schedules").create_index(["phase", "due"], index_name="schedules_by_due")


@migrations()
def m007_games(db: Database) -> None:
    """Negotiation rounds: each game (scenario, counterpart strategy, seed, outcome, the learner's guess of the
    strategy) and each of its moves in order, so a game left mid-way resumes and progress can be charted."""
    db.table("games").create(
        {
            "id": int,
            "scenario_id": str,
            "strategy": str,
            "seed": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "deal": int,
            "learner_value": float,
            "counterpart_value": float,
            "joint_value": float,
            "best_joint_value": float,
            "rounds": int,
            "guess": str,
            "guess_right": int,
        },
        pk="id",
        not_null={"scenario_id", "strategy", "seed", "started_at", "status"},
        strict=True,
    )
    db.table("games").create_index(["status", "started_at"], index_name="games_by_status")
    db.table("game_moves").create(
        {"id": int, "game_id": int, "position": int, "move": str, "made_at": str},
        pk="id",
        not_null={"game_id", "position", "move", "made_at"},
        foreign_keys=[("game_id", "games", "id")],
        strict=True,
    )
    db.table("game_moves").create_index(["game_id", "position"], unique=True, index_name="game_moves_by_game")


@migrations()
def m008_scheduler_fits(db: Database) -> None:
    """FSRS parameters fitted to the learner's own history: when, from how many reviews, the held-out
    evaluation of the defaults and of the fit, and whether they are in use (at most one row is)."""
    db.table("scheduler_fits").create(
        {
            "id": int,
            "fitted_at": str,
            "reviews": int,
            "train_items": int,
            "test_items": int,
            "default_log_loss": float,
            "fitted_log_loss": float,
            "default_rmse": float,
            "fitted_rmse": float,
            "parameters": str,
            "adopted": int,
            "active": int,
        },
        pk="id",
        not_null={"fitted_at", "reviews", "parameters", "adopted", "active"},
        strict=True,
    )


@migrations()
def m009_deck_switches(db: Database) -> None:
    """Decks the learner turned off (their cards neither studied nor counted; history kept)."""
    db.table("deck_switches").create({"deck_id": str, "enabled": int}, pk="deck_id", not_null={"enabled"}, strict=True)


@migrations()
def m010_game_study_cards(db: Database) -> None:
    """Negotiation rounds feed study: the mistake codes of each finished game, and the study cards it brought
    forward (the new-card queue puts those first, as it does for cards a quiz found weak)."""
    db.table("games").add_column("mistakes", str)
    db.table("game_cards").create(
        {"game_id": int, "card_id": str, "mistake": str},
        pk=("game_id", "card_id"),
        not_null={"mistake"},
        foreign_keys=[("game_id", "games", "id")],
        strict=True,
    )


@migrations()
def m011_statistics_indexes(db: Database) -> None:
    """Indexes the statistics page aggregates over in SQL: answers by learning day with the columns the charts
    group (interval, rating, time taken), so a year of answers is counted from the index alone; schedules by
    due instant, for the forecast."""
    db.table("answers").create_index(
        ["day", "interval_days", "rating", "duration_ms"], index_name="answers_by_day_facts"
    )
    db.table("schedules").create_index(["due"], index_name="schedules_by_due_only")


def _lapse(row: str = "") -> str:
    """1 when an answer (the row `new` or `old` in a trigger) is a lapse, Again on a card in review; else 0."""
    of = f"{row}." if row else ""
    return f"({of}rating is {int(Rating.AGAIN)} and {of}phase_before is {int(Phase.REVIEW)})"


def _tally_again(card_id: str) -> str:
    """Statements recomputing one card's tally row from its answers (over the index on card_id); no row when
    none remain."""
    return (
        f"delete from card_tallies where card_id = {card_id}; "
        "insert into card_tallies (card_id, reviews, lapses, last_id) "
        f"select card_id, count(*), sum({_lapse()}), max(id) from answers where card_id = {card_id} group by card_id;"
    )


def _time_counted(row: str) -> str:
    """The statement adding one answer to answer_times (none when its duration is not an integer)."""
    return (
        f"insert into answer_times (day, tenth, n) select {row}.day, {row}.duration_ms / 100, 1 "
        f"where typeof({row}.duration_ms) = 'integer' on conflict (day, tenth) do update set n = n + 1;"
    )


def _time_uncounted(row: str) -> str:
    """The statements taking one answer out of answer_times, deleting a count that reaches zero."""
    key = f"day = {row}.day and tenth = {row}.duration_ms / 100 and typeof({row}.duration_ms) = 'integer'"
    return f"update answer_times set n = n - 1 where {key}; delete from answer_times where {key} and n <= 0;"


@migrations()
def m012_rollups(db: Database) -> None:
    """Roll-ups of the answers kept current by triggers, so the card browser and the statistics page read
    them instead of grouping every answer: per card (`card_tallies`: answers, lapses, the last answer's id)
    and per learning day (`answer_times`: how many answers took each whole number of tenths of a second).

    Every insert, delete and update of an answer goes through the triggers, whoever writes it. An answer whose
    duration is not an integer is left out of answer_times, so an unreadable row never makes a write fail.
    A later migration that rebuilds the answers table (sqlite-utils' transform) must create the triggers again.
    """
    db.table("card_tallies").create(
        {"card_id": str, "reviews": int, "lapses": int, "last_id": int},
        pk="card_id",
        not_null={"reviews", "lapses", "last_id"},
        strict=True,
    )
    db.table("answer_times").create(
        {"day": str, "tenth": int, "n": int}, pk=("day", "tenth"), not_null={"day", "tenth", "n"}, strict=True
    )
    db.execute(
        "insert into card_tallies (card_id, reviews, lapses, last_id) "
        f"select card_id, count(*), sum({_lapse()}), max(id) from answers group by card_id"
    )
    db.execute(
        "insert into answer_times (day, tenth, n) select day, duration_ms / 100 as tenth, count(*) from answers "
        "where typeof(duration_ms) = 'integer' group by day, tenth"
    )
    db.execute(
        "create trigger answers_rollup_insert after insert on answers begin "
        "insert into card_tallies (card_id, reviews, lapses, last_id) "
        f"values (new.card_id, 1, {_lapse('new')}, new.id) on conflict (card_id) do update set "
        "reviews = reviews + 1, lapses = lapses + excluded.lapses, last_id = max(last_id, excluded.last_id); "
        f"{_time_counted('new')} end"
    )
    db.execute(
        "create trigger answers_rollup_delete after delete on answers begin "
        f"{_tally_again('old.card_id')} {_time_uncounted('old')} end"
    )
    db.execute(
        "create trigger answers_rollup_update after update of id, card_id, rating, phase_before, day, duration_ms "
        f"on answers begin {_tally_again('old.card_id')} {_tally_again('new.card_id')} "
        f"{_time_uncounted('old')} {_time_counted('new')} end"
    )


@migrations()
def m013_schedule_facts_index(db: Database) -> None:
    """A covering index of the schedule columns the grouped counts and the browser read per card (home's mastery
    and deck counts join 50,000 cards to it without reading a schedule's stored FSRS state)."""
    db.table("schedules").create_index(
        ["card_id", "phase", "due", "stability", "difficulty", "last_review"], index_name="schedules_facts"
    )


def known_names() -> list[str]:
    """Names of every migration this version knows, in order."""
    return [migration.name for migration in migrations.pending(Database(memory=True))]
