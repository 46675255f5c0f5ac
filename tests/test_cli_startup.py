"""The command line starts quickly: ``--help`` and ``validate`` do not import the heavy stack.

Guard for issue 15: ``ecosim --help`` took about 2 s because every command imported pandas,
matplotlib, Mesa and the report before parsing its arguments.
"""

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecosim import cli

ROOT = Path(__file__).parent.parent
HEAVY = ("pandas", "matplotlib", "mesa", "dask", "pyarrow", "SALib", "ema_workbench", "scipy", "solara")

PROBE = """
import json, sys
from ecosim import cli
try:
    cli.main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(%r))))
"""


def _heavy_imports(*argv: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ("--help",),
        ("validate", "scenarios/regional_default.toml"),
        ("outputs", "--kind", "scalar"),
        ("report", "--help"),
    ],
    ids=["help", "validate", "outputs", "report-help"],
)
def test_light_commands_do_not_import_the_heavy_stack(argv):
    assert _heavy_imports(*argv) == []


def test_import_ecosim_is_lazy_but_complete():
    out = subprocess.run(
        [sys.executable, "-c", "import ecosim, sys; print('pandas' in sys.modules, 'mesa' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    assert out.stdout.split() == ["False", "False"]
    import ecosim

    for name in ecosim.__all__:
        assert getattr(ecosim, name) is not None
    assert set(ecosim.__all__) <= set(dir(ecosim))
    with pytest.raises(AttributeError):
        ecosim.no_such_thing  # noqa: B018


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_listed_help_line_is_the_modules_own(command):
    module, help_line = cli.COMMANDS[command]
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module).register(sub)
    listed = {a.dest: a.help for a in sub._choices_actions}
    assert listed[command] == help_line
