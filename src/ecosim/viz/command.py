"""``ecosim viz``: serve the visual page for one scenario (Solara, works offline).

The page runs in a ``solara run APP --production`` child process; the scenario file goes
to it through an environment variable. Ctrl-C (or SIGTERM) stops the child and returns 0.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import FrameType

from ecosim.checks import check_months
from ecosim.errors import InputError
from ecosim.scenario import load_scenario
from ecosim.viz.scenarios import DEFAULT_NAME, resolve_scenario

SCENARIO_ENV = "ECOSIM_VIZ_SCENARIO"  # as ecosim.viz.app reads it (not imported: that loads Solara and Mesa)
COMPARE_ENV = "ECOSIM_VIZ_COMPARE"

APP = Path(__file__).with_name("app.py")
"""The Solara page the server runs."""

STOP_GRACE_S = 10.0
"""Seconds the server gets to close its sessions before it is killed."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``viz`` subcommand to the ``ecosim`` command line."""
    p = subparsers.add_parser(
        "viz",
        help="serve the visual page (Mesa's SolaraViz): cost control and transformation side by side, or one run",
        description="Start a local web server (Mesa's SolaraViz, no internet needed) showing SCENARIO run twice "
        "side by side with the same seed, as cost control and as transformation (initial stance 0.1 and 0.9), "
        "or once (--single): step or play it month by month, move the levers and press Reset, or pick "
        "another scenario file. Each browser tab has its own runs. Ctrl-C stops the server.",
    )
    p.add_argument(
        "scenario",
        type=Path,
        nargs="?",
        default=None,
        help="scenario TOML file, or the name of a bundled one; the picker offers its folder's files and the "
        f"bundled ones (default: the bundled {DEFAULT_NAME})",
    )
    p.add_argument("--single", action="store_true", help="start with one run rather than two side by side")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default: 8765)")
    p.add_argument(
        "--measure",
        type=int,
        default=None,
        metavar="MONTHS",
        help="serve nothing: time MONTHS steps with rendering, as the page does, and print the medians",
    )
    p.add_argument("--force", action="store_true", help="allow --measure above 1,200 months")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve the page until interrupted (or, with ``--measure``, print the step timing)."""
    args.scenario = resolve_scenario(args.scenario)  # found from any working directory
    scenario = load_scenario(args.scenario)  # a bad file stops here, with its message
    if args.measure is not None:
        if args.measure < 1:
            raise InputError(f"--measure must be at least 1 month, got {args.measure}")
        check_months(args.measure, "--measure", force=args.force)
        from ecosim.viz.timing import measure

        print(f"{scenario.name}: {measure(args.scenario, args.measure, compare=not args.single)}")
        return 0
    check_address(args.host, args.port)
    url = f"http://{f'[{args.host}]' if ':' in args.host else args.host}:{args.port}"
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(APP),
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-open",
        "--no-check-version",  # it asks PyPI, synchronously: pointless offline
    ]
    env = {**os.environ, SCENARIO_ENV: str(args.scenario), COMPARE_ENV: "0" if args.single else "1"}
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # no calls home: many users are offline
    mode = "one run" if args.single else "cost control and transformation side by side"
    print(f"ecosim viz: {scenario.name}, {mode}, at {url} (Ctrl-C stops)", flush=True)
    return serve(cmd, env)


def check_address(host: str, port: int) -> None:
    """Fail early, with a clear message, if the server could not listen there."""
    if not 1 <= port <= 65535:
        raise InputError(f"--port must be 1..65535, got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            s.bind(infos[0][4])
    except OSError as exc:
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --host/--port"
        ) from None


class _Stop(Exception):
    """SIGTERM arrived: stop like Ctrl-C."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def serve(cmd: list[str], env: dict[str, str]) -> int:
    """Run the server until it exits or we are interrupted; always leave no child behind."""
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    proc: subprocess.Popen[bytes] | None = None
    try:
        proc = subprocess.Popen(cmd, env=env)
        code = proc.wait()
    except (KeyboardInterrupt, _Stop):
        if proc is not None:
            stop(proc)
        print("ecosim viz: stopped", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
    if code != 0:
        print(f"ecosim viz: the server exited with code {code}", file=sys.stderr)
        return 1
    # The server stopped by itself, e.g. on a Ctrl-C that reached it while this process
    # ignores SIGINT (started in the background by a non-interactive shell).
    print("ecosim viz: stopped", file=sys.stderr)
    return 0


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ask the server to shut down, then insist; a second Ctrl-C kills it at once."""
    try:
        # Ctrl-C in a terminal has already reached the child (same process group): give it a moment.
        proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
