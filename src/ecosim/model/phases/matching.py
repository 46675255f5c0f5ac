"""Phase 3, matching: accepted citizens go to contracted providers with free places.

The most severe and longest waiting go first. A municipality may place citizens with its
own contracted providers and with those its arrangement for the domain contracted for all members.
Municipalities take turns in random order, since providers' places are shared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import ARRANGEMENT, MUNICIPALITY, CitizenState

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def match(model: EcosimModel) -> None:
    """Place waiting citizens; those left keep waiting."""
    t = model.citizens
    rows = t.rows_in(CitizenState.WAITING)
    if len(rows) == 0:
        return
    muni = t["municipality"][rows]
    dom = t["primary"][rows]
    # Priority: municipality, domain, then severity (high first), then months waiting (long first).
    order = np.lexsort((-t["months_waiting"][rows], -t["severity"][rows], dom, muni))
    rows, muni, dom = rows[order], muni[order], dom[order]
    key = muni.astype(np.int64) * 3 + dom
    starts = np.searchsorted(key, np.arange(model.n_municipalities * 3))
    ends = np.searchsorted(key, np.arange(model.n_municipalities * 3), side="right")
    book = model.contracts
    placed_rows, placed_prov, placed_contract = [], [], []
    for i in model.rng.permutation(model.n_municipalities).tolist():
        for d in range(3):
            lo, hi = starts[i * 3 + d], ends[i * 3 + d]
            if lo == hi:
                continue
            arr = model.arrangements.arrangement_of(i, d)
            contracts = book.for_buyer(MUNICIPALITY, i, d, model.month)
            if arr is not None and arr.set_up(i, model.month):
                contracts = contracts + book.for_buyer(ARRANGEMENT, arr.unique_id, d, model.month)
            for c in contracts:
                pr = model.providers[c.provider]
                take = min(pr.free_places(model.rng.random()), hi - lo)
                if take <= 0:
                    continue
                placed_rows.append(rows[lo : lo + take])
                placed_prov.append(np.full(take, pr.index))
                placed_contract.append(np.full(take, c.index))
                pr.clients += take
                lo += take
                if lo == hi:
                    break
    if not placed_rows:
        return
    placed = np.concatenate(placed_rows)
    t.col["provider"][placed] = np.concatenate(placed_prov)
    t.col["contract"][placed] = np.concatenate(placed_contract)
    model.ledger.wait_months_started += float(t["months_waiting"][placed].sum()) * model.k
    model.ledger.count("started_care", t["municipality"][placed], model.k)
    t.set_state(placed, CitizenState.IN_CARE)
