"""Issue 16, item 4: the resume key (run id) covers the outputs a run file keeps."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ecosim.experiment import sweep

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import tiny_experiment  # noqa: E402

OUTPUTS = """
[outputs]
scalars = {scalars}
series = {series}
"""


def test_a_sweep_rerun_with_more_outputs_computes_them(tmp_path):
    out = tmp_path / "out"
    few = tiny_experiment(tmp_path, reps=1, extra=OUTPUTS.format(scalars='["total_spending"]', series='["spending"]'))
    first = sweep(few, out, workers=1, progress=False)
    assert first.computed == 2
    more = tiny_experiment(
        tmp_path,
        reps=1,
        extra=OUTPUTS.format(scalars='["total_spending", "burden_total"]', series='["spending", "waiting"]'),
        name="more.toml",
    )
    again = sweep(more, out, workers=1, progress=False)
    assert (again.skipped, again.computed) == (0, 2), "runs with other outputs were reported done"
    runs = pd.read_parquet(out / "runs.parquet")
    assert {"total_spending", "burden_total"} <= set(runs.columns)
    assert set(pd.read_parquet(out / "series.parquet")["variable"]) == {"spending", "waiting"}
    same = sweep(more, out, workers=1, progress=False)
    assert (same.skipped, same.computed) == (2, 0), "resume still skips finished runs"
