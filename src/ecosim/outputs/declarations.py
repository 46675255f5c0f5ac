"""Every output of a run, declared once: the entries of :mod:`ecosim.outputs.registry`.

Three kinds, in the order the files hold them:

- ``monthly``: the columns of ``model.parquet`` (one row per month, model totals);
- ``municipal``: the columns of ``municipalities.parquet`` (one row per municipality per month);
- ``scalar``: end-of-run values computed from ``model.parquet`` (columns of a sweep's ``runs.parquet``).

Counts are people (agents times the representation scale k), money is EUR. Flows are per
month; stocks are at the end of the month. The recorder (:mod:`ecosim.outputs.recorder`)
computes the columns; a test checks that it writes exactly these, in this order.

Only the scenario's constants are imported here, so ``ecosim outputs`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ecosim.outputs.kinds import KIND_WORDS
from ecosim.outputs.kinds import KINDS as MUNI_KINDS
from ecosim.outputs.kinds import RULE as KIND_RULE
from ecosim.scenario import DOMAINS, Form
from ecosim.scenario.forms import TASKS

Kind = Literal["monthly", "municipal", "scalar"]
"""Where an output lives: model.parquet, municipalities.parquet, or end-of-run (runs.parquet)."""

Better = Literal["lower", "higher", "neither"]
"""Which direction is better for citizens or the public purse ('neither' when it is a matter of view)."""

KINDS: tuple[Kind, ...] = ("monthly", "municipal", "scalar")


@dataclass(frozen=True)
class Output:
    """One output of a run.

    Attributes:
        name: column name (model.parquet, municipalities.parquet or runs.parquet).
        kind: ``monthly``, ``municipal`` or ``scalar``.
        meaning: what it means, in plain words.
        unit: its unit as stored ("EUR/month", "people", "-" for shares and indices).
        better: ``lower``, ``higher`` or ``neither``.
        how: how it is computed, in short.
        label: a short label for legends.
        compute: for scalars, the function of one run's model.parquet that gives the value.
    """

    name: str
    kind: Kind
    meaning: str
    unit: str
    better: Better
    how: str
    label: str
    compute: Callable[[Any], Any] | None = None

    def value(self, model_df: Any) -> float:
        """A scalar's value for one run's monthly table (model.parquet as a DataFrame)."""
        if self.compute is None:
            raise TypeError(f"{self.kind} output '{self.name}' is a column, not an end-of-run scalar")
        return float(self.compute(model_df))


def _out(kind: str, name: str, meaning: str, unit: str, better: str, how: str, label: str = "", **kw: Any) -> Output:
    return Output(name, kind, meaning, unit, better, how, label or name.replace("_", " "), **kw)  # type: ignore[arg-type]


def _m(*args: Any, **kw: Any) -> Output:
    return _out("monthly", *args, **kw)


def _u(*args: Any, **kw: Any) -> Output:
    return _out("municipal", *args, **kw)


FORMS: tuple[Form, ...] = tuple(f for f in Form if f is not Form.NONE)
"""Cooperation forms counted in ``arrangements_<form>``."""

EVENT_OUTPUTS: tuple[tuple[str, str, str], ...] = (
    ("new_needs", "needs arisen", "lower"),
    ("presented", "citizens assessed at the front office", "neither"),
    ("found_hidden", "hidden needs found by wijkteams", "higher"),
    ("accepted", "assessments that granted care", "neither"),
    ("refusals", "assessments that refused care", "lower"),
    ("to_wijkteam", "assessments sent to the wijkteam", "neither"),
    ("referred", "wijkteam cases referred to a provider (waiting) after escalating beyond the team", "neither"),
    ("started_care", "citizens placed with a provider", "neither"),
    ("escalations", "severity rises (unmet, wijkteam and in care)", "lower"),
    ("recoveries", "recovered from care plus resolved wijkteam cases", "higher"),
    ("resolved", "unmet needs resolved without care", "higher"),
    ("met_informally", "refused needs met by informal care or general local services (the need ends)", "higher"),
    ("left", "citizens with a need who moved away or died", "neither"),
    ("continuity_breaks", "clients of failed providers sent back to waiting", "lower"),
    ("assessments_deferred", "presenting citizens whose assessment waits a month for lack of staff", "lower"),
)
"""The ledger's event counts (``ecosim.model.ledger.EVENTS``, same order): name, meaning, better."""


def bijstand_monthly() -> tuple[Output, ...]:
    """The monthly columns of income support (bijstand and the BUIG), apart from the integration fund."""
    per_month = "EUR/month"
    return (
        _m(
            "unemployment_rate",
            "unemployment rate of the exogenous labour-market path",
            "-",
            "neither",
            "bijstand.unemployment_rate, yearly means interpolated between mid-years",
        ),
        _m(
            "bijstand_recipients",
            "bijstand recipients (under the AOW age) at the end of the month",
            "people",
            "lower",
            "sum of the municipalities' income-support stocks (people, not agents)",
        ),
        _m(
            "bijstand_inflow",
            "new bijstand recipients this month (labour market and permit holders)",
            "people/month",
            "lower",
            "regular inflow + refugee inflow",
        ),
        _m(
            "bijstand_outflow",
            "recipients leaving bijstand this month other than after a participation trajectory",
            "people/month",
            "neither",
            "stock x outflow rate at this month's unemployment",
        ),
        _m(
            "bijstand_reintegration_exits",
            "recipients leaving bijstand this month after a successful participation trajectory",
            "people/month",
            "higher",
            "reintegrations x bijstand.participation_bijstand_share x bijstand.exit_after_success",
        ),
        _m(
            "reintegrations",
            "successful participation trajectories: citizens in care with a participation part who recovered",
            "people/month",
            "higher",
            "recoveries from care of citizens whose domains include participatie",
        ),
        _m(
            "buig_budget",
            "BUIG budget of the month (income support; not in budget, which is the integration fund)",
            per_month,
            "neither",
            "sum over municipalities of a twelfth of the year's BUIG budget",
        ),
        _m(
            "bijstand_benefits",
            "bijstand benefits paid from the BUIG (not in spending or spending_participatie)",
            per_month,
            "neither",
            "recipients at the start of the month x spending per recipient / 12, summed",
        ),
        _m(
            "buig_result",
            "BUIG result of the month: BUIG budget minus benefits paid (safety net apart)",
            per_month,
            "higher",
            "buig_budget - bijstand_benefits",
        ),
        _m(
            "buig_safety_net",
            "safety-net payments (vangnetuitkering) to municipalities with a large BUIG deficit, December only",
            per_month,
            "neither",
            "sum of bijstand.safety_net_share x the year's deficit above the year's threshold of the BUIG budget",
        ),
        _m(
            "buig_result_year_to_date",
            "BUIG result this calendar year so far (December: the year's result), safety net apart",
            "EUR",
            "higher",
            "sum since January of buig_result",
        ),
        _m(
            "share_municipalities_buig_deficit",
            "share of municipalities whose BUIG benefits this year so far exceed their BUIG budget",
            "-",
            "lower",
            "mean over municipalities of ytd benefits > ytd BUIG budget",
        ),
    )


def monthly() -> tuple[Output, ...]:
    """The columns of model.parquet, in the order the recorder writes them."""
    per_month = "EUR/month"
    return (
        _m("month", "step index; 0 = January 2015", "month", "neither", "model step counter"),
        _m("year", "calendar year of the month", "year", "neither", "2015 + month // 12"),
        _m("population", "total inhabitants", "people", "neither", "sum of municipal populations"),
        _m("budget", "municipal budgets of the month", per_month, "neither", "sum over municipalities and domains"),
        _m(
            "spending",
            "public spending of the month",
            per_month,
            "lower",
            "care + admin + wijkteam + prevention + cooperation, summed over municipalities",
        ),
        *(
            _m(
                f"spending_{d}",
                f"spending on {d}",
                per_month,
                "lower",
                "care of the domain plus overheads split by each municipality's budget shares",
                f"spending {d}",
            )
            for d in DOMAINS
        ),
        *(_m(f"budget_{d}", f"budget for {d}", per_month, "neither", "sum over municipalities") for d in DOMAINS),
        _m(
            "spending_per_inhabitant",
            "spending per inhabitant",
            "EUR/inhabitant/month",
            "lower",
            "spending / population",
        ),
        *(
            _m(
                f"spending_{d}_per_inhabitant",
                f"spending on {d} per inhabitant",
                "EUR/inhabitant/month",
                "lower",
                f"spending_{d} / population",
            )
            for d in DOMAINS
        ),
        _m("care_spending", "care billed (after pooling)", per_month, "neither", "ledger care, summed"),
        _m("admin_spending", "assessments, monitoring and contract management", per_month, "lower", "ledger admin"),
        _m(
            "wijkteam_spending",
            "wijkteams and general services (Iv3 'algemene voorzieningen incl. wijkteams')",
            per_month,
            "neither",
            "ledger wijkteam: team budget + informal.eur_per_need_met per need met_informally",
        ),
        _m("prevention_spending", "prevention spending", per_month, "neither", "ledger prevention"),
        _m(
            "cooperation_spending",
            "setup, overhead and exit costs of arrangements",
            per_month,
            "neither",
            "ledger cooperation",
        ),
        _m(
            "admin_share",
            "admin share of spending",
            "-",
            "lower",
            "admin_spending / spending (0 without spending)",
            "admin share of spending",
        ),
        _m("balance", "budget minus spending", per_month, "higher", "budget - spending"),
        _m(
            "reserves",
            "municipal reserves at the end of the month (with bijstand.in_municipal_finance the BUIG result and "
            "safety net move them too)",
            "EUR",
            "higher",
            "sum of municipal reserves",
        ),
        *bijstand_monthly(),
        _m("in_care", "citizens in care", "people", "neither", "citizens in state IN_CARE"),
        _m("waiting", "citizens waiting for care", "people", "lower", "citizens in state WAITING"),
        _m("refused", "citizens refused care", "people", "lower", "citizens in state REFUSED"),
        _m("hidden", "citizens with a hidden need", "people", "lower", "citizens in state HIDDEN", "hidden need"),
        _m("wijkteam_cases", "citizens helped by a wijkteam", "people", "neither", "citizens in state WIJKTEAM"),
        _m(
            "unmet",
            "citizens with a need nobody meets: refused (not met informally) or hidden; waiting excluded",
            "people",
            "lower",
            "citizens in state REFUSED or HIDDEN",
            "unmet (refused, hidden)",
        ),
        *(
            _m(
                f"in_care_{d}",
                f"citizens in care whose plan is led by {d}",
                "people",
                "neither",
                "running by-domain counter",
            )
            for d in DOMAINS
        ),
        *(
            _m(
                f"waiting_{d}",
                f"citizens waiting whose plan is led by {d}",
                "people",
                "lower",
                "running by-domain counter",
            )
            for d in DOMAINS
        ),
        *(
            _m(
                f"share_municipalities_{d}_deficit_over_20pct",
                f"share of municipalities whose {d} spending this year so far exceeds 120 % of their {d} budget",
                "-",
                "lower",
                f"mean over municipalities of ytd_spending_{d} > 1.2 x ytd_budget_{d}",
            )
            for d in DOMAINS
        ),
        _m(
            "budget_per_inhabitant_p10",
            "budget per inhabitant of the municipality at the 10th percentile",
            "EUR/inhabitant/month",
            "neither",
            "10th percentile over municipalities of budget / population (all domains)",
        ),
        _m(
            "budget_per_inhabitant_p90",
            "budget per inhabitant of the municipality at the 90th percentile",
            "EUR/inhabitant/month",
            "neither",
            "90th percentile over municipalities of budget / population (all domains)",
        ),
        _m(
            "need_per_inhabitant_cv",
            "coefficient of variation across municipalities of citizens with a need per inhabitant",
            "-",
            "neither",
            "sd / mean over municipalities of active citizens / population",
        ),
        _m("active_citizens", "citizens with a need", "people", "neither", "all citizens in the citizen table"),
        *(
            _m(e, meaning, "people/month", better, "ledger event count of the month")
            for e, meaning, better in EVENT_OUTPUTS
        ),
        _m(
            "mean_wait_months",
            "mean months waited by those who started care this month",
            "month",
            "lower",
            "months waited / started_care (0 if none started)",
        ),
        _m(
            "burden",
            "burden of unmet need: unmet (hidden, waiting, refused) people weighted by severity",
            "weighted people",
            "lower",
            "unmet people x escalation.burden_weight of their severity",
        ),
        _m(
            "burden_per_1000",
            "burden of unmet need per 1,000 inhabitants",
            "weighted people per 1,000",
            "lower",
            "burden / population x 1000",
            "burden per 1,000 inhabitants",
        ),
        _m("providers_active", "active providers", "providers", "neither", "providers not failed", "active providers"),
        *(
            _m(
                f"providers_active_{d}",
                f"active {d} providers",
                "providers",
                "neither",
                "active providers of the domain",
            )
            for d in DOMAINS
        ),
        _m("provider_failures", "provider failures", "providers/month", "lower", "failures this month"),
        _m("provider_entries", "provider entries", "providers/month", "neither", "entries this month"),
        _m(
            "providers_entering",
            "entrants not yet able to take clients (in their lag)",
            "providers",
            "neither",
            "active providers before their ready month",
        ),
        _m(
            "providers_small_share",
            "share of active providers that are small (turnover below entry.small_turnover_eur)",
            "-",
            "neither",
            "active providers whose yearly turnover at the reference occupancy is below entry.small_turnover_eur",
            "small providers (share)",
        ),
        _m(
            "market_hhi",
            "market concentration (Herfindahl index of client shares)",
            "-",
            "lower",
            "HHI per region x domain market, weighted by clients",
            "market concentration (HHI)",
        ),
        _m("capacity_use", "capacity use of active providers", "-", "neither", "clients / effective capacity"),
        _m(
            "provider_admin_burden",
            "mean admin burden of active providers (share of working time spent on administration)",
            "-",
            "lower",
            "mean over active providers of admin cost / (care cost + admin cost) this month",
        ),
        _m(
            "provider_loss_share",
            "share of providers with a negative result this calendar year so far (December: the year's share)",
            "-",
            "neither",
            "providers active this year (failed ones included) with revenue - expense since January < 0",
            "loss-making providers (year to date)",
        ),
        _m(
            "provider_loss_share_large",
            "share of providers that are not small with a negative result this calendar year so far",
            "-",
            "neither",
            "as provider_loss_share, over providers with yearly turnover of at least entry.small_turnover_eur "
            "(the population of Intrakoop's annual-report analyses)",
            "loss-making larger providers (year to date)",
        ),
        _m("provider_reserves", "reserves of active providers", "EUR", "higher", "sum over active providers"),
        _m("provider_revenue", "providers' revenue", per_month, "neither", "ledger provider revenue"),
        _m("provider_expense", "providers' expense", per_month, "neither", "ledger provider expense"),
        _m(
            "arrangements", "active cooperation arrangements", "arrangements", "neither", "count of active arrangements"
        ),
        _m(
            "arrangements_formed",
            "arrangements formed this month (initial ones not counted; the new part of a split counted)",
            "arrangements/month",
            "neither",
            "ledger count",
        ),
        _m(
            "arrangements_dissolved",
            "arrangements dissolved this month (by vote, or left with fewer than two members)",
            "arrangements/month",
            "neither",
            "ledger count",
        ),
        _m(
            "arrangements_switched",
            "arrangements that changed form this month (deepened or loosened)",
            "arrangements/month",
            "neither",
            "ledger count",
        ),
        *(
            _m(
                f"arrangements_{verb}",
                f"arrangements that took a {what} form this month",
                "arrangements/month",
                "neither",
                "ledger count",
            )
            for verb, what in (("deepened", "heavier"), ("loosened", "lighter"))
        ),
        _m("arrangements_split", "arrangements that split this month", "arrangements/month", "neither", "ledger count"),
        _m(
            "members_joined",
            "memberships begun this month (founders, joiners and the new part of a split)",
            "memberships/month",
            "neither",
            "ledger count",
        ),
        _m(
            "members_left",
            "members that left an arrangement on their own this month (fatigue, distrust or a new council)",
            "memberships/month",
            "neither",
            "ledger count; splits and dissolutions not counted",
        ),
        *(
            _m(
                f"members_left_{reason}",
                f"members that left an arrangement this month on {what}",
                "memberships/month",
                "neither",
                "ledger count",
            )
            for reason, what in (
                ("fatigue", "fatigue"),
                ("distrust", "distrust"),
                ("election", "a new council's decision"),
            )
        ),
        _m(
            "members_in_arrangements",
            "municipalities in at least one arrangement",
            "municipalities",
            "neither",
            "municipalities with a membership",
        ),
        _m(
            "memberships",
            "memberships of municipalities in arrangements",
            "memberships",
            "neither",
            "sum over arrangements of members",
        ),
        *(
            _m(
                f"arrangements_{f.name.lower()}",
                f"active arrangements of form {f.name.lower().replace('_', ' ')}",
                "arrangements",
                "neither",
                "count of active arrangements of the form",
                f.name.lower().replace("_", " "),
            )
            for f in FORMS
        ),
        *(
            _m(
                f"arrangements_{task}",
                f"active arrangements for the task {task} (joint procurement and admin of the domain)",
                "arrangements",
                "neither",
                "count of active arrangements of the task",
                f"task {task}",
            )
            for task in TASKS
        ),
        _m(
            "mean_trust",
            "mean over members of their mean trust in partners (NaN if none)",
            "-",
            "higher",
            "nanmean over municipalities in an arrangement",
        ),
        _m(
            "min_trust",
            "lowest trust of a member in a partner of one of its arrangements (NaN if none)",
            "-",
            "neither",
            "min of trust[i, j] over pairs of current co-members",
        ),
        _m(
            "max_trust",
            "highest trust of a member in a partner of one of its arrangements (NaN if none)",
            "-",
            "neither",
            "max of trust[i, j] over pairs of current co-members",
        ),
        _m(
            "cooperation_hours",
            "civil-service hours spent on cooperation (meetings, governance)",
            "hours/month",
            "neither",
            "sum over memberships of membership_hours (cooperation.forms.*.hours_per_member_month)",
        ),
        _m(
            "cooperation_benefit",
            "what cooperating saved members this month: joint discounts, admin saved, net pooling transfers",
            per_month,
            "higher",
            "ledger cooperation_benefit, summed",
        ),
        *(
            _m(
                f"cooperation_net_per_inhabitant_{size}",
                f"cooperation benefit minus cooperation spending per inhabitant, {size} members (NaN if none)",
                "EUR/inhabitant/month",
                "higher",
                f"mean over the {size} municipalities (geography.small_share) with a membership",
            )
            for size in ("small", "large")
        ),
        _m(
            "mean_stance",
            "mean stance (0 cost control, 1 transformation)",
            "-",
            "neither",
            "mean over municipalities",
            "mean stance (0 control, 1 transformation)",
        ),
        _m("mean_energy", "mean cooperation energy", "-", "neither", "mean over municipalities"),
        _m("min_energy", "lowest cooperation energy of a municipality", "-", "neither", "min over municipalities"),
        _m(
            "gap_spending_per_inhabitant",
            "spending per inhabitant, small minus large municipalities",
            "EUR/inhabitant/month",
            "neither",
            "mean in the bottom minus the top geography.small_share of municipalities by population",
        ),
        _m(
            "gap_burden_per_1000",
            "burden per 1,000 inhabitants, small minus large municipalities",
            "weighted people per 1,000",
            "neither",
            "as gap_spending_per_inhabitant, of burden / population x 1000",
        ),
        _m(
            "gap_balance_per_inhabitant",
            "balance per inhabitant, small minus large municipalities",
            "EUR/inhabitant/month",
            "neither",
            "as gap_spending_per_inhabitant, of balance / population",
        ),
        _m(
            "spending_per_inhabitant_small",
            "spending per inhabitant in small municipalities",
            "EUR/inhabitant/month",
            "lower",
            "mean of spending / population over the bottom geography.small_share of municipalities by population",
        ),
        _m(
            "spending_per_inhabitant_large",
            "spending per inhabitant in large municipalities",
            "EUR/inhabitant/month",
            "lower",
            "mean of spending / population over the top geography.small_share of municipalities by population",
        ),
        _m(
            "burden_per_1000_small",
            "burden of unmet need per 1,000 inhabitants in small municipalities",
            "weighted people per 1,000",
            "lower",
            "as spending_per_inhabitant_small, of burden / population x 1000",
        ),
        _m(
            "burden_per_1000_large",
            "burden of unmet need per 1,000 inhabitants in large municipalities",
            "weighted people per 1,000",
            "lower",
            "as spending_per_inhabitant_large, of burden / population x 1000",
        ),
        *budget_ratio_monthly(),
        *kind_monthly(),
        *staff_monthly(),
    )


def budget_ratio_monthly() -> tuple[Output, ...]:
    """Spending over budget this month: all municipalities, small and large (geography.small_share)."""
    return (
        _m(
            "budget_ratio",
            "spending over budget this month, all municipalities (above 1: over budget)",
            "-",
            "lower",
            "sum of spending / sum of budget",
        ),
        *(
            _m(
                f"budget_ratio_{size}",
                f"spending over budget this month in {size} municipalities (above 1: over budget)",
                "-",
                "lower",
                f"sum of spending / sum of budget, {where} geography.small_share of municipalities by population",
            )
            for size, where in (("small", "bottom"), ("large", "top"))
        ),
    )


def kind_monthly() -> tuple[Output, ...]:
    """Spending, burden and budget ratio per kind of municipality (ecosim.outputs.kinds; NaN if none)."""
    rule = f"kinds: {KIND_RULE}"
    return tuple(
        _m(
            f"{name}_{kind}",
            f"{what} in {KIND_WORDS[kind]} municipalities (NaN if the map has none)",
            unit,
            "lower",
            f"{how} over the {KIND_WORDS[kind]} municipalities; {rule}",
        )
        for name, what, unit, how in (
            (
                "spending_per_inhabitant",
                "spending per inhabitant",
                "EUR/inhabitant/month",
                "mean of spending / population",
            ),
            (
                "burden_per_1000",
                "burden of unmet need per 1,000 inhabitants",
                "weighted people per 1,000",
                "mean of burden / population x 1000",
            ),
            ("budget_ratio", "spending over budget", "-", "sum of spending / sum of budget"),
        )
        for kind in MUNI_KINDS
    )


STAFF_PURPOSES: tuple[str, ...] = ("admin", "procurement", "cooperation")
"""Purposes of civil-service work (``ecosim.model.capacity.PURPOSES``, same order)."""


def staff_monthly() -> tuple[Output, ...]:
    """The monthly columns of civil-service capacity (docs/ODD.md 7.11), in the recorder's order."""
    use = "work booked this month / capacity"
    return (
        _m(
            "staff_capacity",
            "civil-service capacity of all municipalities for the social domain",
            "FTE",
            "neither",
            "sum of capacity.fte_per_1000 / 1000 x reference_population x (population / reference) ^ size_elasticity",
        ),
        _m(
            "staff_demand",
            "work asked of that capacity this month (assessment, monitoring, policy, contracts, tenders, meetings)",
            "FTE",
            "neither",
            "sum over municipalities and purposes of the FTE-months booked this month",
        ),
        _m(
            "staff_use",
            "share of civil-service capacity used (above 1: overloaded), mean over municipalities",
            "-",
            "neither",
            f"mean over municipalities of {use}",
            "capacity use (staff)",
        ),
        *(
            _m(
                f"staff_use_{purpose}",
                f"share of civil-service capacity used for {purpose}, mean over municipalities",
                "-",
                "neither",
                f"mean over municipalities of {purpose} {use}",
                f"capacity use: {purpose}",
            )
            for purpose in STAFF_PURPOSES
        ),
        _m(
            "staff_use_small",
            "share of civil-service capacity used in small municipalities",
            "-",
            "neither",
            "mean of staff use over the bottom geography.small_share of municipalities by population",
        ),
        _m(
            "staff_use_large",
            "share of civil-service capacity used in large municipalities",
            "-",
            "neither",
            "mean of staff use over the top geography.small_share of municipalities by population",
        ),
        _m(
            "gap_staff_use",
            "share of civil-service capacity used, small minus large municipalities",
            "-",
            "neither",
            "staff_use_small - staff_use_large",
        ),
        _m(
            "staff_overloaded_share",
            "share of municipalities whose work this month exceeded their capacity",
            "-",
            "lower",
            "mean over municipalities of (work booked > capacity)",
        ),
        _m(
            "staff_coverage",
            "share of the month's work that got done (own staff plus hire), mean over municipalities",
            "-",
            "higher",
            "mean of min(1, (capacity + hired) / work); 1 when capacity.binding is false",
        ),
        _m(
            "staff_hired",
            "staff hired to fill part of the shortfall",
            "FTE",
            "neither",
            "sum of capacity.hire_share x max(0, work - capacity)",
        ),
        _m(
            "staff_hire_spending",
            "extra cost of that hire over own staff (part of admin_spending)",
            "EUR/month",
            "lower",
            "staff_hired x capacity.eur_per_fte_month x capacity.hire_premium",
        ),
    )


def municipal() -> tuple[Output, ...]:
    """The columns of municipalities.parquet, in the order the recorder writes them."""
    per_month = "EUR/month"
    return (
        _u("month", "step index; 0 = January 2015", "month", "neither", "model step counter"),
        _u("municipality", "municipality index", "-", "neither", "position in the geography"),
        _u("name", "municipality name", "-", "neither", "from the geography"),
        _u("population", "inhabitants", "people", "neither", "municipal population"),
        _u("region", "youth-care region index", "-", "neither", "from the geography"),
        _u("stance", "stance (0 cost control, 1 transformation)", "-", "neither", "the municipality's stance"),
        _u("budget", "budget of the month", per_month, "neither", "sum over domains"),
        _u(
            "spending",
            "spending of the month",
            per_month,
            "lower",
            "care + admin + wijkteam + prevention + cooperation",
        ),
        *(
            _u(f"spending_{d}", f"spending on {d}", per_month, "lower", "care plus overheads split by budget share")
            for d in DOMAINS
        ),
        *(_u(f"budget_{d}", f"budget for {d}", per_month, "neither", "ledger budget of the domain") for d in DOMAINS),
        _u("admin_spending", "admin spending", per_month, "lower", "ledger admin"),
        _u("cooperation_spending", "cooperation spending", per_month, "neither", "ledger cooperation"),
        _u("balance", "budget minus spending", per_month, "higher", "budget - spending"),
        _u("reserves", "reserves at the end of the month", "EUR", "higher", "the municipality's reserves"),
        _u(
            "bijstand_recipients",
            "bijstand recipients at the end of the month",
            "people",
            "lower",
            "income support stock",
        ),
        _u(
            "buig_budget",
            "BUIG budget of the month (income support, not the integration fund)",
            per_month,
            "neither",
            "a twelfth of the year's BUIG budget",
        ),
        _u(
            "bijstand_benefits",
            "bijstand benefits paid (from the BUIG)",
            per_month,
            "neither",
            "recipients at the start of the month x spending per recipient / 12",
        ),
        _u(
            "buig_result",
            "BUIG budget minus benefits paid (safety net apart)",
            per_month,
            "higher",
            "buig_budget - bijstand_benefits",
        ),
        _u(
            "buig_safety_net",
            "safety-net payment (vangnetuitkering), December only",
            per_month,
            "neither",
            "bijstand.safety_net_share x the year's BUIG deficit above the year's threshold",
        ),
        _u("in_care", "citizens in care", "people", "neither", "citizens in state IN_CARE"),
        _u("waiting", "citizens waiting for care", "people", "lower", "citizens in state WAITING"),
        _u("refused", "citizens refused care", "people", "lower", "citizens in state REFUSED"),
        _u("hidden", "citizens with a hidden need", "people", "lower", "citizens in state HIDDEN"),
        _u("wijkteam_cases", "citizens helped by a wijkteam", "people", "neither", "citizens in state WIJKTEAM"),
        _u("unmet", "citizens with unmet need (refused or hidden)", "people", "lower", "REFUSED or HIDDEN"),
        _u("escalations", "severity rises", "people/month", "lower", "ledger event count"),
        _u("recoveries", "recoveries", "people/month", "higher", "ledger event count"),
        _u("refusals", "assessments that refused care", "people/month", "lower", "ledger event count"),
        _u("burden", "burden of unmet need", "weighted people", "lower", "unmet people weighted by severity"),
        _u(
            "arrangement_form",
            "heaviest form of the municipality's arrangements (0 none, 1 light, 2 shared service, 3 centrumgemeente, "
            "4 WGR)",
            "-",
            "neither",
            "Form code",
        ),
        _u("memberships", "arrangements the municipality is in (one per task at most)", "-", "neither", "count"),
        *(
            _u(f"form_{task}", f"form of its arrangement for the task {task} (0 none)", "-", "neither", "Form code")
            for task in TASKS
        ),
        _u("energy", "cooperation energy", "-", "neither", "the municipality's energy"),
        _u("trust", "mean trust in partners (NaN if none)", "-", "higher", "mean over its arrangements' partners"),
        *(
            _u(
                f"need_index_{d}",
                f"need per inhabitant for {d} relative to the map's mean (urbanity, deprivation, age)",
                "-",
                "neither",
                "need multiplier of the municipality (population-weighted mean 1; static)",
            )
            for d in DOMAINS
        ),
        _u("staff_capacity", "civil-service capacity for the social domain", "FTE", "neither", "a * population ^ b"),
        _u("staff_use", "share of that capacity used (above 1: overloaded)", "-", "neither", "work / capacity"),
        *(
            _u(f"staff_use_{p}", f"share of capacity used for {p}", "-", "neither", f"{p} work / capacity")
            for p in STAFF_PURPOSES
        ),
        _u(
            "staff_coverage",
            "share of the month's work that got done (own staff plus hire)",
            "-",
            "higher",
            "min(1, (capacity + hired) / work)",
        ),
        _u(
            "cooperation_benefit",
            "what cooperating saved it this month (discounts, admin saved, net pooling transfers)",
            per_month,
            "higher",
            "ledger cooperation_benefit",
        ),
        _u("cooperation_hours", "civil-service hours spent on cooperation", "hours/month", "neither", "ledger"),
    )
