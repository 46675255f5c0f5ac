"""The month's books: money flows and event counts, reset at the start of each month.

Every phase writes what it spends or counts here; the finance phase closes the books and
the recorder reads them. Keeping flows in one place makes conservation checkable: a
municipality's budget equals its spending plus the change in its reserves, and what
municipalities pay for care is what providers bill.
"""

from __future__ import annotations

import numpy as np

SPENDING_KINDS: tuple[str, ...] = ("care", "admin", "wijkteam", "prevention", "cooperation")
"""Categories of municipal spending."""

EVENTS: tuple[str, ...] = (
    "new_needs",
    "presented",
    "found_hidden",
    "accepted",
    "refusals",
    "to_wijkteam",
    "referred",
    "started_care",
    "escalations",
    "recoveries",
    "resolved",
    "met_informally",
    "left",
    "continuity_breaks",
    "assessments_deferred",
)
"""Per-municipality event counts of a month (in people)."""


def accumulate(target: np.ndarray, index: np.ndarray, weights: np.ndarray) -> None:
    """``target[index] += weights`` with repeated indices summed (faster than ``np.add.at``)."""
    if len(index):
        target += np.bincount(index, weights=weights, minlength=len(target))


class Ledger:
    """The municipalities' books: this month's flows, last month's spending, this year so far.

    Flows (per municipality, and per domain for care and budget) are reset at the start
    of each month. :meth:`close_month` adds the month to the year-to-date totals, which
    start again in January, so December's record holds the whole calendar year.
    """

    def __init__(self, n_municipalities: int) -> None:
        self.n = n_municipalities
        n = n_municipalities
        self.year_budget = np.zeros((n, 3))
        """Budget received this calendar year so far, per domain [EUR]."""
        self.year_spending = np.zeros((n, 3))
        """Spending this calendar year so far, per domain (overheads split by budget share) [EUR]."""
        self.year_budget_total = np.zeros(n)
        """Budget received this calendar year so far [EUR]: the sum the council's result is judged on."""
        self.year_spending_total = np.zeros(n)
        """Everything spent this calendar year so far [EUR], overheads included even where a
        domain has no budget to attribute them to."""
        self.last_care = np.zeros(n)
        """Last month's care spending [EUR]."""
        self.last_admin = np.zeros(n)
        """Last month's admin spending [EUR]."""
        self.last_care_by_domain = np.zeros((n, 3))
        """Last month's care spending per domain [EUR]."""
        self.year_burden = np.zeros(n)
        """Burden of unmet need this calendar year so far, summed over month ends [weighted person-months]."""
        self.last_year_burden = np.full(n, np.nan)
        """The whole of last calendar year's burden (NaN before the first year has ended)."""
        self.year_buig_budget = np.zeros(n)
        """BUIG budget received this calendar year so far [EUR] (income support, not the integration fund)."""
        self.year_benefits = np.zeros(n)
        """Bijstand benefits paid this calendar year so far [EUR]."""
        self.year_safety_net = np.zeros(n)
        """Safety-net payments (vangnetuitkering) this calendar year so far [EUR]."""
        self.reset()

    def reset(self) -> None:
        """Open a new month's books."""
        n = self.n
        self.budget = np.zeros((n, 3))
        self.care = np.zeros((n, 3))
        self.admin = np.zeros(n)
        self.wijkteam = np.zeros(n)
        self.prevention = np.zeros(n)
        self.cooperation = np.zeros(n)
        self.buig_budget = np.zeros(n)  # income support: the BUIG, apart from the integration fund
        self.benefits = np.zeros(n)
        self.safety_net = np.zeros(n)
        self.reintegrated = np.zeros(n)  # people whose participation trajectory succeeded this month
        self.events = {e: np.zeros(n, dtype=np.int64) for e in EVENTS}
        self.wait_months_started = 0.0
        self.provider_revenue = 0.0
        self.provider_expense = 0.0
        self.provider_failures = 0
        self.provider_entries = 0
        self.arrangements_formed = 0
        self.arrangements_dissolved = 0
        # Cooperation's month (docs/ODD.md 7.8): its life events, the benefit members had, the hours it took.
        self.arrangements_switched = 0
        self.arrangements_deepened = 0
        self.arrangements_loosened = 0
        self.arrangements_split = 0
        self.members_joined = 0
        self.members_left = 0
        self.left_by_reason = {"fatigue": 0, "distrust": 0, "election": 0}
        self.cooperation_benefit = np.zeros(n)
        self.cooperation_hours = np.zeros(n)

    def count(self, event: str, municipality: np.ndarray, weight: float = 1.0) -> None:
        """Add events for the given municipalities (one entry per citizen agent)."""
        if len(municipality):
            self.events[event] += weight * np.bincount(municipality, minlength=self.n)

    def spending(self) -> np.ndarray:
        """Total municipal spending this month [EUR], per municipality: the integration fund's tasks.

        Bijstand benefits are not in it: they are paid from the BUIG (:meth:`buig_result`).
        """
        return self.care.sum(axis=1) + self.admin + self.wijkteam + self.prevention + self.cooperation

    def spending_by_domain(self) -> np.ndarray:
        """Spending per municipality and domain [EUR]: overheads split by budget share."""
        share = self.budget / np.maximum(self.budget.sum(axis=1, keepdims=True), 1e-9)
        overhead = (self.admin + self.wijkteam + self.prevention + self.cooperation)[:, None]
        return self.care + overhead * share

    def buig_result(self) -> np.ndarray:
        """This month's BUIG result per municipality: BUIG budget minus benefits paid [EUR] (safety net apart)."""
        return self.buig_budget - self.benefits

    def close_month(self, month: int) -> np.ndarray:
        """Add this month to the year so far (a new one from January); returns budget minus spending."""
        spending = self.spending()
        if month % 12 == 0:
            for total in (
                self.year_budget,
                self.year_spending,
                self.year_budget_total,
                self.year_spending_total,
                self.year_buig_budget,
                self.year_benefits,
                self.year_safety_net,
            ):
                total[:] = 0.0
        self.year_buig_budget += self.buig_budget
        self.year_benefits += self.benefits
        self.year_safety_net += self.safety_net
        self.year_budget_total += self.budget.sum(axis=1)
        self.year_spending_total += spending
        self.year_budget += self.budget
        self.year_spending += self.spending_by_domain()
        self.last_care = self.care.sum(axis=1)
        self.last_care_by_domain = self.care.copy()
        self.last_admin = self.admin.copy()
        return self.budget.sum(axis=1) - spending

    def add_burden(self, month: int, burden: np.ndarray) -> None:
        """Add this month's burden of unmet need (month-end stock) to the year so far."""
        if month % 12 == 0:
            self.year_burden[:] = 0.0
        self.year_burden += burden

    def close_burden_year(self) -> tuple[np.ndarray, np.ndarray]:
        """At year end: this year's and last year's burden; this year becomes last year."""
        this, last = self.year_burden.copy(), self.last_year_burden.copy()
        self.last_year_burden = this.copy()
        return this, last

    def recent_spending(self, municipality: int, domain: int | None = None) -> tuple[float, float]:
        """Last month's care and admin spending of a municipality [EUR]; of one domain when given.

        Admin is not booked by domain: a domain's share is its share of last month's care.
        """
        care, admin = float(self.last_care[municipality]), float(self.last_admin[municipality])
        if domain is None:
            return care, admin
        own = float(self.last_care_by_domain[municipality, domain])
        return own, admin * own / care if care > 0 else admin / 3.0
