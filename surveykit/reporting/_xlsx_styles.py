"""openpyxl cell styles and merges set from a cache of whole style records.

Assigning ``cell.font = ...`` in openpyxl hashes the font to find it in the workbook's list,
and ``merge_cells`` adds a border to every cell of the range the same way: a banner workbook
spends most of its time hashing the same few style objects. A cell's style is a small array
of indexes into those lists, so the array a change leads to depends only on the array before
and the change. :class:`CellStyles` remembers that outcome: the first time a change is made
to a style array it goes through openpyxl as usual (which registers the font, fill or border
in the workbook in the same order as before); every later time the remembered array is
copied. The workbook saved is the same, byte for byte.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CellStyles"]


class CellStyles:
    """Named style values of one openpyxl workbook, and their setter remembering outcomes.

    ``styles[name]`` is one of the values given (a font, fill, border, alignment). Values
    are recognised by identity, so use these same objects for the same style (an equal
    object made anew is set through openpyxl again, which is correct but slower).

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> from openpyxl.styles import Font
    >>> ws = Workbook().active
    >>> styles = CellStyles({"bold": Font(bold=True)})
    >>> cells = [styles.set(ws.cell(row=1, column=c), font=styles["bold"]) for c in (1, 2)]
    >>> [c.font.bold for c in cells], cells[0].style_id == cells[1].style_id
    ([True, True], True)
    >>> styles.merge(ws, 1, 1, 2)
    >>> [str(r) for r in ws.merged_cells.ranges], type(ws["B1"]).__name__
    (['A1:B1'], 'MergedCell')

    """

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = dict(values)
        self._set: dict[tuple[Any, ...], Any] = {}
        self._merge: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}
        self._keep: list[Any] = []  # the values of the keys stay alive: ids stay theirs

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def set(self, cell: Any, **parts: Any) -> Any:
        """Set the styles given (``font=``, ``border=``, ``number_format=``...); return the cell.

        They are set in the order given, as assigning them one by one would.
        """
        key = (_state(cell), *[(name, id(value)) for name, value in parts.items()])
        style = self._set.get(key)
        if style is None:
            for name, value in parts.items():
                setattr(cell, name, value)
            self._set[key] = _copy(cell._style)
            self._keep.append(parts)
        else:
            cell._style = _copy(style)
        return cell

    def merge(self, ws: Any, row: int, first: int, last: int) -> None:
        """Merge columns ``first``..``last`` of one row, as ``ws.merge_cells`` does.

        The top-left cell keeps its value; the others become empty merged cells with the
        borders openpyxl gives them (the edges of the top-left cell's border).
        """
        from openpyxl.cell.cell import MergedCell

        cells = ws._cells
        start = cells.get((row, first))
        end = cells.get((row, last))
        key = (None if start is None else _state(start), None if end is None else _state(end),
               last > first + 1)
        known = self._merge.get(key)
        if known is None:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            inner = cells[(row, first + 1)]._style if last > first + 1 else None
            self._merge[key] = (_copy(cells[(row, first)]._style),
                                _copy(inner),
                                _copy(cells[(row, last)]._style))
            return
        head, inner, tail = known
        if start is None:
            start = ws.cell(row=row, column=first)
        start._style = _copy(head)
        for col in range(first + 1, last + 1):
            merged = MergedCell(ws, row=row, column=col)
            merged._style = _copy(tail if col == last else inner)
            cells[(row, col)] = merged
        ws.merged_cells.add(_merged_range(ws, start, row, first, last))


def _copy(style: Any) -> Any:
    """Return a new style array equal to ``style`` (a cell's own: openpyxl edits it in place)."""
    from openpyxl.styles.cell_style import StyleArray

    return None if style is None else StyleArray(style)


def _state(cell: Any) -> tuple[int, ...] | None:
    """Return a cell's style array as a key (None: never styled)."""
    return None if cell._style is None else tuple(cell._style)


def _merged_range(ws: Any, start: Any, row: int, first: int, last: int) -> Any:
    """Return a ``MergedCellRange`` of one row whose cells' borders are already in place.

    Its constructor would add the bottom-right cell's border to the top-left cell again.
    """
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    merged = MergedCellRange.__new__(MergedCellRange)
    CellRange.__init__(merged, min_col=first, min_row=row, max_col=last, max_row=row)
    merged.ws, merged.start_cell = ws, start
    return merged
