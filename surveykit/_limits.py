"""Input limits: the one place that bounds what an untrusted file may make surveykit do.

Survey exports, instruments and study files arrive from outside. Every reader checks what a
file claims (uncompressed sizes, row counts, sheet dimensions, nesting) against these limits
*before* it builds anything, and refuses with an error that names the file and the limit.
The defaults fit real surveys with a wide margin; raise one for an unusual file with
:func:`set_input_limits` (for the process) or :func:`input_limits` (for a ``with`` block).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["InputLimits", "get_input_limits", "input_limits", "set_input_limits"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class InputLimits:
    """Limits applied to every file surveykit reads.

    Parameters
    ----------
    max_file_bytes : int
        Size of a response file on disk.
    max_member_bytes : int
        Uncompressed size of one member of a zip container (``.xlsx``, ``.docx``).
    max_total_bytes : int
        Uncompressed size of all members of a zip container together.
    max_ratio : float
        Compression ratio (uncompressed / compressed) of a zip member larger than 1 MB, or
        of a whole ``.zsav``; real exports stay far below it.
    max_members : int
        Members of one zip container.
    max_rows : int
        Data rows of a response file (also the row count a binary header may claim).
    max_columns : int
        Columns of a response file.
    max_cells : int
        Rows times columns of a response file (or of a worksheet's used range).
    max_line_bytes : int
        Characters in one line of a text file (the header included).
    max_metadata_bytes : int
        Size of the metadata a Parquet file carries (schema and key/value metadata).
    binary_timeout_s : float
        Seconds the isolated SPSS/Stata parser may run before it is stopped.
    max_yaml_bytes : int
        Size of an instrument, deployment or study file.
    max_yaml_depth : int
        Nesting depth of a YAML document.
    max_yaml_nodes : int
        Nodes of a YAML document after expanding aliases (``*ref``); bounds "billion laughs".
    max_scalar_chars : int
        Characters of one YAML scalar; a number may have at most 100 digits.
    max_expression_chars : int
        Characters of one ``relevant``/``constraint`` expression.
    max_expression_depth : int
        Nesting depth of an expression: each operator in a chain and each unary minus
        counts 1, each parenthesis or function call 4.

    Examples
    --------
    >>> get_input_limits().max_columns
    10000

    """

    max_file_bytes: int = 2048 * _MB
    max_member_bytes: int = 512 * _MB
    max_total_bytes: int = 1024 * _MB
    max_ratio: float = 200.0
    max_members: int = 10_000
    max_rows: int = 10_000_000
    max_columns: int = 10_000
    max_cells: int = 500_000_000
    max_line_bytes: int = 4 * _MB
    max_metadata_bytes: int = 16 * _MB
    binary_timeout_s: float = 600.0
    max_yaml_bytes: int = 16 * _MB
    max_yaml_depth: int = 64
    max_yaml_nodes: int = 2_000_000
    max_scalar_chars: int = 1 * _MB
    max_expression_chars: int = 4000
    max_expression_depth: int = 100


_current = InputLimits()


def get_input_limits() -> InputLimits:
    """Return the input limits in force.

    Examples
    --------
    >>> get_input_limits().max_yaml_depth
    64

    """
    return _current


def set_input_limits(**changes: float) -> InputLimits:
    """Change input limits for the rest of the process; return the previous limits.

    Parameters
    ----------
    **changes
        Field names of :class:`InputLimits` and their new values.

    Returns
    -------
    InputLimits
        The limits in force before the change (pass them back with
        ``set_input_limits(**dataclasses.asdict(old))`` to restore them).

    Raises
    ------
    TypeError
        A name is not a field of ``InputLimits``.
    ValueError
        A value is not positive.

    Examples
    --------
    >>> old = set_input_limits(max_columns=20_000)
    >>> get_input_limits().max_columns
    20000
    >>> _ = set_input_limits(**dataclasses.asdict(old))

    """
    global _current
    names = {f.name for f in dataclasses.fields(InputLimits)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise TypeError(f"unknown input limit(s) {unknown}; known: {sorted(names)}.")
    bad = {k: v for k, v in changes.items() if not v > 0}
    if bad:
        raise ValueError(f"input limits must be positive, got {bad}.")
    previous = _current
    _current = dataclasses.replace(_current, **changes)  # type: ignore[arg-type]
    return previous


@contextlib.contextmanager
def input_limits(**changes: float) -> Iterator[InputLimits]:
    """Change input limits inside a ``with`` block only.

    Examples
    --------
    >>> with input_limits(max_rows=5) as lim:
    ...     lim.max_rows
    5
    >>> get_input_limits().max_rows
    10000000

    """
    previous = set_input_limits(**changes)
    try:
        yield _current
    finally:
        set_input_limits(**dataclasses.asdict(previous))


def limit_hint(name: str) -> str:
    """Say how to raise one limit, for error messages.

    Examples
    --------
    >>> limit_hint("max_rows")
    'raise it with surveykit.set_input_limits(max_rows=...) if the file is trusted'

    """
    return f"raise it with surveykit.set_input_limits({name}=...) if the file is trusted"
