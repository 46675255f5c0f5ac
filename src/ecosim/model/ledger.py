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
    "started_care",
    "escalations",
    "recoveries",
    "resolved",
    "left",
    "continuity_breaks",
)
"""Per-municipality event counts of a month (in people)."""


def accumulate(target: np.ndarray, index: np.ndarray, weights: np.ndarray) -> None:
    """``target[index] += weights`` with repeated indices summed (faster than ``np.add.at``)."""
    if len(index):
        target += np.bincount(index, weights=weights, minlength=len(target))


class Ledger:
    """Flows of one month, per municipality (and per domain for care and budget)."""

    def __init__(self, n_municipalities: int) -> None:
        self.n = n_municipalities
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
        self.coop_benefit = np.zeros(n)
        self.events = {e: np.zeros(n, dtype=np.int64) for e in EVENTS}
        self.wait_months_started = 0.0
        self.provider_revenue = 0.0
        self.provider_expense = 0.0
        self.provider_failures = 0
        self.provider_entries = 0
        self.arrangements_formed = 0
        self.arrangements_dissolved = 0

    def count(self, event: str, municipality: np.ndarray, weight: float = 1.0) -> None:
        """Add events for the given municipalities (one entry per citizen agent)."""
        if len(municipality):
            self.events[event] += weight * np.bincount(municipality, minlength=self.n)

    def spending(self) -> np.ndarray:
        """Total municipal spending this month [EUR], per municipality."""
        return self.care.sum(axis=1) + self.admin + self.wijkteam + self.prevention + self.cooperation

    def spending_by_domain(self) -> np.ndarray:
        """Spending per municipality and domain [EUR]: overheads split by budget share."""
        share = self.budget / np.maximum(self.budget.sum(axis=1, keepdims=True), 1e-9)
        overhead = (self.admin + self.wijkteam + self.prevention + self.cooperation)[:, None]
        return self.care + overhead * share
