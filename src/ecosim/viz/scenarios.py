"""Where the page finds scenario files, from any working directory.

The scenario files ship with the package (``ecosim/scenarios``, a link to the repository's
``scenarios/`` in a checkout, copies in an installed wheel). A path given by the user is
taken as it is when it exists; otherwise a bare or ``scenarios/...`` name falls back to the
bundled file of that name, so ``ecosim viz scenarios/national.toml`` works from ``/tmp`` too.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_NAME = "regional_default.toml"
"""The scenario shown when none is given."""


def bundled_dir() -> Path:
    """The folder of the scenario files that ship with ecosim."""
    return Path(str(resources.files("ecosim") / "scenarios")).resolve()


def default_scenario() -> Path:
    """The bundled default scenario file."""
    return bundled_dir() / DEFAULT_NAME


def resolve_scenario(path: str | Path | None) -> Path:
    """An existing scenario file for ``path``: as given, else the bundled file of that name."""
    if path is None or str(path) == "":
        return default_scenario()
    given = Path(path).expanduser()
    if given.exists():
        return given.resolve()
    bundled = bundled_dir() / given.name
    if bundled.exists() and (len(given.parts) == 1 or given.parent.name == "scenarios"):
        return bundled
    return given.resolve()  # missing: the loader reports it with its own message


def scenario_files(folder: Path) -> list[Path]:
    """The files the picker offers: the folder's ``*.toml`` and the bundled ones (by name, folder first)."""
    seen: dict[str, Path] = {}
    for p in [*sorted(Path(folder).glob("*.toml")), *sorted(bundled_dir().glob("*.toml"))]:
        seen.setdefault(p.name, p.resolve())
    return sorted(seen.values(), key=lambda p: p.name)
