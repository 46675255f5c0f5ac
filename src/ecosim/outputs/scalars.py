"""End-of-run scalars: what an experiment keeps of each run (columns of a sweep's runs.parquet).

Each is a function of one run's monthly table (model.parquet as a DataFrame). Declared here,
looked up through :mod:`ecosim.outputs.registry`.
"""

from __future__ import annotations

from typing import Any

from ecosim.outputs.declarations import Output, _out
from ecosim.outputs.kinds import KIND_WORDS
from ecosim.outputs.kinds import KINDS as MUNI_KINDS
from ecosim.outputs.kinds import RULE as KIND_RULE


def _last12(d: Any, col: str) -> float:
    return float(d[col].tail(12).mean())


def _s(name: str, meaning: str, unit: str, better: str, how: str, compute: Any) -> Output:
    return _out("scalar", name, meaning, unit, better, how, compute=compute)


def scalars() -> tuple[Output, ...]:
    """The end-of-run scalars an experiment may keep, each with its function of model.parquet."""
    return (
        _s(
            "total_spending",
            "cumulative public spending over the run",
            "EUR",
            "lower",
            "sum of spending",
            lambda d: d["spending"].sum(),
        ),
        _s(
            "spending_per_inhabitant_year",
            "mean yearly spending per inhabitant",
            "EUR/inhabitant/year",
            "lower",
            "sum of spending / final population / years",
            lambda d: d["spending"].sum() / d["population"].iloc[-1] / (len(d) / 12),
        ),
        _s(
            "cumulative_balance",
            "budget minus spending over the run",
            "EUR",
            "higher",
            "sum of balance",
            lambda d: d["balance"].sum(),
        ),
        _s(
            "final_reserves",
            "municipal reserves at the end",
            "EUR",
            "higher",
            "last reserves",
            lambda d: d["reserves"].iloc[-1],
        ),
        _s(
            "admin_share",
            "admin share of all spending over the run",
            "-",
            "lower",
            "sum of admin_spending / sum of spending",
            lambda d: d["admin_spending"].sum() / max(d["spending"].sum(), 1e-9),
        ),
        _s(
            "burden_total",
            "burden of unmet need summed over months",
            "weighted person-months",
            "lower",
            "sum of burden",
            lambda d: d["burden"].sum(),
        ),
        _s(
            "budget_per_inhabitant_p90_p10_last12",
            "budget per inhabitant, 90th over 10th percentile of municipalities, last 12 months",
            "-",
            "neither",
            "mean of budget_per_inhabitant_p90 / budget_per_inhabitant_p10 over the last 12 months",
            lambda d: float((d["budget_per_inhabitant_p90"] / d["budget_per_inhabitant_p10"]).tail(12).mean()),
        ),
        _s(
            "need_per_inhabitant_cv_last12",
            "coefficient of variation of need per inhabitant across municipalities, last 12 months",
            "-",
            "neither",
            "mean of need_per_inhabitant_cv over the last 12 months",
            lambda d: _last12(d, "need_per_inhabitant_cv"),
        ),
        _s(
            "burden_per_1000_last12",
            "burden per 1,000 inhabitants, mean of the last 12 months",
            "weighted people per 1,000",
            "lower",
            "mean of burden_per_1000 over the last 12 months",
            lambda d: _last12(d, "burden_per_1000"),
        ),
        _s(
            "mean_wait_months",
            "mean months waited by those who started care",
            "month",
            "lower",
            "mean_wait_months weighted by started_care",
            lambda d: (d["mean_wait_months"] * d["started_care"]).sum() / max(d["started_care"].sum(), 1),
        ),
        _s(
            "escalations",
            "escalations over the run",
            "people",
            "lower",
            "sum of escalations",
            lambda d: d["escalations"].sum(),
        ),
        _s(
            "recoveries",
            "recoveries over the run",
            "people",
            "higher",
            "sum of recoveries",
            lambda d: d["recoveries"].sum(),
        ),
        _s(
            "met_informally",
            "refused needs met by informal care or general services over the run",
            "people",
            "higher",
            "sum of met_informally",
            lambda d: d["met_informally"].sum(),
        ),
        _s(
            "unmet_last12",
            "people with unmet need, mean of the last 12 months",
            "people",
            "lower",
            "mean of unmet over the last 12 months",
            lambda d: _last12(d, "unmet"),
        ),
        _s(
            "waiting_last12",
            "people waiting, mean of the last 12 months",
            "people",
            "lower",
            "mean of waiting over the last 12 months",
            lambda d: _last12(d, "waiting"),
        ),
        _s(
            "provider_failures",
            "provider failures over the run",
            "providers",
            "lower",
            "sum of provider_failures",
            lambda d: d["provider_failures"].sum(),
        ),
        _s(
            "provider_entries",
            "provider entries over the run",
            "providers",
            "neither",
            "sum of provider_entries",
            lambda d: d["provider_entries"].sum(),
        ),
        _s(
            "market_hhi_last12",
            "market concentration (HHI), last 12 months",
            "-",
            "lower",
            "mean of market_hhi over the last 12 months",
            lambda d: _last12(d, "market_hhi"),
        ),
        _s(
            "arrangements_formed",
            "arrangements formed over the run",
            "arrangements",
            "neither",
            "sum of arrangements_formed",
            lambda d: d["arrangements_formed"].sum(),
        ),
        _s(
            "arrangements_dissolved",
            "arrangements dissolved over the run",
            "arrangements",
            "neither",
            "sum of arrangements_dissolved",
            lambda d: d["arrangements_dissolved"].sum(),
        ),
        _s(
            "final_arrangements",
            "arrangements at the end",
            "arrangements",
            "neither",
            "last arrangements",
            lambda d: d["arrangements"].iloc[-1],
        ),
        _s(
            "arrangement_switches",
            "form switches of arrangements over the run (deepened or loosened)",
            "arrangements",
            "neither",
            "sum of arrangements_switched",
            lambda d: d["arrangements_switched"].sum(),
        ),
        *(
            _s(
                f"arrangements_{verb}",
                f"arrangements that took a {what} form over the run",
                "arrangements",
                "neither",
                f"sum of arrangements_{verb}",
                lambda d, col=f"arrangements_{verb}": d[col].sum(),
            )
            for verb, what in (("deepened", "heavier"), ("loosened", "lighter"))
        ),
        _s(
            "arrangement_splits",
            "splits of arrangements over the run",
            "arrangements",
            "neither",
            "sum of arrangements_split",
            lambda d: d["arrangements_split"].sum(),
        ),
        _s(
            "membership_churn",
            "memberships begun and ended by members leaving over the run",
            "memberships",
            "neither",
            "sum of members_joined + members_left",
            lambda d: d["members_joined"].sum() + d["members_left"].sum(),
        ),
        *(
            _s(
                f"{reason}_exits",
                f"members that left an arrangement on {what} over the run",
                "memberships",
                "neither",
                f"sum of members_left_{reason}",
                lambda d, col=f"members_left_{reason}": d[col].sum(),
            )
            for reason, what in (
                ("fatigue", "fatigue"),
                ("distrust", "distrust"),
                ("election", "a new council's decision"),
            )
        ),
        _s(
            "min_partner_trust",
            "lowest trust of a member in a partner over the run (NaN if never any)",
            "-",
            "neither",
            "min of min_trust",
            lambda d: d["min_trust"].min(),
        ),
        _s(
            "max_partner_trust",
            "highest trust of a member in a partner over the run (NaN if never any)",
            "-",
            "neither",
            "max of max_trust",
            lambda d: d["max_trust"].max(),
        ),
        _s(
            "min_energy",
            "lowest cooperation energy of any municipality over the run",
            "-",
            "neither",
            "min of min_energy",
            lambda d: d["min_energy"].min(),
        ),
        *(
            _s(
                f"cooperation_net_per_inhabitant_{size}",
                f"cooperation benefit minus cooperation spending per inhabitant of {size} members, mean over the run",
                "EUR/inhabitant/month",
                "higher",
                f"mean of cooperation_net_per_inhabitant_{size} over months with members (NaN if none)",
                lambda d, col=f"cooperation_net_per_inhabitant_{size}": d[col].mean(),
            )
            for size in ("small", "large")
        ),
        _s(
            "final_mean_stance",
            "mean stance at the end (0 control, 1 transformation)",
            "-",
            "neither",
            "last mean_stance",
            lambda d: d["mean_stance"].iloc[-1],
        ),
        _s(
            "gap_burden_per_1000_last12",
            "burden gap small minus large municipalities, last 12 months",
            "weighted people per 1,000",
            "neither",
            "mean of gap_burden_per_1000 over the last 12 months",
            lambda d: _last12(d, "gap_burden_per_1000"),
        ),
        _s(
            "gap_spending_per_inhabitant_last12",
            "spending gap small minus large per inhabitant, last 12 months",
            "EUR/inhabitant/month",
            "neither",
            "mean of gap_spending_per_inhabitant over the last 12 months",
            lambda d: _last12(d, "gap_spending_per_inhabitant"),
        ),
        *(
            _s(
                f"{name}_{size}_last12",
                f"{what} in {size} municipalities, mean of the last 12 months",
                unit,
                "lower",
                f"mean of {name}_{size} over the last 12 months",
                lambda d, col=f"{name}_{size}": _last12(d, col),
            )
            for name, what, unit in (
                ("spending_per_inhabitant", "spending per inhabitant", "EUR/inhabitant/month"),
                ("burden_per_1000", "burden of unmet need per 1,000 inhabitants", "weighted people per 1,000"),
            )
            for size in ("small", "large")
        ),
        *(
            _s(
                f"{name}_{kind}_last12",
                f"{what} in {KIND_WORDS[kind]} municipalities, mean of the last 12 months (NaN if none)",
                unit,
                "lower",
                f"mean of {name}_{kind} over the last 12 months; kinds: {KIND_RULE}",
                lambda d, col=f"{name}_{kind}": _last12(d, col),
            )
            for name, what, unit in (
                ("spending_per_inhabitant", "spending per inhabitant", "EUR/inhabitant/month"),
                ("burden_per_1000", "burden of unmet need per 1,000 inhabitants", "weighted people per 1,000"),
                ("budget_ratio", "spending over budget", "-"),
            )
            for kind in MUNI_KINDS
        ),
        _s(
            "budget_ratio_last12",
            "spending over budget, all municipalities, mean of the last 12 months (above 1: over budget)",
            "-",
            "lower",
            "mean of budget_ratio over the last 12 months",
            lambda d: _last12(d, "budget_ratio"),
        ),
        *(
            _s(
                f"budget_ratio_{size}_last12",
                f"spending over budget in {size} municipalities, mean of the last 12 months",
                "-",
                "lower",
                f"mean of budget_ratio_{size} over the last 12 months",
                lambda d, col=f"budget_ratio_{size}": _last12(d, col),
            )
            for size in ("small", "large")
        ),
        _s(
            "bijstand_recipients_last12",
            "bijstand recipients, mean of the last 12 months",
            "people",
            "lower",
            "mean of bijstand_recipients over the last 12 months",
            lambda d: _last12(d, "bijstand_recipients"),
        ),
        _s(
            "buig_result_total",
            "BUIG result over the run: BUIG budget minus benefits, safety net apart",
            "EUR",
            "higher",
            "sum of buig_result",
            lambda d: d["buig_result"].sum(),
        ),
    )
