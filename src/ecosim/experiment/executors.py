"""Where a sweep's runs execute: a local process pool or a Dask cluster, and how its workers stop.

Workers ignore Ctrl-C (the sweep process decides), die with the sweep process even after a
SIGKILL (the kernel's parent-death signal and a watcher thread), and report which run they
start, so a dead worker costs only its own run (:mod:`ecosim.experiment.runner`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from ecosim.errors import InputError

CONNECT_SECONDS = 5
"""How long a sweep tries to reach a Dask scheduler given by address before it gives up."""

GRACE_SECONDS = 1.0
"""How long an interrupted sweep waits for the runs in flight before it stops their workers."""

_PARENT_POLL_SECONDS = 0.5


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (a dead parent not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (not Linux): ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _watch_parent(parent: int, ppid: int) -> None:
    """In a worker: exit as soon as the sweep's process (or the worker's own parent) is gone."""
    while _alive(parent) and os.getppid() == ppid:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def _worker_init(parent: int, started: Any = None) -> None:
    """Start of every pool worker: leave interrupts to the sweep, die with it.

    Ctrl-C in a terminal reaches the whole process group; the workers ignore it and the
    sweep's process decides (cancel, stop workers). When the sweep's process dies, even by
    SIGKILL, the worker exits: Linux's parent-death signal covers the worker's own parent
    (the forkserver) and a thread polls the sweep's process every half second.
    """
    global _STARTED
    _STARTED = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    threading.Thread(target=_watch_parent, args=(parent, os.getppid()), daemon=True, name="ecosim-watch").start()


def _stop_pool(ex: cf.Executor, grace: float = GRACE_SECONDS) -> None:
    """Cancel every queued run, give the runs in flight ``grace`` seconds, then stop the workers."""
    if not isinstance(ex, cf.ProcessPoolExecutor):
        ex.shutdown(wait=False, cancel_futures=True)
        return
    procs = list((getattr(ex, "_processes", None) or {}).values())
    ex.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(1.0)
        if p.is_alive():
            p.kill()
            p.join(1.0)


@contextlib.contextmanager
def make_executor(workers: int | None, scheduler: str | None) -> Iterator[cf.Executor]:
    """The executor for a sweep: process pool, Dask LocalCluster ('local') or a Dask address.

    On an exception (an interrupt, a write that fails) queued runs are cancelled and the
    pool's workers stopped after a short grace, instead of waiting for every queued run.
    """
    # One run is one single-threaded task: keep numpy's BLAS from spawning a thread per core
    # in every worker (oversubscription on a 2-core machine cost about 15 % here).
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if scheduler is None:
        # forkserver: safe when the parent has threads (fork is not), cheaper than spawn.
        ctx = multiprocessing.get_context("forkserver")
        started = ctx.SimpleQueue()
        ex = cf.ProcessPoolExecutor(
            max_workers=workers or os.cpu_count() or 1,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(os.getpid(), started),
        )
        ex.ecosim_started = started  # type: ignore[attr-defined]
        try:
            yield ex
        except BaseException:
            _stop_pool(ex)
            raise
        ex.shutdown(wait=True)
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("--scheduler needs Dask: pip install 'ecosim[dask]'") from exc
    if scheduler == "local":
        with (
            LocalCluster(
                n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client.get_executor()
        return
    try:
        client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s")
    except Exception as exc:  # noqa: BLE001 - unreachable, refused or not an address: bad input
        raise InputError(
            f"--scheduler {scheduler}: no Dask scheduler answered there within {CONNECT_SECONDS} s "
            f"({type(exc).__name__}: {exc}); give 'local' or the tcp://HOST:PORT of a running scheduler"
        ) from None
    with client:
        yield client.get_executor()
