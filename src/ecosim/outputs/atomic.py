"""Atomic output writes and output-folder checks.

Every output file is written under a temporary name in its own folder (unique per process
and call: pid plus a random suffix, so concurrent writers never share one) and renamed
into place with :func:`os.replace`. A reader sees the old file or the new one, never half
of one; a failed write leaves the old file as it was and removes its temporary.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from ecosim.errors import InputError


def temp_name(path: Path) -> Path:
    """A hidden temporary name next to ``path``, unique to this process and call."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``, on failure it is removed."""
    path = Path(path)
    tmp = temp_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def check_out_folder(out: str | Path | None, option: str = "--out") -> Path:
    """The output folder, created and proven writable, before any simulation starts.

    Raises:
        InputError: when ``out`` is empty, names a file, cannot be created or is not writable.
    """
    if out is None or not str(out).strip():
        raise InputError(f"{option} must name a folder, got an empty string")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: {option} names a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = temp_name(folder / "write_probe")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"{folder}: {option} cannot be used: {exc.strerror or exc}") from None
    return folder


def output_error(folder: Path, exc: OSError) -> InputError:
    """A clear message for a failed write (full disk, no permission) into ``folder``."""
    why = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else (exc.strerror or str(exc))
    return InputError(f"{folder}: cannot write the outputs ({why}); files already there were left as they were")


def out_folder(text: str) -> Path:
    """An ``--out`` argument (argparse ``type``): a folder path, not an empty string (which would mean '.')."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder, got an empty string")
    return Path(text)


LOCK_NAME = ".ecosim.lock"
"""The lock file of a sweep's output folder (kept; only its lock matters)."""


@contextlib.contextmanager
def folder_lock(folder: Path, what: str = "sweep") -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (``fcntl.flock`` on its lock file) while writing to it.

    Raises:
        InputError: when another process holds it, naming that process when known.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    path = folder / LOCK_NAME
    with open(path, "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip()
            raise InputError(
                f"{folder}: another {what} is writing to this folder ({holder or 'unknown process'} holds "
                f"{path}); wait for it to finish or give another --out"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}\n")
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
