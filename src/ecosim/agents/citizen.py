"""Citizen in need (inwoner met een hulpvraag): a Mesa agent whose state lives in columns.

Every citizen is a Mesa agent (``model.agents_by_type[Citizen]``), but its numeric state is
a row in :class:`CitizenTable`, the pattern of Mesa's ``NumpyAgentDataSet``: each monthly
phase is one vectorised operation over the columns, not a Python call per citizen. The
table is owned by the model (not installed on the class) so that several models can live
in one process. Stock counts per municipality, state and severity are kept as running
counters, updated at each transition, so outputs never scan all citizens.
"""

from __future__ import annotations

import logging
from enum import IntEnum
from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.agentset import _HardKeyAgentSet
from mesa.experimental.mesa_signals import ModelSignals

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


class CitizenState(IntEnum):
    """Where a citizen stands in the life cycle of a need."""

    HIDDEN = 0  # need exists, not (yet) presented at the front office
    PRESENTING = 1  # presented this month, to be assessed
    WAITING = 2  # accepted, waiting for a place at a contracted provider
    IN_CARE = 3  # receiving care from a provider
    WIJKTEAM = 4  # handled by the neighbourhood team itself
    REFUSED = 5  # refused at the front office; need unmet


N_STATES = len(CitizenState)
UNMET_STATES = (CitizenState.HIDDEN, CitizenState.WAITING, CitizenState.REFUSED)
"""States in which a need goes unmet (they accrue burden and may escalate)."""

COLUMNS: dict[str, type] = {
    "municipality": np.int32,
    "domains": np.uint8,  # bit mask: 1 jeugd, 2 wmo, 4 participatie
    "primary": np.int8,  # domain that leads the care trajectory
    "n_domains": np.int8,
    "severity": np.int8,
    "state": np.int8,
    "provider": np.int32,  # -1 when not in care
    "contract": np.int32,  # contract billed, -1 when none
    "integrated": np.bool_,  # one integrated plan for a multi-problem household
    "months_waiting": np.int16,
    "months_unmet": np.int16,
    "escalations": np.int16,
    "arrival": np.int16,
    "cost": np.float64,  # care cost so far [EUR per person]
    "uid": np.int64,  # the row's Mesa agent: its unique_id
}


class Citizen(mesa.Agent):
    """A citizen with a need for support; attributes read the model's citizen table.

    The table's ``uid`` column says which row is the citizen's; the agent keeps no row of its
    own, so moving rows (when others leave the table) never touches the agents.
    """

    def __init__(self, model: EcosimModel, *, _unique_id: int | None = None) -> None:
        """A citizen agent, registered with the model by Mesa's ``Agent.__init__``.

        ``_unique_id`` is for :func:`register_citizens` only, which registers a batch itself
        and has taken the id from Mesa's counter: the agent then gets the attributes
        ``Agent.__init__`` sets, in its order. (Storing them here also lets CPython size each
        citizen's attribute storage for three attributes, not its default of about 40.)
        """
        if _unique_id is None:
            super().__init__(model)
            return
        self.model = model
        self.unique_id = _unique_id
        self.pos = None

    @property
    def row(self) -> int:
        """The citizen's row in the model's citizen table (a scan of one column: for inspection)."""
        t = self.model.citizens
        where = np.flatnonzero(t["uid"] == self.unique_id)
        if len(where) != 1:
            raise LookupError(f"citizen {self.unique_id} is no longer in the citizen table")
        return int(where[0])

    def _get(self, name: str) -> int | float:
        return self.model.citizens.col[name][self.row].item()

    @property
    def state(self) -> CitizenState:
        """Current life-cycle state."""
        return CitizenState(self._get("state"))

    @property
    def severity(self) -> int:
        """Need level: 0 light, 1 moderate, 2 severe, 3 specialist."""
        return int(self._get("severity"))

    @property
    def municipality(self) -> int:
        """Index of the home municipality."""
        return int(self._get("municipality"))

    @property
    def history(self) -> dict[str, float]:
        """The citizen's own record: months waiting and unmet, escalations, cost."""
        return {k: self._get(k) for k in ("months_waiting", "months_unmet", "escalations", "cost", "arrival")}


_CITIZEN_INIT = Citizen.__init__
_CHUNK = 1 << 16
_MESA_MODEL_LOGGER = logging.getLogger("MESA.mesa.model")  # mesa.model's module logger


def _bulk_registration_ok(model: mesa.Model) -> bool:
    """Whether Mesa's per-agent registration would do nothing but fill its registry.

    ``Agent.__init__`` and ``Agent.remove`` also emit the model's ``agents`` signals, feed
    Mesa's data registry and write a debug log line. When none of these has a listener (no
    observer of the signals, no dataset tracking citizens, debug logging off) and the model
    keeps Mesa's own ``register_agent``/``deregister_agent``, registering a batch directly
    leaves exactly the registry the per-agent calls would: the same ``unique_id`` from
    ``agent_id_counter``, the same agents in the same order in ``model.agents`` and
    ``model.agents_by_type[Citizen]``. Otherwise citizens are made one by one, Mesa's way.

    This reads Mesa 3.5's registry internals (``_all_agents``, ``_agents_by_type``, their
    ``_agents`` dicts); a Mesa without them gets Mesa's own calls.
    tests/model/test_agent_registry.py compares both ways.
    """
    try:
        return (
            Citizen.__init__ is _CITIZEN_INIT
            and Citizen.remove is mesa.Agent.remove
            and type(model).register_agent is mesa.Model.register_agent
            and type(model).deregister_agent is mesa.Model.deregister_agent
            and not Citizen._datasets
            and model._batch_context is None
            and not model._has_subscribers("agents", ModelSignals.AGENT_ADDED)
            and not model._has_subscribers("agents", ModelSignals.AGENT_REMOVED)
            and not _MESA_MODEL_LOGGER.isEnabledFor(logging.DEBUG)
            and type(model._all_agents) is _HardKeyAgentSet
            and type(model._all_agents._agents) is dict
            and type(model._agents_by_type) is dict
        )
    except AttributeError:
        return False


def register_citizens(model: EcosimModel, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``k`` new citizen agents, registered with the model one after the other, and their unique_ids.

    The same as ``[Citizen(model) for _ in range(k)]``, in bulk when
    :func:`_bulk_registration_ok`: several times cheaper than Mesa's per-agent calls, which
    were about half of the month (docs/PERFORMANCE.md, issue 17).
    """
    if k == 0:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    if not _bulk_registration_ok(model):
        agents = [Citizen(model) for _ in range(k)]
        return np.fromiter(agents, dtype=object, count=k), np.array([a.unique_id for a in agents], dtype=np.int64)
    first = model.agent_id_counter
    agents = [Citizen(model, _unique_id=uid) for uid in range(first, first + k)]
    model.agent_id_counter = first + k
    if Citizen not in model._agents_by_type:
        model._agents_by_type[Citizen] = _HardKeyAgentSet([], random=model.random)
    everyone, own = model._all_agents._agents, model._agents_by_type[Citizen]._agents
    for start in range(0, k, _CHUNK):  # in chunks: the world's first million citizens need no second copy
        fresh = dict.fromkeys(agents[start : start + _CHUNK])
        everyone.update(fresh)
        own.update(fresh)
    return np.fromiter(agents, dtype=object, count=k), np.arange(first, first + k, dtype=np.int64)


def deregister_citizens(model: EcosimModel, agents: list[Citizen]) -> None:
    """Remove citizen agents from the model: ``agent.remove()`` for each, in bulk when allowed."""
    if not _bulk_registration_ok(model):
        for agent in agents:
            agent.remove()
        return
    everyone = model._all_agents._agents
    own = model._agents_by_type[Citizen]._agents
    for agent in agents:
        # Mesa's deregister_agent: by type, then all; a missing agent is ignored (Agent.remove)
        if own.pop(agent, False) is None:
            everyone.pop(agent, None)


class CitizenTable:
    """Columnar state of all active citizens, with running counters per municipality."""

    def __init__(self, model: EcosimModel, n_municipalities: int, capacity: int = 1024) -> None:
        self.model = model
        self.n = 0
        self.col: dict[str, np.ndarray] = {k: np.zeros(capacity, dtype=t) for k, t in COLUMNS.items()}
        self.agents = np.full(capacity, None, dtype=object)  # the Citizen agent of each row
        # counts[municipality, state, severity]: citizens (agents) now in each cell.
        self.counts = np.zeros((n_municipalities, N_STATES, 4), dtype=np.int64)
        # by_domain[municipality, primary domain, state]: the same citizens by leading domain.
        self.by_domain = np.zeros((n_municipalities, 3, N_STATES), dtype=np.int64)

    # -- views ---------------------------------------------------------------------------
    def __getitem__(self, name: str) -> np.ndarray:
        """The active part of a column (a view)."""
        return self.col[name][: self.n]

    def rows_in(self, *states: CitizenState) -> np.ndarray:
        """Row indices of citizens in any of the given states."""
        state = self["state"]
        mask = state == states[0]
        for s in states[1:]:
            mask |= state == s
        return np.flatnonzero(mask)

    def _tally_domain(self, rows: np.ndarray, sign: int) -> None:
        """Add ``sign`` to the by-domain counters of the given rows."""
        flat = (self["municipality"][rows].astype(np.int64) * 3 + self["primary"][rows]) * N_STATES + self["state"][
            rows
        ]
        self.by_domain += sign * np.bincount(flat, minlength=self.by_domain.size).reshape(self.by_domain.shape)

    def _tally(self, m: np.ndarray, s: np.ndarray, v: np.ndarray, sign: int) -> None:
        """Add ``sign`` to the counters of each (municipality, state, severity) given."""
        flat = (m.astype(np.int64) * N_STATES + s) * 4 + v
        self.counts += sign * np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape)

    # -- transitions -----------------------------------------------------------------------
    def add(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """Append new citizens (one Mesa agent each); returns their rows."""
        k = len(values["municipality"])
        if k == 0:
            return np.empty(0, dtype=np.int64)
        self._reserve(self.n + k)
        rows = np.arange(self.n, self.n + k)
        for name, col in self.col.items():
            col[rows] = values.get(name, -1 if name in ("provider", "contract") else 0)
        self.n += k
        self.agents[rows], self.col["uid"][rows] = register_citizens(self.model, k)
        self._tally(self["municipality"][rows], self["state"][rows], self["severity"][rows], 1)
        self._tally_domain(rows, 1)
        return rows

    def set_state(self, rows: np.ndarray, state: int | np.ndarray) -> None:
        """Move citizens to a new state, keeping the counters true."""
        if len(rows) == 0:
            return
        m, s, v = self["municipality"][rows], self["state"][rows], self["severity"][rows]
        self._tally(m, s, v, -1)
        self._tally_domain(rows, -1)
        self.col["state"][rows] = state
        self._tally(m, self["state"][rows], v, 1)
        self._tally_domain(rows, 1)

    def set_severity(self, rows: np.ndarray, severity: np.ndarray) -> None:
        """Change need levels, keeping the counters true."""
        if len(rows) == 0:
            return
        m, s, v = self["municipality"][rows], self["state"][rows], self["severity"][rows]
        self._tally(m, s, v, -1)
        self.col["severity"][rows] = severity
        self._tally(m, s, self["severity"][rows], 1)

    def remove(self, rows: np.ndarray) -> None:
        """Remove citizens whose need ended (recovered, resolved, left).

        Holes below the new end are filled with the last rows (swap-with-last in a batch),
        so the cost is proportional to the number removed, not to the table size.
        """
        rows = np.asarray(rows)
        if len(rows) > 1 and not bool(np.all(rows[1:] > rows[:-1])):  # most callers pass sorted rows
            rows = np.unique(rows)
        k = len(rows)
        if k == 0:
            return
        self._tally(self["municipality"][rows], self["state"][rows], self["severity"][rows], -1)
        self._tally_domain(rows, -1)
        gone = self.agents[rows]
        deregister_citizens(self.model, gone.tolist())
        new_n = self.n - k
        holes = rows[rows < new_n]
        tail = np.arange(new_n, self.n)
        keep = np.ones(len(tail), dtype=bool)
        keep[rows[rows >= new_n] - new_n] = False
        movers = tail[keep]
        for col in self.col.values():
            col[holes] = col[movers]
        self.agents[holes] = self.agents[movers]
        self.agents[new_n : self.n] = None
        self.n = new_n

    def _reserve(self, size: int) -> None:
        cap = len(self.agents)
        if size <= cap:
            return
        new_cap = max(size, int(cap * 1.5) + 1024)
        for name, col in self.col.items():
            grown = np.zeros(new_cap, dtype=col.dtype)
            grown[:cap] = col
            self.col[name] = grown
        grown = np.full(new_cap, None, dtype=object)
        grown[:cap] = self.agents
        self.agents = grown

    # -- checks ----------------------------------------------------------------------------
    def recount_by_domain(self) -> np.ndarray:
        """By-domain counters recomputed from a full scan (for tests)."""
        flat = (self["municipality"].astype(np.int64) * 3 + self["primary"]) * N_STATES + self["state"]
        return np.bincount(flat, minlength=self.by_domain.size).reshape(self.by_domain.shape)

    def recount(self) -> np.ndarray:
        """Counters recomputed from a full scan (for tests of the running counters)."""
        flat = (self["municipality"].astype(np.int64) * N_STATES + self["state"]) * 4 + self["severity"]
        return np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape)
