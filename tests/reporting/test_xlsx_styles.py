"""The cached style setter and merge give the workbook plain openpyxl gives, byte for byte."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from surveykit.reporting._xlsx_styles import CellStyles

_RULE = Side(style="medium", color="1D2433")
_VALUES = {"fill": PatternFill("solid", fgColor="E8EDF3"), "top": Border(top=_RULE),
           "bottom": Border(bottom=Side(style="thin")), "head": Font(bold=True),
           "center": Alignment(horizontal="center")}


def _sheet_bytes(cached: bool) -> bytes:
    """A banner-like heading: filled and ruled rows, merged headings, unset cells merged."""
    st = CellStyles(_VALUES)
    book = Workbook()
    for ws in (book.active, book.create_sheet("two")):
        for row in (1, 2, 3):
            for col in range(1, 8):
                cell = ws.cell(row=row, column=col)
                st.set(cell, fill=st["fill"]) if cached else setattr(cell, "fill", st["fill"])
        for col in range(1, 8):
            cell = ws.cell(row=1, column=col)
            st.set(cell, border=st["top"]) if cached else setattr(cell, "border", st["top"])
        merges = [(1, 2, 4), (1, 5, 7), (2, 2, 3), (2, 4, 5), (3, 2, 3), (5, 1, 7), (6, 1, 2)]
        for row, first, last in merges:
            cell = ws.cell(row=row, column=first, value=f"{row}:{first}")
            if cached:
                st.set(cell, font=st["head"], alignment=st["center"])
                st.merge(ws, row, first, last)
            else:
                cell.font, cell.alignment = st["head"], st["center"]
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        for col in (2, 3):  # a border set on a merged cell after the merge
            cell = ws.cell(row=3, column=col)
            st.set(cell, border=st["bottom"]) if cached else setattr(cell, "border", st["bottom"])
        cell = ws.cell(row=4, column=2, value=0.5)
        st.set(cell, number_format="0%") if cached else setattr(cell, "number_format", "0%")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_cached_styles_and_merges_save_the_same_workbook() -> None:
    import zipfile

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as z:  # the zip stamps the time: compare parts
            return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps")}

    plain, cached = parts(_sheet_bytes(False)), parts(_sheet_bytes(True))
    assert plain == cached
    assert b"<mergeCell " in plain["xl/worksheets/sheet2.xml"]


def test_merged_range_is_registered_like_openpyxl() -> None:
    st = CellStyles(_VALUES)
    ws = Workbook().active
    for col in (1, 4):  # the second merge of the same styles takes the cached path
        st.set(ws.cell(row=1, column=col, value="x"), font=st["head"])
        st.merge(ws, 1, col, col + 2)
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:C1", "D1:F1"]
    assert [type(ws.cell(row=1, column=c)).__name__ for c in range(4, 7)] == [
        "Cell", "MergedCell", "MergedCell"]
    merged = next(r for r in ws.merged_cells.ranges if str(r) == "D1:F1")
    assert merged.start_cell is ws["D1"]
