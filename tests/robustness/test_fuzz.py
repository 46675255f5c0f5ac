"""Issue 16, item 11: fuzzing scenario and experiment files and CLI arguments.

Whatever the input, ecosim exits 0 or 2, prints no traceback and leaves nothing half-written
(no temporary files; a run's outputs all there or none). Commands run in-process through
``ecosim.cli.main``; only tiny worlds and a few months are ever simulated.
"""

from __future__ import annotations

import contextlib
import io
import math
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosim.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import BASE, TINY  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

PATHS = [
    "run.months", "run.seed", "run.agent_scale", "geography.source", "geography.csv_path",
    "geography.n_municipalities", "geography.n_regions", "geography.mean_population", "geography.min_population",
    "geography.population_sigma", "budget.cut_fraction", "budget.national_population", "demand.severity_at_onset",
    "demand.initial_clients_per_1000", "stance.initial_mean", "access.threshold", "cooperation.initial_form",
    "cooperation.forms.light", "entry.rate", "elections.interval_months", "nope.nothing", "extends",
]

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 2, 3, 0.5, 1e20, -1, 1200, 1201, 2**63]),
)
scalars = st.one_of(numbers, st.booleans(), st.text(max_size=12), st.sampled_from(["csv", "synthetic", "wgr", "x.csv"]))
values = st.one_of(scalars, st.lists(scalars, max_size=5), st.dictionaries(st.text(max_size=5), scalars, max_size=3))


def _key(k: str) -> str:
    return '"' + k.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def toml_value(v: object) -> str:
    """A TOML literal for ``v``: strings quoted, non-finite floats as nan/inf, tables inline."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _key(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def scenario_text(overrides: dict[str, object]) -> str:
    """A scenario on a tiny map with ``overrides`` (dotted paths) set, as TOML."""
    data: dict[str, object] = {
        "geography": {"n_municipalities": 2, "n_regions": 1, "mean_population": 3000},
        "run": {"agent_scale": 100},  # a fuzzed population that passes the guards still runs in seconds
    }
    for path, value in overrides.items():
        *parents, last = path.split(".")
        node = data
        for k in parents:
            if not isinstance(node.get(k), dict):
                node[k] = {}
            node = node[k]
        node[last] = value
    data.setdefault("extends", BASE)
    return "\n".join(f"{_key(k)} = {toml_value(v)}" for k, v in data.items()) + "\n"


def call(args: list[str]) -> tuple[int, str]:
    """Run the CLI in-process; its exit code and stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, err.getvalue()


def check_nothing_half_written(out: Path) -> None:
    if not out.exists():
        return
    temps = [p for p in out.rglob(".*") if p.name != ".ecosim.lock"]
    assert not temps, temps
    present = [(out / n).exists() for n in ("model.parquet", "municipalities.parquet", "run.json")]
    assert all(present) or not any(present), present


@SETTINGS
@given(
    overrides=st.dictionaries(st.sampled_from(PATHS), values, max_size=4),
    months=st.one_of(st.none(), st.integers(min_value=-3, max_value=3), st.just(5000)),
    command=st.sampled_from(["validate", "run"]),
    raw=st.one_of(st.none(), st.binary(max_size=40)),
)
def test_fuzzed_scenarios_exit_0_or_2_without_traceback(overrides, months, command, raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.toml"
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(scenario_text(overrides), encoding="utf-8")
        out = Path(tmp) / "out"
        args = [command, str(path)]
        if command == "run":
            args += ["--out", str(out), "--quiet", "--months", str(months if months is not None else 2)]
        code, err = call(args)
        assert code in (0, 2), err
        assert "Traceback" not in err, err
        check_nothing_half_written(out)


FACTOR_KEYS = ["path", "values", "labels", "bounds", "levels", "integer", "scale"]


@SETTINGS
@given(
    factors=st.dictionaries(
        st.text(alphabet="abcxyz_", min_size=1, max_size=4),
        st.dictionaries(
            st.sampled_from(FACTOR_KEYS),
            st.one_of(st.sampled_from(PATHS), values, st.lists(numbers, min_size=2, max_size=2)),
            max_size=3,
        ),
        max_size=2,
    ),
    design=st.dictionaries(
        st.sampled_from(["method", "samples", "trajectories", "levels", "base_samples", "bogus"]),
        st.one_of(st.sampled_from(["grid", "lhs", "oat", "morris", "sobol", "x"]), numbers),
        max_size=3,
    ),
    top=st.dictionaries(st.sampled_from(["months", "replications", "root_seed", "name", "junk"]), scalars, max_size=2),
)
def test_fuzzed_experiments_exit_0_or_2_without_traceback(factors, design, top):
    with tempfile.TemporaryDirectory() as tmp:
        lines = [f'scenario = "{BASE}"'] + [f"{k} = {toml_value(v)}" for k, v in top.items()]
        lines.append("[design]")
        lines += [f"{k} = {toml_value(v)}" for k, v in design.items()]
        for name, body in factors.items():
            lines.append(f"[factors.{name}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in body.items()]
        path = Path(tmp) / "exp.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, err = call(["validate", str(path)])
        assert code in (0, 2), err
        assert "Traceback" not in err, err


OPTION = st.one_of(
    st.sampled_from(["--months", "--seed", "--out", "--workers", "--scheduler", "--quiet", "--force", "--measure"]),
    st.text(max_size=8),
    st.integers(min_value=-5, max_value=10**7).map(str),
    st.sampled_from(["", "-1", "0", "nan", "1e9", "/dev/null", "/proc/version/x"]),
)


@SETTINGS
@given(command=st.sampled_from(["run", "sweep", "validate", "report", "calibrate"]), args=st.lists(OPTION, max_size=5))
def test_fuzzed_arguments_exit_0_or_2_without_traceback(tmp_path_factory, command, args):
    tmp = tmp_path_factory.mktemp("args")
    scenario = tmp / "tiny.toml"
    scenario.write_text(f'extends = "{BASE}"\n[geography]\nn_municipalities = 2\nn_regions = 1\nmean_population = 3000\n')
    experiment = tmp / "exp.toml"
    experiment.write_text(TINY.format(months=1, reps=1))
    target = {"run": scenario, "validate": scenario, "sweep": experiment, "report": tmp, "calibrate": experiment}[command]
    if command == "sweep" and "--scheduler" in args:
        args = [a for a in args if a != "--scheduler"]  # a real connection attempt takes seconds
    full = [command, str(target), *args]
    if command == "run" and "--out" not in args:
        full += ["--out", str(tmp / "out")]
    if command == "run" and "--months" not in args:
        full += ["--months", "1"]
    if command == "sweep":
        full += ["--out", str(tmp / "sweep_out"), "--workers", "1"] if "--out" not in args else ["--workers", "1"]
        if "--months" in args:
            return
    code, err = call(full)
    assert code in (0, 2), (full, err)
    assert "Traceback" not in err, (full, err)
