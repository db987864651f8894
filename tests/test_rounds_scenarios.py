"""Negotiation rounds: the bundled scenario files and the checks that guard them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.rounds import (
    Context,
    MessageKind,
    Problem,
    ScenarioError,
    StrategyName,
    check_scenario_files,
    load_scenario,
    load_scenarios,
)

FOLDER = Path(__file__).resolve().parent.parent / "content" / "scenarios"
GOOD = FOLDER / "office-chairs.toml"


def test_all_bundled_scenarios_validate():
    assert check_scenario_files([FOLDER]) == []
    scenarios, problems = load_scenarios(FOLDER)
    assert problems == []
    assert len(scenarios) >= 8
    assert {s.context for s in scenarios} == set(Context)
    for scenario in scenarios:
        assert len(set(scenario.strategies)) >= 4
        assert scenario.best_for_learner > scenario.walk_away
        assert scenario.best_joint > 100  # integrative: trading across issues creates value


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _one(path: Path) -> Problem:
    problems = check_scenario_files([path])
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ('"logroller"]', '"logroller", "bully"]', "strategies", "unknown strategy"),
        ('delivery = "10 weeks"', 'delivery = "11 weeks"', "opening", "not one of its levels"),
        ("target = 70\nwalk_away = 40", "target = 95\nwalk_away = 90", "walk_away", "no package"),
        ("round_limit = 10", "round_limit = 2", "round_limit", "between"),
        ("learner = [50, 37.5, 25, 12.5, 0]", "learner = [50, 37.5, 25, 12.5]", "issues.price.learner", "4 values"),
        ("learner = [50, 37.5, 25, 12.5, 0]", "learner = [40, 30, 20, 10, 0]", "issues.price.learner", "not 100"),
        ("learner = [50, 37.5, 25, 12.5, 0]", "learner = [0, 12.5, 25, 37.5, 50]", "issues.price.learner", "fall"),
        ("Our offer is {offer}, take", "Our offer is {budget}, take", "messages.anger", "{budget}"),
        ('deflect = ["Every part', 'deflected = ["Every part', "messages.deflected", "not a known"),
    ],
)
def test_a_broken_scenario_is_reported_with_file_scenario_and_field(tmp_path, old, new, field, words):
    path = _broken(tmp_path, old, new)
    problem = _one(path)
    assert (problem.file, problem.scenario, problem.field) == (str(path), "office-chairs", field)
    assert words in problem.message
    assert problem.line is not None
    assert str(problem).startswith(f"{path}:{problem.line}: scenario office-chairs: {field}: ")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert raised.value.problems == [problem]


def test_a_missing_message_kind_and_fewer_than_two_issues_are_reported(tmp_path):
    text = GOOD.read_text(encoding="utf-8")
    hold = next(line for line in text.splitlines() if line.startswith("hold = "))
    assert _one(_broken(tmp_path, hold, "")).field == "messages.hold"
    one_issue = tmp_path / "one.toml"
    cut = text.index('[[issues]]\nid = "delivery"')
    end = text.index("[messages]")
    one_issue.write_text(text[:cut] + text[end:], encoding="utf-8")
    problems = check_scenario_files([one_issue])
    assert any(p.field == "opening" and "unknown issue" in p.message for p in problems)
    fixed = one_issue.read_text(encoding="utf-8").replace(', delivery = "10 weeks", payment = "45 days"', "")
    one_issue.write_text(fixed, encoding="utf-8")
    assert any(p.field == "issues" and "two to four" in p.message for p in check_scenario_files([one_issue]))


def test_invalid_toml_and_unreadable_files_give_a_problem_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\ntitle = \n', encoding="utf-8")
    problem = _one(bad)
    assert problem.field == "file"
    assert problem.line == 2
    assert "TOML" in problem.message
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    assert _one(binary).field == "file"


def test_a_duplicate_scenario_id_across_files_is_reported(tmp_path):
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    problem = _one(tmp_path)
    assert problem.field == "id"
    assert "a.toml" in problem.message
    assert problem.file.endswith("b.toml")
    scenarios, problems = load_scenarios(tmp_path)
    assert len(scenarios) == 1
    assert len(problems) == 1


def test_every_template_uses_only_slots_the_engine_fills():
    scenarios, _ = load_scenarios(FOLDER)
    for scenario in scenarios:
        for kind, texts in scenario.messages.items():
            assert isinstance(kind, MessageKind)
            for text in texts:
                assert not re.search(r"\{\s*\}", text)
        assert all(isinstance(name, StrategyName) for name in scenario.strategies)


def test_the_readme_example_is_a_valid_scenario(tmp_path):
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    path = tmp_path / "example.toml"
    path.write_text(example[1], encoding="utf-8")
    assert check_scenario_files([path]) == []
