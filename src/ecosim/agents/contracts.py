"""Contracts (inkoopcontracten) between buyers and providers, and the book that holds them.

A contract ties a buyer (a municipality, or an arrangement buying for its members) to a
provider in one domain for a period, at a price factor over the provider's unit cost and
with an accountability intensity that becomes reporting work at the provider.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MUNICIPALITY, ARRANGEMENT = 0, 1
"""Kinds of buyer."""


@dataclass
class Contract:
    """One contract between a buyer and a provider in one domain."""

    index: int
    buyer_kind: int  # MUNICIPALITY or ARRANGEMENT
    buyer: int  # municipality index or arrangement id
    provider: int
    domain: int
    start: int  # month
    end: int  # month of expiry (exclusive)
    price_factor: float  # price = provider unit cost x this
    admin_intensity: float  # accountability relative to heavy control
    joint_discount: float = 0.0  # share of the price removed by joint procurement
    terminated: bool = False  # ended early because the provider failed

    def active(self, month: int) -> bool:
        """Open for new clients this month."""
        return self.start <= month < self.end


class ContractBook:
    """All contracts ever made, indexed by buyer, with prices and accountability as arrays for billing."""

    def __init__(self) -> None:
        self.contracts: list[Contract] = []
        self.open: list[Contract] = []  # not yet expired; pruned each month
        self.price_factor = np.zeros(0)
        self.joint_discount = np.zeros(0)
        self.admin_intensity = np.zeros(0)
        self._by_buyer: dict[tuple[int, int, int], list[Contract]] = {}
        self._by_provider: dict[int, list[Contract]] = {}

    def add(self, before: Contract | None = None, **fields: float) -> Contract:
        """Record a new contract and return it.

        A buyer's contracts are kept in the order its citizens are placed (a tender's in score
        order); ``before`` puts the new one ahead of that contract of the same buyer and domain
        instead of last.
        """
        c = Contract(index=len(self.contracts), **fields)  # type: ignore[arg-type]
        self.contracts.append(c)
        self.open.append(c)
        mine = self._by_buyer.setdefault((c.buyer_kind, c.buyer, c.domain), [])
        mine.insert(mine.index(before) if before is not None and before in mine else len(mine), c)
        self._by_provider.setdefault(c.provider, []).append(c)
        if len(self.contracts) > len(self.price_factor):
            size = max(64, 2 * len(self.contracts))
            self.price_factor = np.resize(self.price_factor, size)
            self.joint_discount = np.resize(self.joint_discount, size)
            self.admin_intensity = np.resize(self.admin_intensity, size)
        self.price_factor[c.index] = c.price_factor
        self.joint_discount[c.index] = c.joint_discount
        self.admin_intensity[c.index] = c.admin_intensity
        return c

    def set_price_factor(self, contract: Contract, value: float) -> None:
        """Fix a contract's price factor (set once its provider's book of contracts is known)."""
        contract.price_factor = value
        self.price_factor[contract.index] = value

    def of_buyer(self, kind: int, buyer: int, domain: int) -> list[Contract]:
        """Every contract a buyer ever signed in one domain."""
        return self._by_buyer.get((kind, buyer, domain), [])

    def of_provider(self, provider: int) -> list[Contract]:
        """Every contract a provider ever signed."""
        return self._by_provider.get(provider, [])

    def for_buyer(self, kind: int, buyer: int, domain: int, month: int) -> list[Contract]:
        """Active contracts of one buyer in one domain."""
        return [c for c in self.of_buyer(kind, buyer, domain) if c.start <= month < c.end]  # c.active(month)

    def prune(self, month: int) -> None:
        """Forget expired contracts in the open list (they still bill their existing clients)."""
        self.open = [c for c in self.open if c.end > month]

    def end_provider(self, provider: int, month: int) -> None:
        """A failed provider's contracts end now, expired ones included (they may never be extended)."""
        for c in self.of_provider(provider):
            c.end = min(c.end, month)
            c.terminated = True
