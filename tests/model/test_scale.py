"""Representation scale: one agent standing for k people gives the same outputs within sampling error."""

import numpy as np
import pytest

import ecosim

OUTPUTS = {
    "spending": lambda d: d["spending"].sum(),
    "in_care_at_end": lambda d: d["in_care"].iloc[-1],
    "unmet_at_end": lambda d: d["unmet"].iloc[-1],
    "escalations": lambda d: d["escalations"].sum(),
    "burden": lambda d: d["burden"].sum(),
    "recoveries": lambda d: d["recoveries"].sum(),
}


def outputs(k: int, seeds: range) -> dict[str, np.ndarray]:
    runs = [ecosim.run("scenarios/regional_default.toml", months=36, seed=s, overrides={"run.agent_scale": k})
            for s in seeds]
    return {name: np.array([f(r.model_df) for r in runs], dtype=float) for name, f in OUTPUTS.items()}


@pytest.mark.slow
def test_k1_and_k10_agree_within_sampling_error(monkeypatch):
    monkeypatch.chdir(__import__("pathlib").Path(__file__).resolve().parents[2])
    seeds = range(4)
    one, ten = outputs(1, seeds), outputs(10, seeds)
    for name in OUTPUTS:
        a, b = one[name], ten[name]
        se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
        z = (b.mean() - a.mean()) / se
        assert abs(z) < 3.5, f"{name}: k=1 mean {a.mean():.0f}, k=10 mean {b.mean():.0f}, z = {z:.2f}"
        # And the scale really changes the number of agents, not the people they stand for.
        assert abs(b.mean() / a.mean() - 1) < 0.1, name


def test_scale_divides_agents_not_people():
    small = ecosim.Scenario().with_overrides({"geography.n_municipalities": 3, "geography.mean_population": 20_000})
    m1 = ecosim.EcosimModel(small.with_overrides({"run.agent_scale": 1}), seed=3)
    m5 = ecosim.EcosimModel(small.with_overrides({"run.agent_scale": 5}), seed=3)
    assert m5.citizens.n == pytest.approx(m1.citizens.n / 5, rel=0.02)
    m1.step()
    m5.step()
    r1, r5 = m1.recorder.rows[-1], m5.recorder.rows[-1]
    assert r5["in_care"] == pytest.approx(r1["in_care"], rel=0.05)
    assert r5["spending"] == pytest.approx(r1["spending"], rel=0.05)
