"""Where each strategy does better: shares of the explored space, overall, by context and for whom.

One row per paired replication (a cost-control and a transformation run with the same
seed at the same point of the design). A *space share* is the fraction of those pairs in
which a strategy was lower (better) on an outcome. In an exploratory design the points
sample the uncertain parameters, so the shares say how much of the plausible space favours
each strategy, not how likely that is: the points are not weighted by a probability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecosim.report.compare import Pair
from ecosim.report.markdown import table

SPENDING, BURDEN = "total_spending", "burden_total"
"""The two counts a strategy is judged on: public spending and the burden of unmet need."""

FOR_WHOM: dict[str, tuple[str, str]] = {
    "spending per inhabitant": ("spending_per_inhabitant_small_last12", "spending_per_inhabitant_large_last12"),
    "burden per 1,000": ("burden_per_1000_small_last12", "burden_per_1000_large_last12"),
}
"""Per outcome, its columns for small and for large municipalities (last 12 months)."""


def pair_rows(pair_list: list[Pair]) -> pd.DataFrame:
    """One row per paired replication: its context and the sign of transformation minus cost control."""
    rows = []
    for pr in pair_list:
        if not pr.paired:
            continue
        a, b = pr.control.set_index("replication"), pr.transformation.set_index("replication")
        for r in a.index:
            row: dict[str, object] = {k.removeprefix("factor_"): v for k, v in pr.context.items()}
            for name, col in (("spending", SPENDING), ("burden", BURDEN)):
                if col in a:
                    row[f"tr_lower_{name}"] = bool(b.at[r, col] < a.at[r, col])
                    row[f"cc_lower_{name}"] = bool(a.at[r, col] < b.at[r, col])
            for what, cols in FOR_WHOM.items():
                for size, col in zip(("small", "large"), cols, strict=True):
                    if col in a:
                        row[f"tr_lower {what} ({size})"] = bool(b.at[r, col] < a.at[r, col])
            rows.append(row)
    return pd.DataFrame(rows)


def shares(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Space shares per group of ``by`` (and overall): lower spending, lower burden, both, for each side."""
    if rows.empty or "tr_lower_spending" not in rows or "tr_lower_burden" not in rows:
        return pd.DataFrame()
    frame = rows.assign(
        tr_both=rows["tr_lower_spending"] & rows["tr_lower_burden"],
        cc_both=rows["cc_lower_spending"] & rows["cc_lower_burden"],
    )
    cols = {
        "tr_lower_spending": "transformation cheaper",
        "tr_lower_burden": "transformation less unmet need",
        "tr_both": "transformation better on both",
        "cc_both": "cost control better on both",
    }

    def summarise(g: pd.DataFrame) -> dict[str, float]:
        return {"pairs": len(g), **{label: float(g[c].mean()) for c, label in cols.items()}}

    out = [{**{k: "all" for k in by}, **summarise(frame)}]
    if by:
        for key, g in frame.groupby(by, sort=False):
            key = key if isinstance(key, tuple) else (key,)
            out.append({**dict(zip(by, key, strict=True)), **summarise(g)})
    return pd.DataFrame(out)


def for_whom(rows: pd.DataFrame) -> pd.DataFrame:
    """Share of pairs in which transformation was lower, in small and in large municipalities."""
    out = []
    for what in FOR_WHOM:
        cols = [f"tr_lower {what} ({size})" for size in ("small", "large")]
        if all(c in rows for c in cols):
            out.append({"outcome": what, "small": float(rows[cols[0]].mean()), "large": float(rows[cols[1]].mean())})
    return pd.DataFrame(out)


def share_interval(share: float, n: int) -> tuple[float, float]:
    """95 % Wilson interval of a share of ``n`` pairs (how precisely the design measured it)."""
    if n == 0:
        return float("nan"), float("nan")
    z = 1.959964
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre - half), float(centre + half)


def _pct(x: float) -> str:
    return "-" if not np.isfinite(x) else f"{100 * x:.0f} %"


def strategies_held(experiment: dict) -> str:
    """Which question the sweep answers: strategies held fixed, councils that react, or both."""
    levels = ((experiment.get("factors") or {}).get("stance") or {}).get("levels") or {}
    adaptive = {name: spec.get("stance.adaptive") for name, spec in levels.items()}
    fixed = [n for n, a in adaptive.items() if a is False]
    reacting = [n for n, a in adaptive.items() if a is not False]
    if fixed and not reacting:
        return "The strategies are held fixed over the run (committed): this answers *which strategy is better*."
    if fixed:
        return (
            f"The levels {', '.join(f'`{n}`' for n in fixed)} hold their strategy fixed (committed): their "
            f"comparison answers *which strategy is better*. The levels {', '.join(f'`{n}`' for n in reacting)} "
            "let councils react to deficits, results and elections: they show *what happens when councils react*."
        )
    return (
        "Councils may change their stance during the run (deficits, results, elections), so the comparison is "
        "of *starting* stances, not of strategies held fixed."
    )


def exploration_section(pair_list: list[Pair], experiment: dict, number: str = "3") -> tuple[list[str], str]:
    """Markdown section on the space shares, and the summary sentence; empty when nothing is paired."""
    rows = pair_rows(pair_list)
    if rows.empty or "tr_lower_spending" not in rows:
        return [], ""
    by = [c for c in ("form", "cuts") if c in rows and rows[c].nunique() > 1]
    tab = shares(rows, by)
    head = [*by, "pairs", "transformation cheaper", "transformation less unmet need",
            "transformation better on both", "cost control better on both"]  # fmt: skip

    def cell(r: pd.Series, c: str) -> str:
        if c in by:
            return str(r[c])
        return str(int(r[c])) if c == "pairs" else _pct(r[c])

    body = [[cell(r, c) for c in head] for _, r in tab.iterrows()]
    overall = tab.iloc[0]
    lo, hi = share_interval(overall["transformation better on both"], int(overall["pairs"]))
    sentence = (
        f"**Where each strategy does better**: over {int(overall['pairs'])} paired runs of the explored space, "
        f"transformation was cheaper in {_pct(overall['transformation cheaper'])}, left less unmet need in "
        f"{_pct(overall['transformation less unmet need'])} and did better on both in "
        f"{_pct(overall['transformation better on both'])} (95 % interval {_pct(lo)} to {_pct(hi)}); cost control "
        f"did better on both in {_pct(overall['cost control better on both'])}."
    )
    lines = [
        f"## {number}. Where each strategy does better: shares of the explored space",
        "",
        strategies_held(experiment),
        "",
        "Each paired run compares cost control and transformation at one point of the design with the same "
        "seed. A share is the fraction of pairs in which a strategy was lower on an outcome (total public "
        "spending, burden of unmet need summed over the run). The points sample the uncertain parameters "
        "over their plausible ranges (experiments/uncertainties.toml) without weighting them by a "
        "probability, so a share says how much of the plausible space favours a strategy, not how likely "
        "that is.",
        "",
        sentence,
        "",
        table(head, body),
        "",
    ]
    who = for_whom(rows)
    if not who.empty:
        lines += [
            "**For whom.** Share of pairs in which transformation was lower in small municipalities and in "
            "large ones (the bottom and top `geography.small_share` by population; mean of the last 12 months):",
            "",
            table(
                ["outcome", "small municipalities", "large municipalities"],
                [[r["outcome"], _pct(r["small"]), _pct(r["large"])] for _, r in who.iterrows()],
            ),  # fmt: skip
            "",
        ]
    return lines, sentence
