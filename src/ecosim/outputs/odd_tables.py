"""Rewrite the output tables of docs/ODD.md section 8 from the registry.

The ODD lists every output as the registry declares it, and a test checks that it does. When
outputs are added (or two branches that add outputs are merged), regenerate the tables instead
of editing them by hand::

    python -m ecosim.outputs.odd_tables docs/ODD.md

The three tables (monthly, municipal, end-of-run scalars) are the runs of lines starting with
``|`` whose header line starts with ``| Name`` after the heading ``## 8``, in that order; the
column counts stated as "`model.parquet` ..., N columns" are updated too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ecosim.outputs import registry

_KINDS = ("monthly", "municipal", "scalar")


def rewrite(text: str) -> str:
    """``text`` (the ODD) with its section-8 output tables and column counts regenerated."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("## 8")), None)
    if start is None:
        raise ValueError("no '## 8' heading: not the ODD?")
    out, i, kinds = lines[:start], start, list(_KINDS)
    while i < len(lines):
        if kinds and lines[i].startswith("| Name"):
            out.extend(registry.markdown_table(kinds.pop(0)).split("\n"))
            while i < len(lines) and lines[i].startswith("|"):
                i += 1
            continue
        out.append(lines[i])
        i += 1
    if kinds:
        raise ValueError(f"docs/ODD.md section 8 lacks the {', '.join(kinds)} table(s)")
    counts = {"model": len(registry.MODEL_COLUMNS), "municipalities": len(registry.MUNICIPAL_COLUMNS)}
    result = "\n".join(out)
    return re.sub(
        r"(`(model|municipalities)\.parquet`[^\n]*?)(\d+)( columns)",
        lambda m: f"{m.group(1)}{counts[m.group(2)]}{m.group(4)}",
        result,
    )


def main(argv: list[str] | None = None) -> int:
    """Rewrite the ODD file named in ``argv`` (default docs/ODD.md) in place."""
    path = Path((argv if argv is not None else sys.argv[1:] or ["docs/ODD.md"])[0])
    path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
