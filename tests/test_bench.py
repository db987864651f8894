"""`trainer bench --sizes S` as a smoke test: it runs and prints the documented JSON shape (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

KEYS = {
    "cards",
    "reviews",
    "launch_ms",
    "launch_ratio",
    "answer_p50_ms",
    "answer_p95_ms",
    "dashboard_ms",
    "statistics_ms",
    "browser_ms",
    "quiz_start_ms",
    "quiz_report_ms",
    "stall_answer_ms",
    "stall_dashboard_ms",
    "stall_statistics_ms",
    "stall_browser_ms",
    "stall_quiz_start_ms",
    "stall_quiz_report_ms",
    "longest_stall_ms",
    "peak_rss_mb",
    "fit_ms",
    "db_mb",
}


def test_bench_small_size_prints_the_json_shape():
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "bench", "--sizes", "S", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert figures["floor_ms"] > 0
    small = figures["sizes"]["S"]
    assert set(small) >= KEYS
    assert (small["cards"], small["reviews"]) == (500, 5000)
    stalls = {key for key in KEYS if "stall" in key}
    assert small["fit_ms"] is None  # 5,000 reviews: below the fit's measured threshold of 6,000
    assert all(small[key] > 0 for key in KEYS - stalls - {"fit_ms"})
    assert all(small[key] >= 0 for key in stalls)
    assert small["longest_stall_ms"] == max(small[key] for key in stalls - {"longest_stall_ms"})
    assert small["launch_ratio"] == round(small["launch_ms"] / figures["floor_ms"], 2)


def test_missed_targets_name_each_figure_over_its_size_target():
    from trainer.bench.runner import TARGETS, missed_targets

    within = {key: targets["S"] for key, targets in TARGETS.items()}
    assert missed_targets({"sizes": {"S": within}}) == []
    over = {**within, "statistics_ms": TARGETS["statistics_ms"]["S"] + 1}
    assert missed_targets({"sizes": {"S": over}}) == [f"S: statistics_ms {over['statistics_ms']} (target 150.0)"]


def test_bench_rejects_an_unknown_size():
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "bench", "--sizes", "XL"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "unknown size" in result.stderr
