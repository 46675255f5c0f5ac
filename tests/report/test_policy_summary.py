"""The one-page summary is generated from the committed results: its structure and its numbers' sources, not outcomes."""

import re
import shutil
from pathlib import Path

import pandas as pd

from ecosim.report import policy_summary as ps

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "results"
SECTIONS = (
    "## What was compared",
    "## Under which conditions each does better, and for whom",
    "## How sure we are",
    "## What the model leaves out",
    "## Where the numbers come from",
    "## Figures",
    "## Details",
)


def test_page_has_its_sections_and_the_sources_numbers() -> None:
    text = ps.build(RESULTS, ROOT / "docs" / "ODD.md")
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    # The paired counts are those of the flagship's runs table.
    runs = pd.read_parquet(RESULTS / ps.FLAGSHIP / "runs.parquet")
    c = ps.both_lower(runs, "factor_stance", "transformation", "cost_control", ps.SPENDING, ps.BURDEN)
    assert c["a"] + c["b"] + c["mixed"] == c["pairs"] == (runs["factor_stance"] == "transformation").sum()
    assert f"| {ps._share(c['a'], c['pairs'])} | {ps._share(c['b'], c['pairs'])} |" in text
    # The calibration's fit table: each target's row and verdict as in fit.csv.
    fit = pd.read_csv(RESULTS / "calibration_baseline_2015" / "fit.csv")
    for r in fit.itertuples():
        assert re.search(rf"\| {r.target} \| .* \| {'yes' if r.check_in_tolerance else 'no'} \|", text), r.target
    assert f"{int(fit['fitted'].sum())} public figures" in text
    # Every gap title of ODD section 9, and every figure link points to a file.
    assert "lists 0 simplifications" not in text
    for link in re.findall(r"\]\(([^)]+\.png)\)", text):
        assert (RESULTS / link).is_file(), link
    # Each folder's commit is named.
    for folder in ps.FOLDERS:
        commit = ps.commit_of(RESULTS / folder)
        if commit:
            assert commit[:10] in text


def test_missing_and_mixed_results_are_said(tmp_path: Path) -> None:
    """A folder that is missing, or made at another commit, is named as such; the page is still made."""
    root = tmp_path / "results"
    root.mkdir()
    for folder in ("cooperation_dynamics", "calibration_baseline_2015"):
        shutil.copytree(RESULTS / folder, root / folder)
    text = ps.build(root, ROOT / "docs" / "ODD.md")
    for s in SECTIONS:
        assert s in text
    assert f"The flagship experiment (`{ps.FLAGSHIP}`) is missing" in text
    assert "Missing: cost_control_vs_transformation, scenario_discovery, sensitivity_morris, sensitivity_sobol" in text
    if ps.commit_of(root / "cooperation_dynamics") != ps.commit_of(root / "calibration_baseline_2015"):
        assert "Not all results come from one commit" in text
    assert "No region sweep" in text
