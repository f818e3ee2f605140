"""Delimited text read as category codes: each column's distinct cells kept once.

A response file of 100 000 rows and 100 items holds ten million cells but only a handful of
distinct answers per column. Read as Python strings, the cells alone take more than three
times the file (one pointer per cell); read here, batch by batch, as dictionary-encoded
columns (Arrow's CSV reader), they become one small integer code per cell plus each
column's distinct strings: a ``pandas.Categorical`` whose categories are in the order the
values first appear, which is the order ``pandas.factorize`` gives. Typing, parsing and
look-ups then run once per distinct value (see ``_distinct.py``). The header record is
skipped here (the caller has it from the C parser), and each batch's distinct values are
unified across batches by Arrow, so no Python loop runs over values or cells.

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
    r"""Parse the records after the header of valid UTF-8 text into one categorical per column.

    Returns ``None`` where the C parser must read the text instead (see the module
    docstring). Each categorical has ``object`` categories (Python strings) in the order
    of first appearance and code ``-1`` for a blank cell.

    Examples
    --------
    >>> cols = read_codes(b'a;b\n1;"x;y"\n1;\n', ";", 2)
    >>> [c.tolist() for c in cols]
    [['1', '1'], ['x;y', nan]]

    """
    if n_columns < 2 or b"\r" in data:
        return None
    import pyarrow as pa  # imported on first use: most sessions never read a CSV

    lead = 0  # blank lines before the header: Arrow counts them as records to skip
    while lead < len(data) and data[lead] == 0x0A:
        lead += 1
    try:
        columns = [_Codes() for _ in range(n_columns)]
        for batch in _batches(pa.py_buffer(data).slice(lead), delimiter, n_columns):
            for col, arr in zip(columns, batch.columns, strict=True):
                col.add(arr)
        return [col.categorical() for col in columns] if columns[0].parts else None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowCapacityError):
        return None
    finally:  # give the parser's buffers back to the system, not to the next read
        pa.default_memory_pool().release_unused()


def _batches(data: Any, delimiter: str, n_columns: int) -> Any:
    """Arrow's CSV reader over ``data``: dictionary-encoded batches, the header skipped."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{k}" for k in range(n_columns)]
    return pacsv.open_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows_after_names=1,
                                       use_threads=False, block_size=_BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"',
                                         double_quote=True, escape_char=False,
                                         newlines_in_values=True, ignore_empty_lines=True),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.dictionary(pa.int32(), pa.string())),
            null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
            check_utf8=False),  # the caller decoded the bytes as UTF-8 already
    )


class _Codes:
    """One column's codes: per batch, indices into the batch's own distinct values.

    The batches' values are unified once at the end (by Arrow), which gives each batch a
    map from its indices to the column's; a blank cell is ``-1`` (the map's last entry).
    """

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.values: list[Any] = []

    def add(self, arr: Any) -> None:
        values = arr.dictionary  # distinct in the batch, never null, in order of appearance
        self.values.append(values)
        self.parts.append(_indices(arr.indices, -1).astype(_width(len(values))))

    def categorical(self) -> pd.Categorical:
        maps, values = _unify(self.values)
        width = _width(len(values))
        codes = np.concatenate([np.append(m.astype(width), width(-1))[p]
                                for m, p in zip(maps, self.parts, strict=True)])
        self.parts = []
        cats = pd.Index(np.array(values.to_pylist(), dtype=object), dtype=object)
        return pd.Categorical.from_codes(codes, categories=cats, validate=False)


def _unify(values: list[Any]) -> tuple[list[np.ndarray], Any]:
    """Each batch's positions among the column's distinct values, and those values.

    The column's values are the batches' in order of first appearance (Arrow's dictionary
    unification keeps the first batch's order and appends each later batch's new values).
    """
    import pyarrow as pa

    chunks = [pa.DictionaryArray.from_arrays(pa.array(np.arange(len(v), dtype=np.int32)), v)
              for v in values]
    unified = pa.chunked_array(chunks).unify_dictionaries()
    maps = [c.indices.to_numpy() for c in unified.chunks]
    return maps, unified.chunk(0).dictionary


def _width(n: int) -> type[np.signedinteger[Any]]:
    """Return the narrowest signed integer type holding ``-1`` to ``n``."""
    return np.int8 if n < 127 else np.int16 if n < 32767 else np.int32


def _indices(ind: Any, blank: int) -> np.ndarray:
    """Return the int32 indices of an Arrow array as numpy, ``blank`` where null."""
    offset, n = ind.offset, len(ind)
    values = np.frombuffer(ind.buffers()[1], dtype=np.int32, count=offset + n)[offset:]
    if not ind.null_count:
        return values
    bits = np.unpackbits(np.frombuffer(ind.buffers()[0], dtype=np.uint8), count=offset + n,
                         bitorder="little")[offset:]
    return np.where(bits.astype(bool), values, blank)


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
