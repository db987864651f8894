"""`trainer bench`: launch and interaction timings at three collection sizes, in fresh child processes.

The parent builds each size's data folder (not timed), then runs children:
`python -m trainer.bench.child floor|warm|launch|ops|fit DIR START` and reads one JSON line from each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

from trainer import paths
from trainer.bench.data import SIZES, build_content, build_history

LAUNCHES = 5
# Per size (M is held to L's figures); "at most" each.
TARGETS: dict[str, dict[str, float]] = {
    "launch_ratio": {"S": 1.5, "M": 2.0, "L": 2.0},
    "answer_p95_ms": {"S": 5.0, "M": 8.0, "L": 8.0},
    "dashboard_ms": {"S": 50.0, "M": 100.0, "L": 100.0},
    "statistics_ms": {"S": 150.0, "M": 300.0, "L": 300.0},
    "browser_ms": {"S": 100.0, "M": 150.0, "L": 150.0},
    "quiz_start_ms": {"S": 150.0, "M": 200.0, "L": 200.0},
    "quiz_report_ms": {"S": 150.0, "M": 200.0, "L": 200.0},
    "longest_stall_ms": {"S": 100.0, "M": 100.0, "L": 100.0},
    "peak_rss_mb": {"S": 130.0, "M": 200.0, "L": 200.0},
}


def _child(mode: str, folder: Path | None) -> dict:
    """Run one measurement in a fresh interpreter; its JSON line, with the spawn time passed in."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if folder is not None:
        env[paths.CONTENT_DIR_ENV] = str(folder / "content")
    started = time.time()
    args = [sys.executable, "-m", "trainer.bench.child", mode, str(folder or ""), repr(started)]
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False, timeout=1800)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark child '{mode}' failed:\n{result.stderr[-2000:]}")
    return json.loads(lines[-1])


def measure_size(name: str, root: Path) -> dict:
    """Build one size's data folder and measure it."""
    size = SIZES[name]
    folder = root / name
    build_content(paths.content_dir(), folder / "content", size.cards)
    build_history(folder / "content", folder / "data", size.reviews, datetime.now(UTC))
    _child("warm", folder)  # fills the content cache, as any earlier start would have
    launches = [_child("launch", folder)["ms"] for _ in range(LAUNCHES)]
    figures = _child("ops", folder)
    figures["fit_ms"] = _child("fit", folder)["ms"]
    db_bytes = sum(p.stat().st_size for p in (folder / "data").glob(f"{paths.DATABASE_NAME}*"))
    return {
        "cards": size.cards,
        "reviews": size.reviews,
        "launch_ms": round(median(launches), 1),
        **figures,
        "db_mb": round(db_bytes / 1e6, 1),
    }


def run_bench(sizes: list[str]) -> dict:
    floors = [_child("floor", None)["ms"] for _ in range(LAUNCHES)]
    floor = round(median(floors), 1)
    result: dict = {"floor_ms": floor, "sizes": {}, "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="trainer-bench-") as temporary:
        for name in sizes:
            figures = measure_size(name, Path(temporary))
            figures["launch_ratio"] = round(figures["launch_ms"] / floor, 2)
            result["sizes"][name] = figures
    return result


def machine() -> str:
    cpus = os.cpu_count()
    model = ""
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = sys.platform
    return f"{model}, {cpus} cores, Python {sys.version.split()[0]}"


def missed_targets(result: dict[str, Any]) -> list[str]:
    """Targets the run did not meet, as readable lines."""
    missed = []
    for name, figures in result["sizes"].items():
        for key, targets in TARGETS.items():
            target = targets.get(name)
            if target is not None and figures.get(key) is not None and figures[key] > target:
                missed.append(f"{name}: {key} {figures[key]} (target {target})")
    return missed


def table(result: dict) -> str:
    """The result as a Markdown table (sizes as columns)."""
    sizes = list(result["sizes"])
    rows = [
        ("cards", "cards"),
        ("reviews", "reviews"),
        ("launch to first card (ms)", "launch_ms"),
        ("launch / floor", "launch_ratio"),
        ("answer → next card p50 (ms)", "answer_p50_ms"),
        ("answer → next card p95 (ms)", "answer_p95_ms"),
        ("dashboard (ms)", "dashboard_ms"),
        ("statistics, all charts painted (ms)", "statistics_ms"),
        ("browser first page (ms)", "browser_ms"),
        ("quiz start (ms)", "quiz_start_ms"),
        ("quiz report (ms)", "quiz_report_ms"),
        ("longest GUI stall: answer (ms)", "stall_answer_ms"),
        ("longest GUI stall: dashboard (ms)", "stall_dashboard_ms"),
        ("longest GUI stall: statistics (ms)", "stall_statistics_ms"),
        ("longest GUI stall: browser (ms)", "stall_browser_ms"),
        ("longest GUI stall: quiz start (ms)", "stall_quiz_start_ms"),
        ("longest GUI stall: quiz report (ms)", "stall_quiz_report_ms"),
        ("longest GUI stall (ms)", "longest_stall_ms"),
        ("peak memory (MB)", "peak_rss_mb"),
        ("fit FSRS to the history, in a worker process (ms; below 6,000 reviews none)", "fit_ms"),
        ("database (MB)", "db_mb"),
    ]
    lines = ["| | " + " | ".join(sizes) + " |", "|---" * (len(sizes) + 1) + "|"]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(str(result["sizes"][s].get(key, "")) for s in sizes) + " |")
    lines.append(f"\nFloor (bare Qt window painted): {result['floor_ms']} ms. Machine: {result['machine']}.")
    return "\n".join(lines)


def main(sizes: str, as_json: bool) -> int:
    chosen = [s.strip().upper() for s in sizes.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SIZES]
    if unknown or not chosen:
        print(f"trainer bench: unknown size(s) {', '.join(unknown) or '(none)'}; use S, M, L", file=sys.stderr)
        return 2
    result = run_bench(chosen)
    print(json.dumps(result) if as_json else table(result))
    missed = missed_targets(result)
    for line in missed:
        print(f"target missed: {line}", file=sys.stderr)
    return 0
