"""``python -m bench.all --quick`` runs end to end and prints every row of issue 16's table.

The figures themselves are not asserted (no test asserts on time); the ratios to the targets
are, on made-up figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.all import Row, table

ROOT = Path(__file__).resolve().parent.parent

# The beginning of each row's figure, in the order.
ROWS = (
    "page of 50 people, throughput vs PostGraphile v4, c=8, one API process",
    "server CPU per request, same query",
    "SQL statements of an authenticated `{ __typename }`",
    "dashboard of a 120-person unit, p95 at c=4 vs hand-written SQL",
    "bonus run, 2,000 people / 40 departments, end to end",
    "20-person quarterly PDF, first download after confirmation",
    "20-person quarterly PDF, rendering",
    "60-person quarterly PDF rendering",
    "60-person quarterly PDF rendering, peak RSS",
    "city comparison, 2 units x 2 closed quarters",
)


def test_quick_run_prints_every_row() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.all", "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "PostGraphile: skipped (--quick)" in done.stdout
    printed = done.stdout.split("issue 16, figures of this run (quick sizes")[1]
    rows = [line.split(" | ")[0].removeprefix("| ") for line in printed.splitlines()
            if line.startswith("| ")]
    assert rows[0] == "figure"
    assert rows[1:] == list(ROWS)
    # the statement count is measured even in a quick run
    statements = next(line for line in printed.splitlines() if line.startswith(f"| {ROWS[2]}"))
    assert statements.split(" | ")[1].split()[0].isdigit(), statements


def test_ratios_to_the_target() -> None:
    rows = [Row("throughput", "0.6x", "PostGraphile", ">= 0.5x", 0.6, 0.5, at_least=True),
            Row("slow throughput", "0.1x", "PostGraphile", ">= 0.5x", 0.1, 0.5, at_least=True),
            Row("cpu", "4 ms", "3 ms", "<= 5 ms", 4.0, 5.0),
            Row("bonus", "15 s", "15 s", "<= 5 s", 15.0, 5.0),
            Row("skipped", "—", "skipped", "<= 3x", None, 3.0)]
    lines = table(rows).splitlines()
    assert lines[2] == "| throughput | 0.6x | PostGraphile | >= 0.5x | 1.20 | yes |"
    assert lines[3].endswith("| 0.20 | no |")
    assert lines[4].endswith("| 0.80 | yes |")
    assert lines[5].endswith("| 3.00 | no |")
    assert lines[6].endswith("| — | — |")
    assert table(rows, quick=True).splitlines()[2].endswith("| 1.20 | n/a (--quick) |")
