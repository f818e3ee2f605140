"""Delimited text read as category codes: each column's distinct cells kept once.

A response file of 100 000 rows and 100 items holds ten million cells but only a handful of
distinct answers per column. Read as Python strings, the cells alone take more than three
times the file (one pointer per cell); read here, batch by batch, as dictionary-encoded
columns (Arrow's CSV reader), they become one small integer code per cell plus each
column's distinct strings: a ``pandas.Categorical`` whose categories are in the order the
values first appear, which is the order ``pandas.factorize`` gives. Typing, parsing and
look-ups then run once per distinct value (see ``_distinct.py``).

The cells are the same strings pandas' C parser reads (blank cells missing, nothing
stripped, quotes and doubled quotes resolved). Text the two parsers might read differently
is left to the C parser: a carriage return in the data (the C parser reads a bare CR as
data, Arrow as a line end), a single column (the C parser skips whitespace-only lines), and
any record Arrow refuses (ragged rows, an unclosed quote), so that the error message and
the padding of short rows stay the C parser's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["decode_columns", "read_codes"]

#: bytes of text per parsed batch: large enough that per-batch work is negligible, small
#: enough that the parser's buffers stay a fraction of a large file
_BLOCK_BYTES = 2 << 20


def read_codes(data: bytes, delimiter: str, n_columns: int) -> list[pd.Categorical] | None:
    r"""Parse valid UTF-8 text into one categorical per column, the header record included.

    Returns ``None`` where the C parser must read the text instead (see the module
    docstring). Each categorical has ``object`` categories (Python strings) and code
    ``-1`` for a blank cell.

    Examples
    --------
    >>> cols = read_codes(b'a;b\n1;"x;y"\n1;\n', ";", 2)
    >>> [c.tolist() for c in cols]
    [['a', '1', '1'], ['b', 'x;y', nan]]

    """
    if n_columns < 2 or b"\r" in data:
        return None
    import pyarrow as pa  # imported on first use: most sessions never read a CSV
    import pyarrow.csv as pacsv

    names = [f"c{k}" for k in range(n_columns)]
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        reader = pacsv.open_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False,
                                           block_size=_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"',
                                             double_quote=True, escape_char=False,
                                             newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, text), null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True,
                check_utf8=False),  # the caller decoded the bytes as UTF-8 already
        )
        columns = [_Codes() for _ in names]
        for batch in reader:
            for col, arr in zip(columns, batch.columns, strict=True):
                col.add(arr)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowCapacityError):
        return None
    return [col.categorical() for col in columns]


class _Codes:
    """One column's codes, batch by batch, against the column's growing list of values."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.parts: list[np.ndarray] = []

    def add(self, arr: Any) -> None:
        values = arr.dictionary.to_pylist()  # distinct in the batch, never null
        index = self.index
        new = [v for v in values if v not in index]
        if new:
            index.update(zip(new, range(len(index), len(index) + len(new)), strict=True))
        width = np.int8 if len(index) < 127 else np.int16 if len(index) < 32767 else np.int32
        lut = np.array([*map(index.__getitem__, values), -1], dtype=width)
        self.parts.append(lut[_indices(arr.indices, len(values))])

    def categorical(self) -> pd.Categorical:
        codes = np.concatenate(self.parts) if self.parts else np.empty(0, np.int32)
        cats = pd.Index(np.array(list(self.index), dtype=object), dtype=object)
        return pd.Categorical.from_codes(codes, categories=cats, validate=False)


def _indices(ind: Any, blank: int) -> np.ndarray:
    """Return the int32 indices of an Arrow array as numpy, ``blank`` where null."""
    offset, n = ind.offset, len(ind)
    values = np.frombuffer(ind.buffers()[1], dtype=np.int32, count=offset + n)[offset:]
    if not ind.null_count:
        return values
    bits = np.unpackbits(np.frombuffer(ind.buffers()[0], dtype=np.uint8), count=offset + n,
                         bitorder="little")[offset:]
    return np.where(bits.astype(bool), values, blank)


def body(column: pd.Categorical) -> pd.Categorical:
    """Drop the header record and the categories the body does not use.

    The categories of :func:`read_codes` are in the order of first appearance, header
    included, so the body's are in the order of their first appearance in the body (the
    order ``pandas.factorize`` gives), also when the header's text is an answer too.

    Examples
    --------
    >>> body(pd.Categorical(["q1", "3", "1", "3"], categories=["q1", "3", "1"])).tolist()
    ['3', '1', '3']
    >>> body(pd.Categorical(["q1", "3", "q1"], categories=["q1", "3"])).categories.tolist()
    ['3', 'q1']

    """
    codes = np.asarray(column.codes)
    first, rest = int(codes[0]), codes[1:]
    cats = column.categories
    if first >= 0 and (rest == first).any():  # the header's text is also an answer
        order = pd.unique(rest[rest >= 0])
    else:
        used = np.bincount(rest[rest >= 0], minlength=len(cats)) > 0
        order = np.flatnonzero(used)
    lut = np.full(len(cats) + 1, -1, dtype=rest.dtype)
    lut[order] = np.arange(len(order), dtype=rest.dtype)
    new = lut[rest]
    return pd.Categorical.from_codes(new, categories=cats[order], validate=False)


def decode_columns(frame: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
    """Turn the categorical columns not in ``keep`` back into Python strings (NaN if blank).

    Examples
    --------
    >>> f = pd.DataFrame({"a": pd.Categorical(["x", None]), "b": pd.Categorical(["y", "y"])})
    >>> decode_columns(f, {"b"}).dtypes.astype(str).tolist()
    ['object', 'category']

    """
    todo = [c for c in frame.columns
            if c not in keep and isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not todo:
        return frame
    return frame.assign(**{c: _strings(frame[c]) for c in todo})


def _strings(column: pd.Series) -> pd.Series:
    cat = column.array
    cats = np.concatenate([cat.categories.to_numpy(dtype=object), np.array([np.nan], object)])
    return pd.Series(cats[cat.codes], index=column.index, dtype=object)
