"""The plain-language summary: sentences generated from the report's tables, never written by hand.

Every sentence states a count, a range or an interval from the tables, says "not
significant" when a test does not reject, and names the test. Nothing here knows which
strategy should win.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecosim.report import stats
from ecosim.report.compare import CONTROL, TRANSFORMATION
from ecosim.report.discovery import Discovery, Search
from ecosim.report.markdown import interval, month, num, pct, pval, signed, signed_interval
from ecosim.report.outcomes import BOTH, Outcome, outcome

ALPHA = 0.05
"""Significance level of every test, after Holm's correction."""

SUMMARY_OUTCOMES = (
    "total_spending",
    "burden_total",
    "mean_wait_months",
    "escalations",
    "admin_share",
    "cumulative_balance",
    "provider_failures",
)
"""Outcomes the summary speaks about (the tables below it hold them all)."""


def overview(comp: pd.DataFrame, name: str, alpha: float = ALPHA) -> dict:
    """For one outcome: how many pairs are significantly lower, higher or neither, and the spread.

    Keys: ``n``, ``lower``, ``higher``, ``ns`` (counts of pairs), ``rel_min``, ``rel_max``
    (relative differences), ``diff_min``, ``diff_max`` (absolute differences), ``pooled`` (mean
    of the pair differences with its t interval over pairs, meaningful when the pairs are a
    sample of conditions, as in a sampled design).
    """
    d = comp[comp["outcome"] == name]
    sig = d["p_holm"] < alpha
    rel = d["rel"][np.isfinite(d["rel"])]
    return {
        "n": len(d),
        "lower": int((sig & (d["diff"] < 0)).sum()),
        "higher": int((sig & (d["diff"] > 0)).sum()),
        "ns": int((~sig).sum()),
        "rel_min": float(rel.min()) if len(rel) else np.nan,
        "rel_max": float(rel.max()) if len(rel) else np.nan,
        "diff_min": float(d["diff"].min()) if len(d) else np.nan,
        "diff_max": float(d["diff"].max()) if len(d) else np.nan,
        "pooled": stats.mean_ci(d["diff"].to_numpy()),
    }


def _label(o: Outcome) -> str:
    return o.label[0].upper() + o.label[1:]


def outcome_sentence(comp: pd.DataFrame, o: Outcome, lead: str | None = None) -> str:
    """One sentence on transformation minus cost control for one outcome (``lead``: its bold opening)."""
    d = comp[comp["outcome"] == o.name]
    lead = lead or f"**{_label(o)}**"
    if len(d) == 1:
        r = d.iloc[0]
        verdict = (
            f"significant after Holm correction (p = {pval(r['p_holm'])})"
            if r["p_holm"] < ALPHA
            else f"not significant (Holm-corrected p = {pval(r['p_holm'])}): the runs cannot tell the stances apart"
        )
        rel = f", {pct(r['rel'])} of cost control" if np.isfinite(r["rel"]) else ""
        return (
            f"{lead} [{o.unit}]: transformation minus cost control "
            f"{signed_interval(r['diff'], r['low'], r['high'])}{rel}; {verdict}."
        )
    v = overview(comp, o.name)
    # Name the pairs at both ends: that is where the conditions show.
    use_rel = o.relative and np.isfinite(v["rel_min"])
    key = d["rel"] if use_rel else d["diff"]
    lo, hi = d.loc[key.idxmin()], d.loc[key.idxmax()]
    fmt = (lambda r: pct(r["rel"])) if use_rel else (lambda r: f"{signed(r['diff'])} {o.unit}")
    tail = " of cost control" if use_rel else ""
    spread = f"; the difference ranged from {fmt(lo)} ({lo['pair']}) to {fmt(hi)} ({hi['pair']}){tail}"
    below, above = int((d["diff"] < 0).sum()), int((d["diff"] > 0).sum())
    sign = (
        f"; by sign alone, transformation was lower in {below} and higher in {above} of {len(d)} pairs"
        if v["ns"]
        else ""
    )
    reps = int(d["n"].max())
    power = (
        f" (with {reps} replications per pair, one pair's test has little power)"
        if v["ns"] == v["n"] and reps <= 3
        else ""
    )
    return f"{lead}: {counts_text(v)}{power}{sign}{spread}."


def gap_sentence(comp: pd.DataFrame, o: Outcome) -> str:
    """For whom: the small-minus-large gap under each stance (cell means) and the paired tests."""
    d = comp[comp["outcome"] == o.name]
    v = overview(comp, o.name)
    return (
        f"**For whom**: the {o.label} [{o.unit}] (positive: small municipalities fare worse, negative: large "
        f"ones do) ranged over the cells from {signed(d['control'].min())} to {signed(d['control'].max())} under "
        f"cost control and from {signed(d['transformation'].min())} to {signed(d['transformation'].max())} under "
        f"transformation; paired differences: {counts_text(v)}."
    )


def counts_text(v: dict) -> str:
    """'under transformation significantly lower in 4 and not significantly different in 5 of 9 scenario pairs'."""
    if v["ns"] == v["n"]:
        return f"not significantly different under transformation in any of the {v['n']} scenario pairs"
    parts = [
        f"{word} in {v[key]}"
        for key, word in (
            ("lower", "significantly lower"),
            ("higher", "significantly higher"),
            ("ns", "not significantly different"),
        )
        if v[key]
    ]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"under transformation {joined} of {v['n']} scenario pairs"


def verdict(spend: pd.Series, burden: pd.Series, alpha: float = ALPHA) -> str:
    """What a pair's spending and burden differences say together, in words, with the implied price.

    ``spend`` and ``burden`` are rows of :func:`ecosim.report.compare.compare` (in report units).
    """
    s_sig, b_sig = spend["p_holm"] < alpha, burden["p_holm"] < alpha
    s_low, b_low = spend["diff"] < 0, burden["diff"] < 0
    if b_sig and b_low:
        if s_sig and s_low:
            return "cheaper and less unmet need"
        if s_sig:
            s_unit, b_unit = (outcome(n) for n in BOTH)
            price = (spend["diff"] / s_unit.scale) / (-burden["diff"] / b_unit.scale)
            return f"less unmet need at extra cost: EUR {num(price)} per severity-weighted person-month avoided"
        return "less unmet need; spending not significantly different"
    if b_sig:
        return "more unmet need" + (", and cheaper" if s_sig and s_low else ", and dearer" if s_sig else "")
    if s_sig:
        return ("cheaper" if s_low else "dearer") + "; unmet need not significantly different"
    return "no significant difference in spending or unmet need"


def verdicts(comp: pd.DataFrame) -> pd.DataFrame:
    """Per pair: spending and burden differences and their joint verdict (the price of less unmet need)."""
    rows = []
    spend_name, burden_name = BOTH
    for pair, grp in comp.groupby("pair", sort=False):
        g = grp.set_index("outcome")
        if spend_name in g.index and burden_name in g.index:
            rows.append(
                {
                    "pair": pair,
                    "spend": g.loc[spend_name],
                    "burden": g.loc[burden_name],
                    "verdict": verdict(g.loc[spend_name], g.loc[burden_name]),
                }
            )
    return pd.DataFrame(rows)


def break_even_sentences(be: pd.DataFrame, months: int) -> list[str]:
    """What the break-even table says about 'invest today, threefold tomorrow'."""
    if be.empty:
        return []
    n, reached, start = int(be["n"].sum()), int(be["reached"].sum()), int(be["from_start"].sum())
    later = reached - start
    out = []
    if reached == 0:
        out.append(
            f"**Break-even**: in none of the {n} paired replications did cumulative spending under "
            f"transformation fall below cost control and stay below by month {months - 1}."
        )
    else:
        half = int((be["reached"] >= be["n"] / 2).sum())
        text = (
            f"**Break-even**: cumulative spending under transformation fell below cost control and stayed below "
            f"to month {months - 1} in {reached} of {n} paired replications ({half} of {len(be)} scenario pairs in "
            f"at least half of their replications). {start} of these were below from the first month (no up-front "
            f"extra cost)"
        )
        if later:
            text += (
                f"; {later} first spent more and then broke even (median month per pair from "
                f"{month(be['median'].min())} to {month(be['median'].max())}; earliest {month(be['first'].min())}, "
                f"latest {month(be['last'].max())})"
            )
        out.append(text + ".")
    invested, three = int(be["invested"].sum()), int(be["threefold"].sum())
    if invested:
        out.append(
            f"**Threefold?** In {invested} of {n} paired replications transformation first spent more than cost "
            f"control; in {three} of these the later savings reached three times that extra spending by month "
            f"{months - 1} (payback ratio at least 3; median ratio per pair from {num(be['payback'].min())} to "
            f"{num(be['payback'].max())})."
        )
    else:
        out.append(
            f"**Threefold?** Transformation never spent more than cost control in any of the {n} paired "
            "replications, so there was no up-front investment to pay back."
        )
    return out


def pareto_sentence(front: list[str], n_cells: int, cells: pd.DataFrame, x: Outcome, y: Outcome) -> str:
    """Which cells no other cell beats on both spending and unmet need."""
    stance = "factor_stance"
    verb = "is" if len(front) == 1 else "are"
    text = (
        f"**Trade-off** between {x.label} and {y.label}: {len(front)} of {n_cells} scenario cells {verb} on the "
        "Pareto front (no other cell has lower means on both)"
    )
    if len(front) <= 5:
        text += ": " + "; ".join(front)
    if stance in cells:
        levels = cells.drop_duplicates("cell").set_index("cell").loc[front, stance].astype(str)
        text += (
            f" ({int((levels == TRANSFORMATION).sum())} under transformation, "
            f"{int((levels == CONTROL).sum())} under cost control)"
        )
    return text + ". These are cell means; the table in section 3 gives their confidence intervals."


def discovery_sentence(disc: Discovery) -> str:
    """What PRIM found about where transformation wins on both counts, and where not."""
    y = disc.y
    share = (
        f"Transformation was lower on both spending and burden of unmet need in {int(y.sum())} of {y.size} paired "
        f"replications ({y.mean():.0%})"
        if y.size
        else "No paired replications"
    )
    if not disc.searches:
        return f"**Where does transformation win on both?** {share}; PRIM was not run: {disc.reason}."
    if y.sum() in (0, y.size):
        always = "every" if y.sum() else "no"
        return (
            f"**Where does transformation win on both?** {share}; PRIM was not run: transformation beat cost "
            f"control on both counts in {always} paired replication, so there is no region to tell apart."
        )
    parts = [search_clause(s) for s in disc.searches]
    return f"**Where does transformation win on both?** {share}. " + " ".join(parts)


def search_clause(s: Search) -> str:
    """One PRIM search in a sentence: its box with coverage and density, or why there is none."""
    lead = "Where it wins most surely" if s.case == "wins" else "Where it does not win on both"
    if s.result is None:
        return f"{lead}: PRIM was not run, as {s.reason}."
    box = s.result.box
    base = float(s.y.mean())
    if not box.restricted:
        return (
            f"{lead}: PRIM found no restriction of the factors that concentrates the {s.case} "
            f"({base:.0%} of replications) further."
        )
    limits = "; ".join(f"{c} in {box.describe(c)}" for c in box.restricted)
    weak = "" if s.reached else f"; no box reached the density of {s.threshold:.2f} asked for, so this is the densest"
    return (
        f"{lead}: PRIM's box ({limits}) holds {box.coverage:.0%} of the {s.case} (coverage), and "
        f"{box.density:.0%} of the replications inside it are {s.case} (density, against {base:.0%} overall{weak})."
    )


def no_stance_sentences(cells: pd.DataFrame, outcomes: list[Outcome]) -> list[str]:
    """Ranges of cell means when there is no stance to compare."""
    out = []
    for o in outcomes:
        d = cells[cells["outcome"] == o.name]
        if d.empty:
            continue
        lo, hi = d.loc[d["mean"].idxmin()], d.loc[d["mean"].idxmax()]
        if lo["mean"] == hi["mean"]:
            out.append(f"**{_label(o)}** [{o.unit}]: {num(lo['mean'])} in every cell.")
            continue
        out.append(
            f"**{_label(o)}** [{o.unit}]: cell means from {interval(lo['mean'], lo['low'], lo['high'])} "
            f"({lo['cell']}) to {interval(hi['mean'], hi['low'], hi['high'])} ({hi['cell']})."
        )
    return out


def summary_outcomes(names: list[str]) -> list[Outcome]:
    """The summary's outcomes among those the sweep kept."""
    return [outcome(n) for n in SUMMARY_OUTCOMES if n in names]
