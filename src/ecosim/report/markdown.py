"""Numbers and tables as Markdown text, formatted the same way everywhere in the report."""

from __future__ import annotations

import math


def num(x: float | int | None, digits: int = 3) -> str:
    """A number with about ``digits`` significant figures and thousands separators; '-' if missing."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        if isinstance(x, float) and math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return "-"
    if x == 0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - mag)
    return f"{x:,.{decimals}f}"


def month(x: float | int | None) -> str:
    """A month number as a whole number, '-' if missing."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return str(int(round(x)))


def interval(mean: float, low: float, high: float) -> str:
    """'mean (low to high)', or just the mean when there is no interval."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return num(mean)
    return f"{num(mean)} ({num(low)} to {num(high)})"


def signed(x: float) -> str:
    """A number with its sign, for differences."""
    text = num(x)
    return text if text.startswith("-") or text in {"0", "-"} else f"+{text}"


def signed_interval(diff: float, low: float, high: float) -> str:
    """'+diff (low to high)' for a difference and its interval."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return signed(diff)
    return f"{signed(diff)} ({num(low)} to {num(high)})"


def pct(x: float) -> str:
    """A signed percentage with one decimal, '-' when missing."""
    if not math.isfinite(x):
        return "-"
    return f"{x * 100:+.1f}%"


def pval(p: float) -> str:
    """A p-value as text: '< 0.001' below a thousandth, '-' when there was no test."""
    if not math.isfinite(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (pandas ``to_markdown``, pipe format); cells are text as given, pipes escaped."""
    import pandas as pd

    def esc(cells: list[str]) -> list[str]:
        return [str(c).replace("|", "\\|") for c in cells]

    frame = pd.DataFrame([esc(r) for r in rows], columns=esc(header), dtype=object)
    # Cells are already formatted numbers ('1,234', '< 0.001'): tabulate must not re-parse them.
    return frame.to_markdown(index=False, tablefmt="pipe", disable_numparse=True)


def image(path: str, alt: str) -> str:
    """A Markdown image link relative to the report."""
    return f"![{alt}]({path})"
