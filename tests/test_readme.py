"""The README's Python examples run as written (in a scratch folder that sees the repo's files)."""

import re
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S | re.M)
SHARED = ("scenarios", "experiments", "calibration")
"""Repo folders the examples name by relative path; outputs (results/) go to the scratch folder."""


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2
    assert any("ecosim.run(" in b for b in BLOCKS) and any("ecosim.sweep(" in b for b in BLOCKS)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib.pyplot as plt

    for name in SHARED:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    matplotlib.use("Agg")  # plots are drawn, never shown
    try:
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    finally:
        plt.close("all")
