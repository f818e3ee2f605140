"""The appendix content model: an Appendix of nested Sections holding text, tables, figures.

The model is format-independent; ``_html``, ``_docx``, ``_xlsx`` and ``_pdf`` render it.
Text enters the model without the control characters XML forbids (labels and answers may
carry them; Word and Excel files cannot).
Figures are rendered to PNG once, when added, so every format shows the same pixels and
rendering twice gives identical bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from surveykit._display import object_html
from surveykit._ooxml import FIXED_DATE
from surveykit._spreadsheet import xml_frame, xml_text
from surveykit._writing import write_atomic
from surveykit.reporting._format import check_language, text
from surveykit.reporting._formatted import FormattedTable
from surveykit.reporting._png import render_png

__all__ = ["Appendix", "DefinitionList", "Figure", "Paragraph", "Section", "TableBlock"]

#: resolution of embedded figures (pixels per inch)
FIGURE_DPI = 150


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (escaped by the renderers)."""

    text: str


@dataclass(frozen=True)
class TableBlock:
    """A formatted table with its caption, notes and Excel sheet name."""

    table: FormattedTable
    caption: str
    notes: tuple[str, ...]
    sheet_name: str | None = None


@dataclass(frozen=True)
class Figure:
    """A figure as PNG bytes with caption and alternative text."""

    png: bytes
    caption: str
    alt: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class DefinitionList:
    """Key/value facts (software versions, fingerprints, fieldwork dates)."""

    items: tuple[tuple[str, str], ...]


Block = Paragraph | TableBlock | Figure | DefinitionList


def _text(value: object) -> str:
    return xml_text(str(value))


def _clean_table(ft: FormattedTable, caption: str, notes: tuple[str, ...]) -> FormattedTable:
    """Return the table with cells, headers, caption and notes free of XML-illegal characters."""
    return dataclasses.replace(
        ft, display=xml_frame(ft.display), numeric=xml_frame(ft.numeric),
        number_formats={_text(k): v for k, v in ft.number_formats.items()},
        numeric_columns=tuple(_text(c) for c in ft.numeric_columns),
        caption=_text(caption), notes=tuple(_text(n) for n in notes))


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("'figure' bytes are not a PNG image (bad signature); pass a "
                         "matplotlib Figure or PNG bytes.")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def figure_png(fig: Any) -> bytes:
    """Render a matplotlib figure to PNG bytes with no timestamp or version metadata.

    Cut to what is drawn, on white, laid out and drawn once (see :func:`render_png`).
    """
    if isinstance(fig, (bytes, bytearray)):
        return bytes(fig)
    if not hasattr(fig, "savefig"):
        raise TypeError("'figure' must be a matplotlib Figure or PNG bytes "
                        f"(got {type(fig).__name__}).")
    return render_png(fig, FIGURE_DPI)


@dataclass(eq=False)
class Section:
    """A titled part of the appendix; holds blocks and subsections in order.

    Create sections with :meth:`Appendix.section` or :meth:`Section.section`.
    """

    title: str
    level: int
    language: str
    content: list[Block | Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        """Add and return a subsection."""
        child = Section(_text(title), self.level + 1, self.language)
        self.content.append(child)
        return child

    def text(self, paragraph: str) -> Section:
        """Add a paragraph of plain text (HTML is escaped, not interpreted)."""
        self.content.append(Paragraph(_text(paragraph)))
        return self

    def table(self, table: FormattedTable | pd.DataFrame | Any, *, caption: str | None = None,
              notes: list[str] | tuple[str, ...] = (), sheet_name: str | None = None,
              include_free_text: bool = False, **options: Any) -> Section:
        """Add a table.

        Parameters
        ----------
        table : FormattedTable, EstimateTable, DataFrame or ComparisonTable
            Anything but a FormattedTable goes through :func:`surveykit.reporting.table`
            in the appendix language (``options`` are passed on: ``instrument``,
            ``suppress_below``, ...).
        caption : str, optional
            Caption; default the table's own.
        notes : sequence of str
            Notes after the table's own notes.
        sheet_name : str, optional
            Excel sheet name (default ``"Tabell n"`` / ``"Table n"``).
        include_free_text : bool, default False
            Allow free-text columns (refused otherwise).

        """
        if not isinstance(table, FormattedTable):
            from surveykit.reporting._tables import table as make_table

            table = make_table(table, language=self.language,
                               include_free_text=include_free_text, **options)
        elif options:
            raise TypeError(f"Formatting options {sorted(options)!r} apply only to raw "
                            "estimates; this table is already formatted.")
        table = _clean_table(table, table.caption if caption is None else caption,
                             table.notes + tuple(notes))
        block = TableBlock(table=table, caption=table.caption, notes=table.notes,
                           sheet_name=None if sheet_name is None else _text(sheet_name))
        self.content.append(block)
        return self

    def figure(self, figure: Any, *, caption: str, alt: str | None = None) -> Section:
        """Add a figure (a matplotlib Figure, rendered to PNG now, or PNG bytes)."""
        png = figure_png(figure)
        width, height = _png_size(png)
        self.content.append(Figure(png, _text(caption), _text(alt or caption), width, height))
        return self

    def definition_list(self, items: Mapping[str, object]) -> Section:
        """Add key/value facts, in the given order."""
        self.content.append(DefinitionList(tuple((_text(k), _text(v)) for k, v in items.items())))
        return self


@dataclass(frozen=True)
class OutlineEntry:
    """One numbered element in document order (see :func:`outline`)."""

    kind: str  # "section", "table" or "figure"
    item: Any
    number: str
    anchor: str
    depth: int


def _walk(secs: list[Section], prefix: str, depth: int,
          counters: dict[str, int]) -> Iterator[OutlineEntry]:
    """Walk sections, numbering sections (1, 1.2, ...), tables and figures in order."""
    for i, sec in enumerate(secs, start=1):
        yield from _walk_ordered_one(sec, f"{prefix}{i}", depth, counters)


def _walk_ordered_one(sec: Section, number: str, depth: int,
                      counters: dict[str, int]) -> Iterator[OutlineEntry]:
    yield OutlineEntry("section", sec, number, "sec-" + number.replace(".", "-"), depth)
    sub = 0
    for block in sec.content:
        if isinstance(block, Section):
            sub += 1
            yield from _walk_ordered_one(block, f"{number}.{sub}", depth + 1, counters)
        else:
            yield _block_entry(block, depth, counters)


def _block_entry(block: Block, depth: int, counters: dict[str, int]) -> OutlineEntry:
    if isinstance(block, TableBlock):
        counters["table"] += 1
        n = counters["table"]
        return OutlineEntry("table", block, str(n), f"table-{n}", depth)
    if isinstance(block, Figure):
        counters["figure"] += 1
        n = counters["figure"]
        return OutlineEntry("figure", block, str(n), f"figure-{n}", depth)
    return OutlineEntry("block", block, "", "", depth)


class Appendix:
    """A statistical appendix, rendered to HTML, Word, Excel or PDF from the same content.

    Parameters
    ----------
    title : str
        Document title.
    language : {"nb", "en"}
        Report language: fixed phrases, number format, labels of formatted tables.
    subtitle : str, optional
        Line under the title.
    metadata : mapping, optional
        Facts shown under the title (project, date, version); keep them free of clock
        times if the output must be reproducible.
    date : datetime.date, optional
        Date written into the Word and Excel document properties (default 2000-01-01, a
        fixed stamp, so that the same content gives the same bytes).

    Examples
    --------
    >>> app = Appendix(title="Vedlegg", language="nb")
    >>> sec = app.section("Metode").text("Utvalget ble trukket fra ...")
    >>> sub = sec.section("Vekting")
    >>> [(e.kind, e.number) for e in app.outline() if e.kind == "section"]
    [('section', '1'), ('section', '1.1')]

    """

    def __init__(self, title: str, language: str = "en", subtitle: str | None = None,
                 metadata: Mapping[str, object] | None = None,
                 date: _dt.date | None = None) -> None:
        self.title = _text(title)
        if date is not None and not isinstance(date, _dt.date):
            raise TypeError(f"'date' must be a datetime.date (got {type(date).__name__}).")
        self.date = FIXED_DATE if date is None else _dt.datetime(date.year, date.month,
                                                                  date.day)
        self.language = check_language(language)
        self.subtitle = None if subtitle is None else _text(subtitle)
        self.metadata = {_text(k): _text(v) for k, v in (metadata or {}).items()}
        self.sections: list[Section] = []

    def section(self, title: str, level: int = 1) -> Section:
        """Add a section; ``level=2`` nests it under the last level-1 section, and so on."""
        if not isinstance(level, int) or level < 1:
            raise ValueError(f"'level' must be a positive integer (got {level!r}).")
        if level == 1:
            sec = Section(_text(title), 1, self.language)
            self.sections.append(sec)
            return sec
        parent = self._last_at(level - 1)
        return parent.section(title)

    def _last_at(self, level: int) -> Section:
        if not self.sections:
            raise ValueError(f"No section of level {level} to nest under; add a level-1 "
                             "section first.")
        sec = self.sections[-1]
        while sec.level < level:
            subs = [c for c in sec.content if isinstance(c, Section)]
            if not subs:
                raise ValueError(f"No section of level {level} to nest under (the last "
                                 f"section {sec.title!r} has no subsections).")
            sec = subs[-1]
        return sec

    def outline(self) -> list[OutlineEntry]:
        """Numbered sections, tables and figures in document order."""
        return list(_walk(self.sections, "", 1, {"table": 0, "figure": 0}))

    def label(self, key: str) -> str:
        """Return a fixed phrase in the appendix language (e.g. ``"table"`` -> ``"Tabell"``)."""
        return text(key, self.language)

    def to_html(self, path: str | PathLike[str] | None = None) -> str:
        """Render one self-contained HTML file; returns the HTML (and writes ``path``)."""
        from surveykit.reporting._html import render_html

        out = render_html(self)
        if path is not None:
            write_atomic(path, out)
        return out

    def to_docx(self, path: str | PathLike[str]) -> Path:
        """Write a Word document (needs python-docx: ``pip install surveykit[report]``)."""
        from surveykit.reporting._docx import render_docx

        return render_docx(self, Path(path))

    def to_xlsx(self, path: str | PathLike[str]) -> Path:
        """Write an Excel workbook: a contents sheet and one sheet per table."""
        from surveykit.reporting._xlsx import render_xlsx

        return render_xlsx(self, Path(path))

    def to_pdf(self, path: str | PathLike[str], *, chromium: str | None = None) -> Path:
        """Print the HTML to PDF with headless Chromium (``/usr/bin/chromium`` by default)."""
        from surveykit.reporting._pdf import render_pdf

        return render_pdf(self, Path(path), chromium=chromium)

    def to_frame(self) -> pd.DataFrame:
        """Return the outline: one row per section, table and figure (``kind, number, title``).

        Examples
        --------
        >>> app = Appendix(title="Appendix", language="en")
        >>> _ = app.section("Method").section("Weighting")
        >>> app.to_frame()
              kind number      title
        0  section      1     Method
        1  section    1.1  Weighting

        """
        entries = self.outline()
        return pd.DataFrame({
            "kind": [e.kind for e in entries], "number": [e.number for e in entries],
            "title": [getattr(e.item, "title", None) or getattr(e.item, "caption", "")
                      for e in entries]})

    def summary(self) -> pd.DataFrame:
        """Return the outline the display shows: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("outline", self.summary()))

    def __repr__(self) -> str:
        entries = self.outline()
        count = {k: sum(e.kind == k for e in entries) for k in ("section", "table", "figure")}
        return (f"Appendix({self.title!r}, language={self.language!r}, "
                f"{count['section']} sections, {count['table']} tables, "
                f"{count['figure']} figures)")
