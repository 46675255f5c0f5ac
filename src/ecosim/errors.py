"""Errors that mean "bad input": the CLI reports them without a traceback and exits with 2."""


class InputError(ValueError):
    """A file, option or value the user gave cannot be used; the message says which and why."""
