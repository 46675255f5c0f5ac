"""Issue 16, item 8: a lock on a sweep's output folder; temporary names unique per writer."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

from ecosim.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import env, tiny_experiment  # noqa: E402


def test_a_second_sweep_on_the_same_folder_is_refused(tmp_path, capsys):
    exp = tiny_experiment(tmp_path, reps=1)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".ecosim.lock", "a+") as held:  # another sweep holds the folder
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("pid 12345\n")
        held.flush()
        assert main(["sweep", str(exp), "--out", str(out), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert "another sweep" in err and "pid 12345" in err
        assert not (out / "manifest.json").exists()
    assert main(["sweep", str(exp), "--out", str(out), "--quiet", "--workers", "1"]) == 0  # released: runs


def test_concurrent_manifest_writes_do_not_collide(tmp_path):
    target, go = tmp_path / "manifest.json", tmp_path / "go"
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom ecosim.experiment.runner import _write_json\n"
        "print('ready', flush=True)\n"
        "while not Path(sys.argv[3]).exists():\n    time.sleep(0.001)\n"
        "for i in range(3000):\n    _write_json(Path(sys.argv[1]), {'writer': sys.argv[2], 'i': i})\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(target), str(n), str(go)],
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    go.touch()
    errs = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e[-300:] for e in errs]
    assert not [p for p in tmp_path.glob(".*")]
