"""One page for policy readers (issue 17, item 5), generated from the committed results.

``python -m ecosim.report.policy_summary results/ > results/SUMMARY.md``

Reads the result folders ``ecosim`` commits (the flagship ``cost_control_vs_transformation``,
``scenario_discovery``, ``sensitivity_morris``, ``sensitivity_sobol``, ``cooperation_dynamics``,
``calibration_baseline_2015`` and any ``region_*`` sweep) and writes one page of plain language:

1. what was compared (from the flagship's manifest);
2. under which conditions each strategy and form does better, and for whom: from the flagship's
   runs, the share of paired points (same parameters, same seed) in which one side is lower on
   both public spending and the burden of unmet need, for small and large municipalities too;
   the robustness table of the flagship report when there is one; the PRIM box of scenario
   discovery; the region sweeps;
3. how sure we are: the calibration's fit (targets in tolerance, held-out misses);
4. what the model leaves out: the titles of docs/ODD.md's section 9;
5. where each number comes from: every folder's commit, and which are missing or older.

Every number is read or computed from those files; no sentence names a winner, each states
shares both ways. Figures are linked relative to ``results/``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ecosim.report.markdown import num

FLAGSHIP = "cost_control_vs_transformation"
FOLDERS = (
    FLAGSHIP,
    "scenario_discovery",
    "sensitivity_morris",
    "sensitivity_sobol",
    "cooperation_dynamics",
    "calibration_baseline_2015",
)
"""The result folders the page reads (plus every ``region_*`` folder found)."""

SPENDING, BURDEN = "total_spending", "burden_total"
SMALL_LARGE = (
    ("small", "spending_per_inhabitant_small_last12", "burden_per_1000_small_last12"),
    ("large", "spending_per_inhabitant_large_last12", "burden_per_1000_large_last12"),
)


def commit_of(folder: Path) -> str | None:
    """The commit a result folder was made at: its manifest's ``git_commit`` (a calibration: its check sweep's)."""
    for path in (folder / "manifest.json", folder / "sweeps" / "check" / "manifest.json"):
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8")).get("git_commit")
            except (OSError, ValueError):
                return None
    return None


MODEL_PATHS = (
    ":(top)src/ecosim/model",
    ":(top)src/ecosim/agents",
    ":(top)src/ecosim/scenario",
    ":(top)src/ecosim/data",
    ":(top)scenarios",
)
"""What makes a result: the model, its agents, its parameters and data, and the scenario files."""

GOLDEN = ":(top)tests/golden"
"""The golden run: a test holds every commit's model to it until it is regenerated on purpose."""


def changed_since(commit: str, root: Path, paths: tuple[str, ...] = MODEL_PATHS) -> bool | None:
    """Whether ``paths`` differ between ``commit`` and the checkout's HEAD (None when git cannot tell)."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "diff", "--quiet", commit, "HEAD", "--", *paths],
            cwd=root.resolve(),
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: False, 1: True}.get(out.returncode)


def finished_of(folder: Path) -> str:
    """When a result folder was finished (its manifest or calibration.json), or ""."""
    for path in (folder / "manifest.json", folder / "calibration.json"):
        if path.is_file():
            try:
                return str(json.loads(path.read_text(encoding="utf-8")).get("finished") or "")
            except (OSError, ValueError):
                return ""
    return ""


def paired_differences(runs: pd.DataFrame, factor: str, a: str, b: str, columns: list[str]) -> pd.DataFrame:
    """Level ``a`` minus level ``b`` of ``factor`` on ``columns``, one row per paired point.

    Points are paired on every other factor and the replication (the same parameters and seed).
    """
    keys = [c for c in runs.columns if c.startswith("factor_") and c != factor] + ["replication"]
    left = runs[runs[factor] == a].set_index(keys)[columns]
    right = runs[runs[factor] == b].set_index(keys)[columns]
    common = left.index.intersection(right.index)
    return left.loc[common] - right.loc[common]


def both_lower(runs: pd.DataFrame, factor: str, a: str, b: str, spending: str, burden: str) -> dict[str, int]:
    """Paired points where level ``a`` of ``factor`` is lower than ``b`` on both measures, where ``b`` is, and mixed.

    Points are paired as in :func:`paired_differences`.
    """
    d = paired_differences(runs, factor, a, b, [spending, burden])
    a_both = int(((d[spending] < 0) & (d[burden] < 0)).sum())
    b_both = int(((d[spending] > 0) & (d[burden] > 0)).sum())
    return {"pairs": len(d), "a": a_both, "b": b_both, "mixed": len(d) - a_both - b_both}


def _share(n: int, total: int) -> str:
    return f"{n} of {total} ({100 * n / total:.0f} %)" if total else "-"


def _row(label: str, a: str, b: str, c: dict[str, int]) -> list[str]:
    return [label, _share(c["a"], c["pairs"]), _share(c["b"], c["pairs"]), _share(c["mixed"], c["pairs"])]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def compared(root: Path) -> list[str]:
    """What the flagship compared, from its manifest."""
    folder = root / FLAGSHIP
    path = folder / "manifest.json"
    if not path.is_file():
        return [
            f"The flagship experiment (`{FLAGSHIP}`) is missing from `{root}`; nothing below compares strategies.",
            "",
        ]
    m = json.loads(path.read_text(encoding="utf-8"))
    exp = m.get("experiment", {})
    factors = exp.get("factors", {})
    named = {n: list(f.get("levels") or {}) for n, f in factors.items() if f.get("levels")}
    sampled = [n for n, f in factors.items() if f.get("bounds")]
    design = exp.get("design", {})
    levels = "; ".join(f"{n}: {', '.join(v)}" for n, v in named.items())
    return [
        f"The model compares municipal strategies in the social domain from 2015 ({exp.get('months')} months). "
        f"The flagship experiment crosses {levels}, and runs every combination at each of "
        f"{design.get('samples')} points of a Latin hypercube over {len(sampled)} uncertain parameters "
        f"({m.get('runs')} runs, one seed per point shared by all combinations, so they are compared pair by pair). "
        "Committed strategies keep their stance for the whole run; adaptive councils move it.",
        "",
    ]


def conditions(root: Path) -> list[str]:
    """Where each strategy and form does better: the paired counts; robustness, PRIM and regions are in details."""
    return [
        *flagship_pairs(root),
        "Robustness per strategy and form (regret, satisficing, worst decile, per kind of municipality), where "
        "scenario discovery finds each strategy doing better, and the real regions are under *Details* below.",
        "",
    ]


def details(root: Path) -> list[str]:
    """The tables behind the page: robustness, PRIM, the regions, the calibration's fit."""
    return [*robustness(root), *discovery(root), *regions(root), *fit_table(root)]


def flagship_pairs(root: Path) -> list[str]:
    """The flagship's paired counts: strategies, and forms against none, overall and for small and large."""
    runs_path = root / FLAGSHIP / "runs.parquet"
    if not runs_path.is_file():
        return ["No flagship runs: no paired comparison of strategies or forms.", ""]
    runs = pd.read_parquet(runs_path)
    out = [
        "A *paired point* is one set of parameter values and one seed, run under both options. Each row counts the "
        "points where the first option had both lower public spending over the run and a lower burden of unmet "
        "need, where the second had both, and where each was lower on one (a trade-off).",
        "",
    ]
    rows = []
    strategies = set(runs["factor_stance"])
    if {"transformation", "cost_control"} <= strategies:
        c = both_lower(runs, "factor_stance", "transformation", "cost_control", SPENDING, BURDEN)
        rows.append(_row("committed transformation vs committed cost control, all", "", "", c))
        for cuts in pd.unique(runs.get("factor_cuts", pd.Series(dtype=str))):
            sub = runs[runs["factor_cuts"] == cuts]
            c = both_lower(sub, "factor_stance", "transformation", "cost_control", SPENDING, BURDEN)
            rows.append(_row(f"same, cuts {cuts}", "", "", c))
        for who, sp, bu in SMALL_LARGE:
            if sp in runs.columns and bu in runs.columns:
                c = both_lower(runs, "factor_stance", "transformation", "cost_control", sp, bu)
                rows.append(_row(f"same, {who} municipalities (last 12 months, per inhabitant)", "", "", c))
    forms = list(pd.unique(runs["factor_form"]))
    if "none" in forms:
        for f in forms:
            if f != "none":
                c = both_lower(runs, "factor_form", f, "none", SPENDING, BURDEN)
                rows.append(_row(f"form {f} vs no cooperation, all strategies", "", "", c))
                for who, sp, bu in SMALL_LARGE:
                    if sp in runs.columns and bu in runs.columns:
                        c = both_lower(runs, "factor_form", f, "none", sp, bu)
                        rows.append(_row(f"form {f} vs none, {who} municipalities", "", "", c))
    return out + _table(["comparison", "first lower on both", "second lower on both", "trade-off"], rows)


def robustness(root: Path) -> list[str]:
    """The flagship report's robustness table (regret, satisficing, worst decile) when it has one."""
    for name in ("robustness.csv", "tables/robustness.csv"):
        path = root / FLAGSHIP / name
        if path.is_file():
            table = pd.read_csv(path)
            if {"group", "comparison"} <= set(table.columns):
                return _robustness_lines(table, f"{FLAGSHIP}/{name}")
            rows = [[str(v) for v in r] for r in table.itertuples(index=False)]
            return [
                f"Robustness over the uncertain parameters (from `{FLAGSHIP}/{name}`):",
                "",
                *_table(list(map(str, table.columns)), rows),
            ]
    return [
        f"The flagship folder has no robustness table (`{FLAGSHIP}/robustness.csv`); maximum regret, satisficing "
        "and worst-decile outcomes are not on this page.",
        "",
    ]


def _robustness_lines(table: pd.DataFrame, source: str) -> list[str]:
    """Each strategy x form over all municipalities, and the satisficing score per group of municipalities."""
    combos = table[table["comparison"] == "strategy x form"]
    overall = combos[combos["group"] == "all"]
    out = [
        f"Robustness over the uncertain parameters (from `{source}`; regret is the gap to the best alternative in "
        "the same situation, 0 for the best; the satisficing score is the share of situations within budget "
        "with unmet need at or below its threshold):",
        "",
    ]
    if not overall.empty:
        units = str(overall["units"].iloc[0])
        th = overall.iloc[0]
        out += [
            f"All municipalities ({units}); within budget means spending / budget at most "
            f"{_fmt(th['budget_threshold'])}, unmet need at most {_fmt(th['burden_threshold'])} "
            "per 1,000 (last 12 months).",
            "",
        ]
        cols = [
            "max_regret_spending",
            "max_regret_burden",
            "worst_decile_spending",
            "worst_decile_burden",
            "satisficing",
        ]
        rows = [[f"{r.strategy}, {r.form}", *[_fmt(getattr(r, c)) for c in cols]] for r in overall.itertuples()]
        out += _table(["strategy, form", *[c.replace("_", " ") for c in cols]], rows)
    sat = combos.pivot_table(index=["strategy", "form"], columns="group", values="satisficing", sort=False)
    groups = [g for g in sat.columns if g != "all"]
    if groups:
        rows = [[f"{s}, {f}", *[_fmt(r[g]) for g in groups]] for (s, f), r in sat.iterrows()]
        out += [
            "Satisficing score per group of municipalities (last 12 months):",
            "",
            *_table(["strategy, form", *groups], rows),
        ]
    return out


def _fmt(x: object) -> str:
    """A number with three significant digits; a dash for a missing one."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(x)
    return "-" if not np.isfinite(v) else f"{v:.3g}"


def discovery(root: Path) -> list[str]:
    """Scenario discovery's PRIM summary line, quoted from its report."""
    path = root / "scenario_discovery" / "report.md"
    if not path.is_file():
        return ["Scenario discovery (`scenario_discovery`) is missing.", ""]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("**Where does transformation win on both?**") or line.startswith(
            "- **Where does transformation win on both?**"
        ):
            text = line.removeprefix("- ").replace("**Where does transformation win on both?** ", "")
            return [
                "Scenario discovery (PRIM over the uncertain parameters, from `scenario_discovery/report.md`): " + text,
                "",
            ]
    return ["Scenario discovery's report has no PRIM summary line.", ""]


def region_tables(root: Path) -> list[tuple[Path, pd.DataFrame]]:
    """Each finished region sweep under ``root`` with its region-wide rows (``region.region_rows``)."""
    from ecosim.report import region

    return [
        (folder, region.region_rows(region._measures(pd.read_parquet(folder / "municipalities.parquet"))))
        for folder in sorted(root.glob("region_*"))
        if (folder / "municipalities.parquet").is_file()
    ]


def regions(root: Path) -> list[str]:
    """Each region sweep's table for the region as a whole, with a link to its report."""
    from ecosim.report import region

    out = []
    for folder, reg in region_tables(root):
        rows = region._cell_rows(reg)
        out += [f"Region `{folder.name}` (weighted median and 90 % interval over the calibration posterior):", ""]
        out += _table(region.HEADER, rows)
        out += [f"Per municipality: [{folder.name}/report.md]({folder.name}/report.md).", ""]
    if not out:
        out = ["No region sweep (`results/region_*`) is in the results yet.", ""]
    return out


def in_short(root: Path) -> list[str]:
    """Four generated sentences: the explored space, the budget, adaptive councils, the real regions."""
    runs_path = root / FLAGSHIP / "runs.parquet"
    out: list[str] = []
    if runs_path.is_file():
        runs = pd.read_parquet(runs_path)
        if {"transformation", "cost_control"} <= set(runs["factor_stance"]):
            c = both_lower(runs, "factor_stance", "transformation", "cost_control", SPENDING, BURDEN)
            n = c["pairs"]
            out.append(
                "- **When each side's policy settings are drawn from the same ranges** (the flagship: every part of "
                "every uncertain lever pair sampled on its own, so a strategy is little more than a label), neither "
                f"dominates, as the design guarantees: committed transformation had both lower spending and less "
                f"unmet need in {_share(c['a'], n)} paired points, committed cost control in {_share(c['b'], n)}, "
                f"and each was better on one count in {_share(c['mixed'], n)}. Which one does better then depends "
                "on the settings drawn (the flagship report's PRIM boxes and section 2b say which)."
            )
        if "budget_ratio_last12" in runs.columns:
            ratio = runs["budget_ratio_last12"].to_numpy(dtype=float)
            ok = ratio[np.isfinite(ratio)]
            within = int((ok <= 1.0).sum())
            out.append(
                f"- **Budgets are rarely kept**: in {_share(within, len(ok))} flagship runs spending stayed "
                f"within budget in the last year (median spending / budget {np.median(ok):.2f}). The model passes "
                "only part of the cuts on and lacks mechanisms that restrained real spending (docs/ODD.md gap 25), "
                "so read satisficing scores as relative, not as levels."
            )
        adaptive = runs[runs["factor_stance"] == "adaptive"]
        if not adaptive.empty and "final_mean_stance" in adaptive.columns:
            st = adaptive["final_mean_stance"].to_numpy(dtype=float)
            out.append(
                f"- **Councils that react drift toward cost control**: the adaptive councils' mean stance ended at "
                f"a median of {np.median(st):.2f} (0 cost control, 1 transformation; started at 0.5), below 0.25 in "
                f"{_share(int((st < 0.25).sum()), len(st))} runs."
            )
    sd_path = root / "scenario_discovery" / "runs.parquet"
    if sd_path.is_file():
        sd = pd.read_parquet(sd_path)
        if {"transformation", "cost_control"} <= set(sd.get("factor_stance", pd.Series(dtype=str))):
            c = both_lower(sd, "factor_stance", "transformation", "cost_control", SPENDING, BURDEN)
            d = paired_differences(sd, "factor_stance", "transformation", "cost_control", [BURDEN])
            less_need = int((d[BURDEN] < 0).sum())
            out.append(
                "- **With the strategies as their default settings define them** (scenario discovery: the contested "
                "strengths of mechanisms vary, each side's policy settings stay at their defaults), committed "
                f"transformation left less unmet need in {_share(less_need, c['pairs'])} paired runs and did better "
                f"on both counts in {_share(c['a'], c['pairs'])}; cost control in {_share(c['b'], c['pairs'])}. The "
                "defaults are sourced where the ODD says so and otherwise the middle of an uncertain range "
                "(docs/ODD.md section 10)."
            )
    from ecosim.report import region

    for folder, reg in region_tables(root):
        forms = list(pd.unique(reg["factor_form"]))
        lower = cheaper = total = 0
        for f in forms:
            a = {"factor_stance": "transformation", "factor_form": f}
            b = {"factor_stance": "cost_control", "factor_form": f}
            d = region.paired(reg, a, b, "unmet_per_1000")
            lower += int((d["diff"] < 0).sum())
            total += len(d)
            cheaper += int((region.paired(reg, a, b, "overspend")["diff"] < 0).sum())
        if total:
            out.append(
                f"- **In `{folder.name}` on the calibrated baseline**, committed transformation left less unmet need "
                f"than committed cost control in {lower} of {total} paired runs (posterior sets x forms) and spent "
                f"less against the budget in {cheaper} of them. These runs "
                "vary only what the calibration fitted; every other uncertain parameter stays at its default, so "
                "where the flagship's space is balanced, the defaults decide these."
            )
    if not out:
        return ["No flagship or region results to summarise.", ""]
    return [*out, ""]


def sure(root: Path) -> list[str]:
    """The calibration's fit: fitted and held-out targets within their tolerance."""
    path = root / "calibration_baseline_2015" / "fit.csv"
    if not path.is_file():
        return ["The calibration (`calibration_baseline_2015/fit.csv`) is missing: the baseline's fit is unknown.", ""]
    fit = pd.read_csv(path)
    fitted, held = fit[fit["fitted"]], fit[~fit["fitted"]]
    ok = fitted[fitted["check_in_tolerance"]]
    miss = fitted[~fitted["check_in_tolerance"]]
    held_miss = held[~held["check_in_tolerance"]]
    out = [
        f"The 2015 baseline was calibrated to {len(fitted)} public figures of 2015-2017; at the written estimate "
        f"{len(ok)} of them are within their tolerance ({', '.join(ok['target'])})"
        + (f" and {len(miss)} are not ({', '.join(miss['target'])})." if len(miss) else ".")
        + f" Of {len(held)} figures held out, {len(held) - len(held_miss)} are within tolerance"
        + (f"; missed: {', '.join(held_miss['target'])}." if len(held_miss) else "."),
        "",
    ]
    out += [
        "The flagship's shares above are over its design, not probabilities: they say how often one option does "
        "better across the plausible values, each counted equally. Sensitivity analyses ("
        "[Morris](sensitivity_morris/figures/sensitivity.png), [Sobol](sensitivity_sobol/figures/sensitivity.png)) "
        "show which parameters move the outcomes most.",
        "",
    ]
    return out


def fit_table(root: Path) -> list[str]:
    """The calibration's fit, target by target (written estimate, fitted and held out)."""
    path = root / "calibration_baseline_2015" / "fit.csv"
    if not path.is_file():
        return []
    fit = pd.read_csv(path)
    rows = [
        [
            str(r.target),
            "fitted" if r.fitted else "held out",
            num(float(r.observed)),
            num(float(r.check_median)),
            num(float(r.tolerance)),
            "yes" if r.check_in_tolerance else "no",
        ]
        for r in fit.itertuples()
    ]
    return [
        "The calibration's fit at the written estimate (`calibration_baseline_2015/fit.csv`; docs/CALIBRATION.md):",
        "",
        *_table(["target", "use", "observed", "model", "tolerance", "within"], rows),
    ]


def leaves_out(odd: Path) -> list[str]:
    """The titles of docs/ODD.md's section 9 (simplifications and known gaps)."""
    if not odd.is_file():
        return [f"{odd} is missing.", ""]
    text = odd.read_text(encoding="utf-8")
    start = text.find("## 9. Simplifications and known gaps")
    if start < 0:
        return ["docs/ODD.md has no section 9 (gaps).", ""]
    section = text[start:]
    end = section.find("\n## ", 3)
    section = section if end < 0 else section[:end]
    titles = re.findall(r"^\d+\. \*\*(.+?)\*\*", section, flags=re.M)
    return [
        f"docs/ODD.md section 9 lists {len(titles)} simplifications and gaps: "
        + "; ".join(t.rstrip(".") for t in titles)
        + ".",
        "",
    ]


def provenance(root: Path) -> list[str]:
    """Each folder's commit; missing folders, mixed commits, source changed since."""
    folders = [*FOLDERS, *sorted(p.name for p in root.glob("region_*") if p.is_dir())]
    info = {f: (commit_of(root / f), finished_of(root / f)) for f in folders if (root / f).is_dir()}
    missing = [f for f in folders if f not in info]
    latest = max((fin, c) for c, fin in info.values() if c) if any(c for c, _ in info.values()) else ("", None)
    rows = []
    for f, (c, fin) in info.items():
        note = "" if c == latest[1] else "another commit than the newest result" if c else "no commit recorded"
        rows.append([f, (c or "-")[:10], fin[:10] or "-", note])
    out = _table(["folder", "commit", "finished", "note"], rows)
    if missing:
        out += [f"Missing: {', '.join(missing)}.", ""]
    stale = [f for f, (c, _) in info.items() if c and changed_since(c, root) is True]
    same = [f for f in stale if changed_since(str(info[f][0]), root, (GOLDEN,)) is False]
    older_code = [f for f in stale if f not in same]
    if same:
        out += [
            f"The model's code or scenarios changed after {', '.join(same)} were made, but the golden run "
            "(`tests/golden`, which a test holds every commit to) is the same file since: those changes leave "
            "the model's results as they were (refactors, speed-ups, new outputs, the calibrated values written "
            "into the baseline).",
            "",
        ]
    if older_code:
        out += [
            f"The model's code has changed since {', '.join(older_code)} were made, and so has the golden run: "
            "they come from older code.",
            "",
        ]
    older = [f for f, (c, _) in info.items() if c != latest[1]]
    if older:
        out += [
            f"Not all results come from one commit: {', '.join(older)} were made at another commit than "
            f"{(latest[1] or '-')[:10]} (the newest); their numbers may not match each other.",
            "",
        ]
    return out


def figures(root: Path) -> list[str]:
    """Links to every figure of the result folders, relative to results/."""
    links = []
    for folder in [*FOLDERS, *sorted(p.name for p in root.glob("region_*"))]:
        figdir = root / folder / "figures"
        if figdir.is_dir():
            pngs = sorted(figdir.glob("*.png"))
            if pngs:
                links.append(f"- {folder}: " + ", ".join(f"[{p.stem}]({folder}/figures/{p.name})" for p in pngs))
    return [*links, ""] if links else ["No figures found.", ""]


def build(root: str | Path, odd: str | Path | None = None) -> str:
    """The page as Markdown text."""
    root = Path(root)
    odd = Path(odd) if odd is not None else root.resolve().parent / "docs" / "ODD.md"
    parts = [
        "# Summary for policy readers",
        "",
        "Generated by `python -m ecosim.report.policy_summary results/` from the files in `results/`; "
        "do not edit by hand.",
        "",
        "## In short",
        "",
        *in_short(root),
        "## What was compared",
        "",
        *compared(root),
        "## Under which conditions each does better, and for whom",
        "",
        *conditions(root),
        "## How sure we are",
        "",
        *sure(root),
        "## What the model leaves out",
        "",
        *leaves_out(odd),
        "## Where the numbers come from",
        "",
        *provenance(root),
        "## Figures",
        "",
        *figures(root),
        "## Details",
        "",
        *details(root),
    ]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    """``python -m ecosim.report.policy_summary RESULTS [--odd docs/ODD.md]`` writes the page to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="the results folder (results/)")
    parser.add_argument("--odd", help="docs/ODD.md (default: next to the results folder)")
    args = parser.parse_args(argv)
    sys.stdout.write(build(args.results, args.odd))


if __name__ == "__main__":
    main()
