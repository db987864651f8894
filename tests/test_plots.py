"""The painted charts' axes: whole-number ticks for counts, percentages and quiz numbers."""

from __future__ import annotations

import itertools

import pytest

from trainer.ui.plots import Series, nice_top, shown_labels, top_and_step


@pytest.mark.parametrize("largest", [1, 2, 3, 7, 12, 13, 24, 40, 99, 180, 1234])
def test_count_axes_tick_at_whole_numbers(largest):
    top, step = nice_top(largest)
    assert top >= largest
    assert step == int(step)
    assert top == int(top)


def test_a_percentage_axis_ticks_at_whole_numbers():
    for top in (100.0, 90.0, 70.0):
        end, step = top_and_step(Series("line", [53.0, 61.5], ["1", "2"], top=top))
        assert end >= top
        assert step == int(step)


@pytest.mark.parametrize("quizzes", [1, 2, 3, 7, 12, 23, 40, 90])
@pytest.mark.parametrize("slot", [4.0, 12.0, 40.0])
def test_quiz_numbers_are_labelled_by_whole_round_steps_that_never_overlap(quizzes, slot):
    labels = [str(number) for number in range(1, quizzes + 1)]
    shown = shown_labels(labels, 1, slot, widest=18.0)
    assert shown, "at least one quiz is labelled"
    numbers = [int(labels[i]) for i in shown]
    gaps = {b - a for a, b in itertools.pairwise(numbers)}
    assert len(gaps) <= 1  # evenly spaced
    if gaps:
        gap = gaps.pop()
        assert gap in (1, 2, 5, 10, 20, 50)
        assert gap == 1 or all(number % gap == 0 for number in numbers)
        assert gap * slot >= 18.0  # far enough apart for their width


def test_date_labels_keep_their_step_and_are_thinned_evenly():
    labels = [f"{day:02d} Sep" for day in range(1, 31)]
    assert shown_labels(labels, 15, 10.0, 40.0) == [0, 15]
    assert shown_labels(labels, 1, 5.0, 40.0) == list(range(0, 30, 8))
