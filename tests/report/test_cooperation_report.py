"""The cooperation report (issue 14) from a real, tiny sweep: every section, and the spending check pairs seeds."""

import re
from pathlib import Path

import pandas as pd

from ecosim.experiment import sweep
from ecosim.report.cooperation import build

ROOT = Path(__file__).resolve().parents[2]

TINY = f"""
name = "tiny_cooperation"
scenario = "{(ROOT / "scenarios" / "emergent_cooperation.toml").as_posix()}"
months = 15
replications = 2
root_seed = 5

[factors.world.levels.small]
"geography.n_municipalities" = 6
"geography.n_regions" = 1
"geography.mean_population" = 20_000
"cooperation.propensity" = [0.8, 0.8]

[factors.form.levels.none]
"cooperation.preferred_form" = "none"

[factors.form.levels.light]
"cooperation.preferred_form" = "light"
"""


def test_cooperation_report_has_every_section(tmp_path):
    exp = tmp_path / "exp.toml"
    exp.write_text(TINY, encoding="utf-8")
    out = tmp_path / "out"
    sweep(exp, out, workers=1, progress=False)
    path = build(out, cells=out)
    text = path.read_text(encoding="utf-8")
    titles = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert [t.split(".")[0] for t in titles] == ["1", "2", "3", "4", "5", "6"]
    assert (out / "figures" / "cooperation_over_time.png").stat().st_size > 0
    # Spending is compared with the same seed without cooperation: one row for the light level, two pairs.
    section = text.split("## 5.")[1].split("## 6.")[0]
    rows = [line for line in section.splitlines() if line.startswith("| form light")]
    assert len(rows) == 1 and rows[0].rstrip(" |").endswith("2")
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs.loc[runs["factor_form"] == "none", "arrangements_formed"].eq(0).all()
