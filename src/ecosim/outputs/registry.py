"""The registry of every output: what it means, its unit, which way is better, how it is computed.

One place for what an output means. The recorder writes the ``monthly`` and ``municipal``
columns in this order; the report, the figures, calibration, EMA Workbench and the
``ecosim outputs`` command read their meaning, unit and direction from here; experiment and
calibration files are checked against it (:func:`check_names`); Parquet files carry each
column's unit as field metadata (:func:`with_units`, :func:`read_units`).

Entries are declared in :mod:`ecosim.outputs.declarations` (columns) and
:mod:`ecosim.outputs.scalars` (end-of-run scalars). Names can repeat across kinds
(``escalations`` is a monthly column, a municipal column and a scalar), so an output is
looked up by name and kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecosim.errors import InputError
from ecosim.outputs import declarations, scalars
from ecosim.outputs.declarations import KINDS, Better, Kind, Output

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "KINDS",
    "MODEL_COLUMNS",
    "MUNICIPAL_COLUMNS",
    "OUTPUTS",
    "SCALARS",
    "Better",
    "Kind",
    "Output",
    "UnknownOutputError",
    "check_names",
    "end_of_run",
    "axis_unit",
    "get",
    "label",
    "markdown_table",
    "names",
    "outputs",
    "read_units",
    "with_units",
]

OUTPUTS: tuple[Output, ...] = (*declarations.monthly(), *declarations.municipal(), *scalars.scalars())
"""Every output, by kind (monthly, municipal, scalar), each kind in file order."""

_BY_KIND: dict[str, dict[str, Output]] = {k: {o.name: o for o in OUTPUTS if o.kind == k} for k in KINDS}

MODEL_COLUMNS: tuple[str, ...] = tuple(_BY_KIND["monthly"])
"""Columns of model.parquet, in order."""

MUNICIPAL_COLUMNS: tuple[str, ...] = tuple(_BY_KIND["municipal"])
"""Columns of municipalities.parquet, in order."""

SCALARS: dict[str, Output] = _BY_KIND["scalar"]
"""End-of-run scalars an experiment may keep: name -> output (``.value(model_df)`` computes it)."""

KIND_FILES: dict[str, str] = {
    "monthly": "model.parquet",
    "municipal": "municipalities.parquet",
    "scalar": "runs.parquet",
}
"""Where each kind of output is stored."""


class UnknownOutputError(InputError):
    """An output name that is not in the registry; the message names it and the closest valid name."""


def outputs(kind: Kind | None = None) -> tuple[Output, ...]:
    """Every output, or those of one kind, in file order."""
    return OUTPUTS if kind is None else tuple(_BY_KIND[kind].values())


def names(kind: Kind) -> tuple[str, ...]:
    """Names of the outputs of one kind, in file order."""
    return tuple(_BY_KIND[kind])


def closest(name: str, kinds: Iterable[Kind]) -> str | None:
    """The valid output name of the given kinds most like ``name`` (None when nothing is close)."""
    valid = sorted({n for k in kinds for n in _BY_KIND[k]})
    found = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    return found[0] if found else None


def get(name: str, kind: Kind) -> Output:
    """The output ``name`` of ``kind``.

    Raises:
        UnknownOutputError: naming the output and the closest valid one.
    """
    try:
        return _BY_KIND[kind][name]
    except KeyError:
        check_names([name], [kind], "output")
        raise  # pragma: no cover - check_names raised


def label(name: str, kind: Kind = "monthly") -> str:
    """A short label of an output for legends ("hidden need", "unmet (refused, hidden)")."""
    return get(name, kind).label


SCALE_WORDS: dict[float, str] = {1e-6: "million", 1e-3: "thousand"}
"""How a figure says the scale of a money axis."""


def axis_unit(columns: Iterable[str], scale: float = 1.0, kind: Kind = "monthly") -> str:
    """An axis label for columns drawn together: their distinct units, scaled ('EUR million/month')."""
    units = []
    for c in columns:
        unit = get(c, kind).unit
        if scale != 1.0:
            word = SCALE_WORDS.get(scale, f"x {scale:g}")
            unit = unit.replace("EUR", f"EUR {word}", 1) if unit.startswith("EUR") else f"{unit} ({word})"
        unit = "share (0-1)" if unit == "-" else unit
        if unit not in units:
            units.append(unit)
    return ", ".join(units)


def check_names(wanted: Iterable[str], kinds: Iterable[Kind], source: str) -> None:
    """Refuse output names not in the registry, suggesting the closest valid name.

    Args:
        wanted: output names, as given in a file.
        kinds: the kinds of output allowed there (``monthly`` for series and calibration targets).
        source: where the names come from (file and key), put at the start of the message.

    Raises:
        UnknownOutputError: for the first unknown name (``InputError``, a ``ValueError``).
    """
    kinds = tuple(kinds)
    allowed = {n for k in kinds for n in _BY_KIND[k]}
    for name in wanted:
        if name not in allowed:
            what = " or ".join(kinds)
            guess = closest(name, kinds)
            hint = f"; did you mean '{guess}'?" if guess else ""
            raise UnknownOutputError(
                f"{source}: '{name}' is not a {what} output{hint} (`ecosim outputs` lists them all)"
            )


def end_of_run(df: pd.DataFrame, wanted: list[str] | None = None) -> dict[str, float]:
    """End-of-run scalars of one run's monthly table (all of them by default)."""
    return {n: SCALARS[n].value(df) for n in (wanted or list(SCALARS))}


def field_metadata(output: Output) -> dict[bytes, bytes]:
    """Parquet field metadata of one output: unit, meaning, better and kind."""
    return {
        b"unit": output.unit.encode(),
        b"meaning": output.meaning.encode(),
        b"better": output.better.encode(),
        b"kind": output.kind.encode(),
    }


def with_units(table: pa.Table, kind: Kind) -> pa.Table:
    """``table`` with each registered column's unit (and meaning) as Parquet field metadata.

    Columns not of ``kind`` (run ids, factors) are left as they are; data and column order
    do not change.
    """
    import pyarrow as pa

    known = _BY_KIND[kind]
    fields = [f.with_metadata(field_metadata(known[f.name])) if f.name in known else f for f in table.schema]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def write_parquet(df: pd.DataFrame, path: Path, kind: Kind) -> None:
    """Write ``df`` as ``df.to_parquet(path, index=False)`` does, with the units of ``kind``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(with_units(pa.Table.from_pandas(df, preserve_index=False), kind), path)


def read_units(source: str | Path | pa.Schema | pa.Table) -> dict[str, str]:
    """Units of the columns of a Parquet file (or Arrow schema or table) that carry one."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema: Any = source.schema if isinstance(source, pa.Table) else source
    if not isinstance(schema, pa.Schema):
        schema = pq.read_schema(source)
    return {f.name: f.metadata[b"unit"].decode() for f in schema if f.metadata and b"unit" in f.metadata}


def markdown_table(kind: Kind) -> str:
    """The outputs of one kind as a Markdown table (name, meaning, unit, better, how); docs/ODD.md holds these.

    Made by pandas ``to_markdown`` (pipe format); pandas is imported here, not at the top,
    so ``ecosim outputs`` stays quick.
    """
    import pandas as pd

    rows = [[f"`{o.name}`", o.meaning, o.unit, o.better, o.how] for o in outputs(kind)]
    frame = pd.DataFrame(rows, columns=["Name", "Meaning", "Unit", "Better", "How"], dtype=object)
    return frame.to_markdown(index=False, tablefmt="pipe", disable_numparse=True)


def as_records(kind: Kind | None = None) -> list[dict[str, str]]:
    """Outputs as plain records (for ``ecosim outputs --json``)."""
    return [
        {
            "name": o.name,
            "kind": o.kind,
            "file": KIND_FILES[o.kind],
            "unit": o.unit,
            "better": o.better,
            "meaning": o.meaning,
            "how": o.how,
        }
        for o in outputs(kind)
    ]
