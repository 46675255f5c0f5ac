"""Citizens registered with Mesa in bulk leave the registry Mesa's per-agent calls would (issue 17).

``CitizenTable`` creates and removes the month's citizen agents in bulk when nobody listens to
Mesa's agent signals; with a listener it makes them one by one through ``Agent.__init__`` and
``Agent.remove``. Both ways must give the same agents, ids, registry order and results.
"""

from __future__ import annotations

import logging

import pandas as pd
from mesa.experimental.mesa_signals import ModelSignals

from ecosim import EcosimModel
from ecosim.agents import Citizen
from ecosim.agents.citizen import _bulk_registration_ok

MONTHS = 8


def _registry(model: EcosimModel) -> tuple:
    return (
        model.agent_id_counter,
        [(type(a).__name__, a.unique_id) for a in model.agents],
        [a.unique_id for a in model.agents_by_type[Citizen]],
        [a.unique_id for a in model.citizens.agents[: model.citizens.n]],
        list(model.agents_by_type),
    )


def test_bulk_registration_leaves_the_registry_of_mesas_own_calls(small_scenario):
    scenario = small_scenario({"geography.n_municipalities": 4}, population=20_000)
    bulk = EcosimModel(scenario, seed=5)
    mesa_way = EcosimModel(scenario, seed=5)
    added, removed = [], []

    def on_added(signal):  # Mesa holds handlers by weak reference: keep them named here
        added.append(signal.additional_kwargs["args"][0])

    def on_removed(signal):
        removed.append(signal.additional_kwargs["args"][0])

    mesa_way.observe("agents", ModelSignals.AGENT_ADDED, on_added)
    mesa_way.observe("agents", ModelSignals.AGENT_REMOVED, on_removed)
    assert _bulk_registration_ok(bulk) and not _bulk_registration_ok(mesa_way)
    ids_before, n_before = mesa_way.agent_id_counter, len(mesa_way.agents_by_type[Citizen])
    bulk.run(MONTHS)
    mesa_way.run(MONTHS)

    assert _registry(bulk) == _registry(mesa_way)
    for model in (bulk, mesa_way):
        t = model.citizens
        assert len(model.agents_by_type[Citizen]) == t.n
        assert [a.unique_id for a in t.agents[: t.n]] == t["uid"].tolist()
        assert all(a.model is model and type(a) is Citizen for a in t.agents[: t.n])
        assert all(a is None for a in t.agents[t.n :])
        assert all(list(vars(a)) == ["model", "unique_id", "pos"] for a in t.agents[: t.n])
    pd.testing.assert_frame_equal(bulk.recorder.model_frame(), mesa_way.recorder.model_frame())
    # The observed model signalled every citizen that came and went.
    new = [a for a in added if isinstance(a, Citizen)]
    gone = [a for a in removed if isinstance(a, Citizen)]
    new_ids = [a.unique_id for a in new]
    assert len(new) > 0 and new_ids == sorted(set(new_ids)) and new_ids[0] >= ids_before
    later = {a.unique_id for a in mesa_way.agents_by_type[Citizen] if a.unique_id >= ids_before}
    assert later <= set(new_ids)
    assert len(gone) == n_before + len(new) - len(mesa_way.agents_by_type[Citizen]) > 0


def test_mesas_debug_log_still_names_every_citizen(small_scenario, caplog):
    """With Mesa's debug log on, citizens are registered Mesa's way, so the log stays complete."""
    model = EcosimModel(small_scenario({"geography.n_municipalities": 3}, population=20_000), seed=5)
    before, n_before = model.agent_id_counter, len(model.agents_by_type[Citizen])
    with caplog.at_level(logging.DEBUG, logger="MESA.mesa.model"):
        assert not _bulk_registration_ok(model)
        model.step()
    assert _bulk_registration_ok(model)
    messages = [r.getMessage() for r in caplog.records if r.name == "MESA.mesa.model"]
    born = [m for m in messages if m.startswith("registered Citizen")]
    citizen_ids = {a.unique_id for a in model.agents_by_type[Citizen]}
    assert born and {int(m.rsplit(" ", 1)[1]) for m in born} >= {i for i in citizen_ids if i >= before}
    gone = [m for m in messages if m.startswith("deregistered agent")]
    assert len(gone) >= n_before + len(born) - len(citizen_ids) > 0
