"""Errors that mean "bad input": the CLI reports them without a traceback and exits with 2."""


class InputError(ValueError):
    """A file, option or value the user gave cannot be used; the message says which and why."""


class GeographyError(ValueError):
    """Bad geography input (raised by :mod:`ecosim.model.geography`).

    The message names the file, the line (1-based, header = line 1) and column, and what is
    allowed; for synthetic() it names the argument and its allowed range. Defined here, not in
    the geography module, so that the command line can catch it without importing scipy.
    """
