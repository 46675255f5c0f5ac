"""Errors that mean "bad input" or "stop now": the CLI reports them without a traceback.

:class:`InputError` exits with 2; :class:`Interrupted` (SIGINT or SIGTERM) exits with
128 + the signal number (130 or 143), as a shell reports a process killed by it.
"""

import signal


class InputError(ValueError):
    """A file, option or value the user gave cannot be used; the message says which and why."""


class GeographyError(ValueError):
    """Bad geography input (raised by :mod:`ecosim.model.geography`).

    The message names the file, the line (1-based, header = line 1) and column, and what is
    allowed; for synthetic() it names the argument and its allowed range. Defined here, not in
    the geography module, so that the command line can catch it without importing scipy.
    """


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop (SIGINT or SIGTERM); ``signum`` says which."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        """128 + the signal number: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


class signals_interrupt:  # noqa: N801 - used as a context manager, like contextlib's
    """While active (in the main thread), SIGTERM and SIGINT raise :class:`Interrupted`.

    So a sweep stopped by a batch scheduler (SIGTERM) cleans up as on Ctrl-C: queued runs
    cancelled, workers stopped, finished runs kept. Handlers the program set itself are
    left alone; the previous handlers are restored on exit.
    """

    def __enter__(self) -> "signals_interrupt":
        import threading

        self._previous: dict[int, object] = {}
        if threading.current_thread() is not threading.main_thread():
            return self
        for sig, default in ((signal.SIGTERM, signal.SIG_DFL), (signal.SIGINT, signal.default_int_handler)):
            if signal.getsignal(sig) is default:
                self._previous[sig] = signal.signal(sig, _raise_interrupted)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)  # type: ignore[arg-type]
