"""What a run reports, per month: model totals and one row per municipality.

Stocks come from the citizen table's running counters and flows from the month's ledger,
so recording never scans every citizen. All counts are people (agents times the
representation scale) and all money is EUR. What each column means, its unit and its
order are declared in :mod:`ecosim.outputs.registry`; the recorder computes the values and
writes the columns in the registry's order (and refuses a row that does not match it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ecosim.agents.citizen import CitizenState
from ecosim.model.phases.entry import turnover_of
from ecosim.model.phases.escalation import burden
from ecosim.outputs.kinds import kind_groups
from ecosim.outputs.registry import MODEL_COLUMNS, MUNICIPAL_COLUMNS, SCALARS, end_of_run
from ecosim.scenario import DOMAINS, Form
from ecosim.scenario.forms import TASKS

if TYPE_CHECKING:
    from ecosim.model import EcosimModel

__all__ = ["SCALARS", "STOCKS", "Recorder", "end_of_run", "hhi", "small_large_gap"]  # SCALARS, end_of_run: old home

STOCKS: dict[str, tuple[CitizenState, ...]] = {
    "in_care": (CitizenState.IN_CARE,),
    "waiting": (CitizenState.WAITING,),
    "refused": (CitizenState.REFUSED,),
    "hidden": (CitizenState.HIDDEN,),
    "wijkteam_cases": (CitizenState.WIJKTEAM,),
    "unmet": (CitizenState.REFUSED, CitizenState.HIDDEN),
}
"""Citizens by where they stand; 'unmet' is need neither met nor queued."""


def hhi(shares: np.ndarray) -> float:
    """Herfindahl-Hirschman index of market shares (0..1; 1 = one provider has all)."""
    total = shares.sum()
    return float(((shares / total) ** 2).sum()) if total > 0 else 0.0


def cv(values: np.ndarray) -> float:
    """Coefficient of variation (population sd / mean) of values across municipalities (0 if the mean is 0)."""
    mean = float(values.mean())
    return float(values.std() / mean) if mean > 0 else 0.0


def loss_share(providers: list, month: int, keep: Callable[[Any], bool] | None = None) -> float:
    """Share of providers active this calendar year whose result so far this year is negative.

    Providers that failed this year count (with their result up to the failure); in December
    it is the year's share of loss-makers. ``keep`` narrows the providers counted.
    """
    start = month - month % 12
    year = [p for p in providers if p.active or (p.failed_month is not None and p.failed_month >= start)]
    if keep is not None:
        year = [p for p in year if keep(p)]
    return float(np.mean([p.year_result < 0 for p in year])) if year else 0.0


def size_groups(population: np.ndarray, small_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the small and the large municipalities.

    Small: the bottom ``small_share`` by population; large: the top ``small_share``.
    """
    k = max(1, int(round(len(population) * small_share)))
    order = np.argsort(population, kind="stable")
    return order[:k], order[-k:]


def group_gap(values: np.ndarray, small: np.ndarray, large: np.ndarray) -> float:
    """Mean of a per-inhabitant metric over ``small`` minus that over ``large`` (0 with one municipality)."""
    if len(values) < 2:
        return 0.0
    return float(values[small].mean()) - float(values[large].mean())


def small_large_gap(values: np.ndarray, population: np.ndarray, small_share: float) -> float:
    """Mean of a per-inhabitant metric in small municipalities minus that in large ones."""
    return group_gap(values, *size_groups(population, small_share))


def in_order[V](row: dict[str, V], columns: tuple[str, ...], skip: tuple[str, ...] = ()) -> dict[str, V]:
    """``row`` with its keys in the registry's order; any column missing or extra is an error.

    ``skip``: registered columns added later (the municipality's name, from the geography).
    """
    wanted = [c for c in columns if c not in skip]
    if len(row) != len(wanted) or not all(c in row for c in wanted):
        missing, extra = sorted(set(wanted) - set(row)), sorted(set(row) - set(wanted))
        raise RuntimeError(f"recorded columns differ from ecosim.outputs.registry: missing {missing}, extra {extra}")
    return {c: row[c] for c in wanted}


class Recorder:
    """Collects the monthly outputs of a model into two tidy tables."""

    def __init__(self, model: EcosimModel) -> None:
        self.model = model
        self.rows: list[dict[str, float]] = []
        self.muni_rows: list[dict[str, np.ndarray]] = []
        # Populations are static, so the small and large municipalities are found once.
        self._small, self._large = size_groups(model.populations, model.scenario.geography.small_share)
        # Kinds (small rural, medium, large urban) read population and urbanity, both fixed at the start.
        self._kinds = kind_groups(model.populations, model.need.characteristics.urbanity)

    def record(self) -> None:
        """Read this month's stocks and flows."""
        m = self.model
        led = m.ledger
        k = m.k
        pop = m.populations
        counts = m.citizens.counts.sum(axis=2) * k  # municipality x state
        stock = {name: counts[:, list(states)].sum(axis=1) for name, states in STOCKS.items()}
        by_domain = m.citizens.by_domain * k  # municipality x domain x state
        spend = led.spending()
        by_dom = led.spending_by_domain()
        budget = led.budget.sum(axis=1)
        balance = budget - spend
        bur = burden(m)
        reserves = np.array([x.reserves for x in m.municipalities])
        stance = np.array([x.stance for x in m.municipalities])
        forms = np.zeros((m.n_municipalities, len(TASKS)), dtype=np.int64)  # form code per municipality and task
        for arr in m.arrangements.active():
            for i in arr.members:
                forms[i, arr.task] = int(arr.form)
        form = forms.max(axis=1)
        trust = self._member_trust()
        ev = led.events
        row: dict[str, float] = {
            "month": m.month,
            "year": 2015 + m.month // 12,
            "population": pop.sum(),
            "budget": budget.sum(),
            "spending": spend.sum(),
            **{f"spending_{d}": by_dom[:, i].sum() for i, d in enumerate(DOMAINS)},
            **{f"budget_{d}": led.budget[:, i].sum() for i, d in enumerate(DOMAINS)},
            "spending_per_inhabitant": spend.sum() / pop.sum(),
            **{f"spending_{d}_per_inhabitant": by_dom[:, i].sum() / pop.sum() for i, d in enumerate(DOMAINS)},
            "care_spending": led.care.sum(),
            "admin_spending": led.admin.sum(),
            "wijkteam_spending": led.wijkteam.sum(),
            "prevention_spending": led.prevention.sum(),
            "cooperation_spending": led.cooperation.sum(),
            "admin_share": led.admin.sum() / spend.sum() if spend.sum() > 0 else 0.0,
            "balance": balance.sum(),
            "reserves": reserves.sum(),
            **self._bijstand(),
            **{name: v.sum() for name, v in stock.items()},
            **{f"in_care_{d}": by_domain[:, i, CitizenState.IN_CARE].sum() for i, d in enumerate(DOMAINS)},
            **{f"waiting_{d}": by_domain[:, i, CitizenState.WAITING].sum() for i, d in enumerate(DOMAINS)},
            **{
                f"share_municipalities_{d}_deficit_over_20pct": float(
                    np.mean(led.year_spending[:, i] > 1.2 * led.year_budget[:, i])
                )
                for i, d in enumerate(DOMAINS)
            },
            "budget_per_inhabitant_p10": float(np.percentile(budget / pop, 10)),
            "budget_per_inhabitant_p90": float(np.percentile(budget / pop, 90)),
            "need_per_inhabitant_cv": cv(counts.sum(axis=1) / pop),
            "active_citizens": counts.sum(),
            **{e: int(v.sum()) for e, v in ev.items()},
            "mean_wait_months": led.wait_months_started / ev["started_care"].sum() if ev["started_care"].sum() else 0.0,
            "burden": bur.sum(),
            "burden_per_1000": bur.sum() / pop.sum() * 1000,
            **self._providers(),
            **self._arrangements(form, forms),
            "mean_trust": float(np.nanmean(trust)) if np.isfinite(trust).any() else np.nan,
            **self._trust_range(),
            "cooperation_hours": float(led.cooperation_hours.sum()),
            "cooperation_benefit": float(led.cooperation_benefit.sum()),
            **self._cooperation_net(forms),
            "mean_stance": float(stance.mean()),
            "mean_energy": float(np.mean([x.energy for x in m.municipalities])),
            "min_energy": float(np.min([x.energy for x in m.municipalities])),
            "gap_spending_per_inhabitant": self._gap(spend / pop),
            "gap_burden_per_1000": self._gap(bur / pop * 1000),
            "gap_balance_per_inhabitant": self._gap(balance / pop),
            **self._by_size(spend / pop, "spending_per_inhabitant"),
            **self._by_size(bur / pop * 1000, "burden_per_1000"),
            **self._budget_ratios(spend, budget),
            **self._by_kind(spend, budget, bur, pop),
            **self._staff(),
        }
        self.rows.append(in_order(row, MODEL_COLUMNS))
        muni = {
            "month": np.full(m.n_municipalities, m.month),
            "municipality": np.arange(m.n_municipalities),
            "population": pop,
            "region": m.geo.region,
            "stance": stance,
            "budget": budget,
            "spending": spend,
            **{f"spending_{d}": by_dom[:, i] for i, d in enumerate(DOMAINS)},
            **{f"budget_{d}": led.budget[:, i].copy() for i, d in enumerate(DOMAINS)},
            "admin_spending": led.admin.copy(),
            "cooperation_spending": led.cooperation.copy(),
            "balance": balance,
            "reserves": reserves,
            "bijstand_recipients": m.income_support.recipients.copy(),
            "buig_budget": led.buig_budget.copy(),
            "bijstand_benefits": led.benefits.copy(),
            "buig_result": led.buig_result(),
            "buig_safety_net": led.safety_net.copy(),
            **stock,
            "escalations": ev["escalations"].copy(),
            "recoveries": ev["recoveries"].copy(),
            "refusals": ev["refusals"].copy(),
            "burden": bur,
            "arrangement_form": form,
            "memberships": (forms > 0).sum(axis=1),
            **{f"form_{task}": forms[:, k] for k, task in enumerate(TASKS)},
            "energy": np.array([x.energy for x in m.municipalities]),
            "trust": trust,
            **{f"need_index_{d}": m.need.multiplier[:, i] for i, d in enumerate(DOMAINS)},
            "staff_capacity": m.capacity.fte.copy(),
            "staff_use": m.capacity.use.copy(),
            **{f"staff_use_{purpose}": use.copy() for purpose, use in m.capacity.use_by.items()},
            "staff_coverage": m.capacity.coverage.copy(),
            "cooperation_benefit": led.cooperation_benefit.copy(),
            "cooperation_hours": led.cooperation_hours.copy(),
        }
        self.muni_rows.append(in_order(muni, MUNICIPAL_COLUMNS, skip=("name",)))

    def _bijstand(self) -> dict[str, float]:
        """Income support this month: recipients and their flows, the BUIG budget, benefits and result."""
        m = self.model
        led = m.ledger
        support = m.income_support
        ytd_budget = led.year_buig_budget  # year so far, this month included (recorded after settlement)
        ytd_benefits = led.year_benefits
        return {
            "unemployment_rate": support.unemployment,
            "bijstand_recipients": float(support.recipients.sum()),
            "bijstand_inflow": float(support.inflow.sum()),
            "bijstand_outflow": float(support.outflow.sum()),
            "bijstand_reintegration_exits": float(support.exits.sum()),
            "reintegrations": float(led.reintegrated.sum()),
            "buig_budget": float(led.buig_budget.sum()),
            "bijstand_benefits": float(led.benefits.sum()),
            "buig_result": float(led.buig_result().sum()),
            "buig_safety_net": float(led.safety_net.sum()),
            "buig_result_year_to_date": float((ytd_budget - ytd_benefits).sum()),
            "share_municipalities_buig_deficit": float(np.mean(ytd_benefits > ytd_budget)),
        }

    def _gap(self, values: np.ndarray) -> float:
        """A per-inhabitant metric's mean in small municipalities minus that in large ones."""
        return group_gap(values, self._small, self._large)

    def _by_size(self, values: np.ndarray, name: str) -> dict[str, float]:
        """``name_small`` and ``name_large``: the metric's mean in small and in large municipalities."""
        return {f"{name}_small": float(values[self._small].mean()), f"{name}_large": float(values[self._large].mean())}

    def _budget_ratios(self, spend: np.ndarray, budget: np.ndarray) -> dict[str, float]:
        """Spending over budget: all municipalities, the small and the large ones."""

        def ratio(group: np.ndarray | slice) -> float:
            b = float(budget[group].sum())
            return float(spend[group].sum()) / b if b > 0 else np.nan

        return {
            "budget_ratio": ratio(slice(None)),
            "budget_ratio_small": ratio(self._small),
            "budget_ratio_large": ratio(self._large),
        }

    def _by_kind(self, spend: np.ndarray, budget: np.ndarray, bur: np.ndarray, pop: np.ndarray) -> dict[str, float]:
        """Spending per inhabitant, burden per 1,000 and budget ratio per kind of municipality (NaN if none)."""
        out: dict[str, float] = {}
        per_inh, per_1000 = spend / pop, bur / pop * 1000
        for kind, group in self._kinds.items():
            b = float(budget[group].sum())
            some = len(group) > 0
            out[f"spending_per_inhabitant_{kind}"] = float(per_inh[group].mean()) if some else np.nan
            out[f"burden_per_1000_{kind}"] = float(per_1000[group].mean()) if some else np.nan
            out[f"budget_ratio_{kind}"] = float(spend[group].sum()) / b if some and b > 0 else np.nan
        return out

    def _staff(self) -> dict[str, float]:
        """Civil-service capacity: the month's work against it, by purpose and by size."""
        cap = self.model.capacity
        use = cap.use
        small, large = float(use[self._small].mean()), float(use[self._large].mean())
        return {
            "staff_capacity": float(cap.fte.sum()),
            "staff_demand": float((use * cap.fte).sum()),
            "staff_use": float(use.mean()),
            **{f"staff_use_{purpose}": float(v.mean()) for purpose, v in cap.use_by.items()},
            "staff_use_small": small,
            "staff_use_large": large,
            "gap_staff_use": self._gap(use),
            "staff_overloaded_share": float(np.mean(use > 1.0)),
            "staff_coverage": float(cap.coverage.mean()),
            "staff_hired": float(cap.hired.sum()),
            "staff_hire_spending": float(cap.hire_eur.sum()),
        }

    def _providers(self) -> dict[str, float]:
        m = self.model
        active = [p for p in m.providers if p.active]
        ready = [p for p in active if p.ready(m.month)]
        clients = np.array([p.clients for p in ready], dtype=float)
        eff = np.array([p.effective_capacity for p in ready])
        small = m.scenario.entry.small_turnover_eur
        turnover = turnover_of(m)

        def large(p: Any) -> bool:
            return turnover(p) >= small

        markets: dict[tuple[int, int], list[float]] = {}
        for p in active:
            markets.setdefault((p.region, p.domain), []).append(p.clients)
        weights = np.array([sum(v) for v in markets.values()], dtype=float)
        hh = np.array([hhi(np.array(v, dtype=float)) for v in markets.values()])
        return {
            "providers_active": len(active),
            **{f"providers_active_{d}": sum(1 for p in active if p.domain == i) for i, d in enumerate(DOMAINS)},
            "provider_failures": m.ledger.provider_failures,
            "provider_entries": m.ledger.provider_entries,
            "providers_entering": len(active) - len(ready),
            "providers_small_share": float(np.mean([not large(p) for p in active])) if active else 0.0,
            "market_hhi": float((hh * weights).sum() / weights.sum()) if weights.sum() > 0 else 0.0,
            "capacity_use": float(clients.sum() / eff.sum()) if eff.sum() > 0 else 0.0,
            "provider_admin_burden": float(np.mean([p.admin_burden for p in active])) if active else 0.0,
            "provider_loss_share": loss_share(m.providers, m.month),
            "provider_loss_share_large": loss_share(m.providers, m.month, large),
            "provider_reserves": float(sum(p.reserves for p in active)),
            "provider_revenue": m.ledger.provider_revenue,
            "provider_expense": m.ledger.provider_expense,
        }

    def _arrangements(self, form: np.ndarray, forms: np.ndarray) -> dict[str, float]:
        m = self.model
        led = m.ledger
        active = m.arrangements.active()
        out: dict[str, float] = {
            "arrangements": len(active),
            "arrangements_formed": led.arrangements_formed,
            "arrangements_dissolved": led.arrangements_dissolved,
            "arrangements_switched": led.arrangements_switched,
            "arrangements_deepened": led.arrangements_deepened,
            "arrangements_loosened": led.arrangements_loosened,
            "arrangements_split": led.arrangements_split,
            "members_joined": led.members_joined,
            "members_left": led.members_left,
            **{f"members_left_{reason}": n for reason, n in led.left_by_reason.items()},
            "members_in_arrangements": int((form > 0).sum()),
            "memberships": int((forms > 0).sum()),
        }
        for f in Form:
            if f is not Form.NONE:
                out[f"arrangements_{f.key}"] = sum(1 for a in active if a.form == f)
        for k, task in enumerate(TASKS):
            out[f"arrangements_{task}"] = sum(1 for a in active if a.task == k)
        return out

    def _member_trust(self) -> np.ndarray:
        """Each municipality's mean trust in the partners of all its arrangements (NaN if it has none)."""
        m = self.model
        total, count = np.zeros(m.n_municipalities), np.zeros(m.n_municipalities)
        for arr in m.arrangements.active():
            members = sorted(arr.members)
            if len(members) < 2:
                continue
            block = m.arrangements.trust[np.ix_(members, members)]
            total[members] += block.sum(axis=1) - np.diag(block)
            count[members] += len(members) - 1
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def _trust_range(self) -> dict[str, float]:
        """Lowest and highest trust of a member in a partner of one of its arrangements."""
        m = self.model
        low, high = np.inf, -np.inf
        for arr in m.arrangements.active():
            members = sorted(arr.members)
            if len(members) < 2:
                continue
            block = m.arrangements.trust[np.ix_(members, members)]
            off = block[~np.eye(len(members), dtype=bool)]
            low, high = min(low, float(off.min())), max(high, float(off.max()))
        return {"min_trust": low if np.isfinite(low) else np.nan, "max_trust": high if np.isfinite(high) else np.nan}

    def _cooperation_net(self, forms: np.ndarray) -> dict[str, float]:
        """Cooperation benefit minus cooperation spending per inhabitant: small and large members."""
        m = self.model
        led = m.ledger
        net = (led.cooperation_benefit - led.cooperation) / m.populations
        member = (forms > 0).any(axis=1)
        out = {}
        for size, group in (("small", self._small), ("large", self._large)):
            sel = group[member[group]]
            out[f"cooperation_net_per_inhabitant_{size}"] = float(net[sel].mean()) if len(sel) else np.nan
        return out

    def model_frame(self) -> pd.DataFrame:
        """One row per month with every model-level output."""
        return pd.DataFrame(self.rows)

    def municipality_frame(self) -> pd.DataFrame:
        """One row per municipality per month."""
        if not self.muni_rows:
            return pd.DataFrame()
        cols = {k: np.concatenate([r[k] for r in self.muni_rows]) for k in self.muni_rows[0]}
        df = pd.DataFrame(cols)
        names = np.array(self.model.geo.names)
        df.insert(MUNICIPAL_COLUMNS.index("name"), "name", names[df["municipality"].to_numpy()])
        return df
