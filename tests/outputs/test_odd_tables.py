"""docs/ODD.md's output tables can be regenerated from the registry (ecosim.outputs.odd_tables)."""

from pathlib import Path

import pytest

from ecosim.outputs import odd_tables, registry

ROOT = Path(__file__).resolve().parents[2]


def test_rewriting_the_shipped_odd_changes_nothing():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    assert odd_tables.rewrite(odd) == odd


def test_a_stale_table_and_count_are_replaced():
    stale = "\n".join(
        [
            "# ODD",
            "| Name | not touched before section 8 |",
            "## 8. Outputs",
            "**Model-level table** (`model.parquet`, one row per month, 3 columns):",
            "",
            "| Name | Meaning |",
            "|:--|:--|",
            "| `old` | gone |",
            "",
            "| Name | x |",
            "",
            "| Name | y |",
            "after",
        ]
    )
    new = odd_tables.rewrite(stale)
    assert "`old`" not in new and "| Name | not touched before section 8 |" in new
    for kind in ("monthly", "municipal", "scalar"):
        assert registry.markdown_table(kind) in new
    assert f"{len(registry.MODEL_COLUMNS)} columns" in new and new.endswith("after")


def test_an_odd_without_the_tables_is_refused():
    with pytest.raises(ValueError, match="lacks"):
        odd_tables.rewrite("## 8. Outputs\n| Name | a |\n")
