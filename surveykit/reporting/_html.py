"""Render an Appendix as one self-contained HTML file (inline CSS, embedded PNGs, no JS)."""

from __future__ import annotations

import base64
import html
import re
from typing import TYPE_CHECKING, Any

from surveykit.reporting._formatted import FormattedTable

if TYPE_CHECKING:
    from surveykit.reporting._appendix import Appendix, OutlineEntry

__all__ = ["render_html", "table_html"]

_CSS = """
:root { --ink: #1d2433; --muted: #5b6475; --rule: #d5dae3; --accent: #1f4e79;
  --band: #f4f6f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.55 "Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2.5rem 2rem 4rem; }
header.title { border-bottom: 3px solid var(--accent); padding-bottom: 1rem;
  margin-bottom: 1.5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .3rem; color: var(--accent); }
.subtitle { font-size: 1.15rem; color: var(--muted); margin: 0 0 .8rem; }
h2, h3, h4, h5, h6 { line-height: 1.25; color: var(--ink); margin: 2rem 0 .6rem; }
h2 { font-size: 1.5rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem;
  margin-top: 2.75rem; }
h3 { font-size: 1.2rem; } h4 { font-size: 1.05rem; }
.secnum { color: var(--accent); margin-right: .5em; font-variant-numeric: tabular-nums; }
p { margin: .5rem 0 .9rem; max-width: 46rem; }
nav.toc { background: var(--band); border: 1px solid var(--rule); border-radius: 6px;
  padding: .9rem 1.4rem 1rem; margin: 0 0 2rem; }
nav.toc h2 { font-size: 1.1rem; margin: 0 0 .4rem; border: 0; padding: 0; }
nav.toc ol { list-style: none; margin: 0; padding-left: 0; }
nav.toc ol ol { padding-left: 1.6rem; }
nav.toc li { margin: .15rem 0; }
nav.toc a { color: var(--ink); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; color: var(--accent); }
nav.toc .secnum { display: inline-block; min-width: 2.2em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.5rem;
  margin: .6rem 0 1.2rem; font-size: .95rem; }
dl.facts dt { color: var(--muted); font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font: .85em/1.4 "SFMono-Regular", Consolas, "Liberation Mono", monospace;
  background: var(--band); padding: .05em .3em; border-radius: 3px; }
figure { margin: 1.6rem 0 2rem; }
.tablewrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; min-width: 50%;
  font-variant-numeric: tabular-nums lining-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 .5rem;
  font-size: .95rem; }
.label { color: var(--accent); margin-right: .35em; }
thead th { border-top: 2px solid var(--ink); border-bottom: 1px solid var(--ink);
  font-weight: 600; vertical-align: bottom; }
th, td { padding: .3rem .6rem; text-align: left; vertical-align: top; }
th.num, td.num { text-align: right; white-space: nowrap; }
td.num.words { white-space: normal; }
td.long { min-width: 15em; }
tbody tr:nth-child(even) { background: var(--band); }
table.grouped tbody tr { background: none; }
table.grouped tbody tr.grp td { border-top: 1px solid var(--rule); }
tbody tr:last-child td { border-bottom: 2px solid var(--ink); }
td.supp { color: var(--muted); }
table.multihead { font-size: .8rem; }
table.multihead th, table.multihead td { padding: .22rem .4rem; }
table.multihead tbody td:first-child { min-width: 11rem; }
table.multihead thead th { border-top: 0; border-bottom: 0; padding-top: .12rem;
  padding-bottom: .12rem; }
table.multihead th.nowrap { white-space: nowrap; }
table.multihead thead tr:first-child th { border-top: 2px solid var(--ink); }
table.multihead thead tr:last-child th { border-bottom: 1px solid var(--ink); }
table.multihead th.span { text-align: center; }
table.multihead th.grp { border-bottom: 1px solid var(--rule); }
table.multihead th.letter { color: var(--accent); }
table.multihead .gstart { border-left: 1px solid var(--rule); }
table.multihead tr.base td { color: var(--muted); font-style: italic; }
table.multihead tr.net td { font-weight: 600; }
.notes { font-size: .82rem; color: var(--muted); margin: .45rem 0 0; max-width: 46rem; }
.notes p { margin: .15rem 0; }
figure.fig img { display: block; max-width: 100%; height: auto; margin: 0 auto .5rem; }
figure.fig figcaption { font-size: .92rem; font-weight: 600; max-width: 46rem; }
footer { margin-top: 3rem; border-top: 1px solid var(--rule); padding-top: .6rem;
  font-size: .8rem; color: var(--muted); }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { font-size: 10.5pt; } main { max-width: none; padding: 0; }
  h2 { break-after: avoid; } h3, h4 { break-after: avoid; }
  figure { break-inside: avoid; } tr { break-inside: avoid; }
  nav.toc { break-after: page; background: none; }
  .tablewrap { overflow: visible; }
}
"""

#: a text column with cells longer than this many characters gets room to read (``long``)
LONG_TEXT = 40
_HEX = re.compile(r"^(?:sha256:)?[0-9a-f]{16,}$")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def table_html(ft: FormattedTable, caption: str = "", anchor: str = "") -> str:
    """HTML ``<table>`` of a FormattedTable; numeric columns right-aligned.

    ``caption`` is inserted as given (already escaped HTML). Optional layout hints in
    ``ft.extra``: ``group_starts`` (a rule above these rows), ``header_rows`` (header rows
    of ``(text, span, class)`` cells drawn instead of the column names, e.g. a banner
    heading over its columns), ``column_classes`` and ``row_classes`` (one CSS class per
    column or row).
    """
    numeric = set(ft.numeric_columns)
    cols = list(ft.display.columns)
    long_text = {c for c in cols if c not in numeric
                 and ft.display[c].astype(str).str.len().max(skipna=True) > LONG_TEXT}
    added: Any = ft.extra.get("column_classes") or [""] * len(cols)
    klass = [" ".join(filter(None, ("num" if c in numeric else "long" if c in long_text
                                    else "", a))) for c, a in zip(cols, added, strict=True)]
    header_rows: Any = ft.extra.get("header_rows")
    head = _header_rows(header_rows) if header_rows else "<tr>" + "".join(
        f'<th scope="col"{_cls(k)}>{_e(c)}</th>' for c, k in zip(cols, klass, strict=True)
    ) + "</tr>"
    rows = []
    starts: Any = ft.extra.get("group_starts")
    row_classes: Any = ft.extra.get("row_classes")
    # the rows from one conversion of the frame (``itertuples`` reads it column by column)
    body = ft.display.to_numpy(dtype=object).tolist() if len(cols) else []
    for r, values in enumerate(body):
        cells = []
        for v, k in zip(values, klass, strict=True):
            extra = " supp" if v == ":" else (
                " words" if k.startswith("num") and not any(ch.isdigit() for ch in str(v))
                else "")
            cells.append(f"<td{_cls((k + extra).strip())}>{_e(v)}</td>")
        start = starts is not None and bool(starts[r]) and r > 0
        row_class = " ".join(filter(None, ("grp" if start else "",
                                           row_classes[r] if row_classes else "")))
        rows.append(f"<tr{_cls(row_class)}>" + "".join(cells) + "</tr>")
    ident = f' id="{anchor}"' if anchor else ""
    cap = f"<caption>{caption}</caption>" if caption else ""
    table_class = " ".join(filter(None, ("grouped" if starts is not None else "",
                                         "multihead" if header_rows else "")))
    return (f'<div class="tablewrap"{ident}><table{_cls(table_class)}>{cap}<thead>{head}'
            f"</thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")


def _header_rows(rows: Any) -> str:
    """Header rows of ``(text, span, class)`` cells; a cell spanning columns is a colgroup."""
    out = []
    for row in rows:
        cells = []
        for text, span, k in row:
            scope = f'scope="colgroup" colspan="{span}"' if span > 1 else 'scope="col"'
            cells.append(f"<th {scope}{_cls(k)}>{_e(text)}</th>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out)


def _cls(k: str) -> str:
    return f' class="{k}"' if k else ""


def _notes(notes: tuple[str, ...], label: str) -> str:
    if not notes:
        return ""
    items = "".join(f"<p>{_e(n)}</p>" for n in notes)
    return f'<div class="notes"><p><strong>{_e(label)}:</strong></p>{items}</div>' \
        if len(notes) > 1 else f'<div class="notes"><p><strong>{_e(label)}:</strong> ' \
        f"{_e(notes[0])}</p></div>"


def _facts(items: tuple[tuple[str, str], ...]) -> str:
    body = "".join(
        f"<dt>{_e(k)}</dt><dd>{f'<code>{_e(v)}</code>' if _HEX.match(v) else _e(v)}</dd>"
        for k, v in items)
    return f'<dl class="facts">{body}</dl>'


def _entry_html(app: Appendix, entry: OutlineEntry) -> str:
    from surveykit.reporting._appendix import DefinitionList, Paragraph

    item = entry.item
    if entry.kind == "section":
        tag = f"h{min(entry.depth + 1, 6)}"
        return (f'<{tag} id="{entry.anchor}"><span class="secnum">{entry.number}</span>'
                f"{_e(item.title)}</{tag}>")
    if entry.kind == "table":
        cap = (f'<span class="label">{_e(app.label("table"))} {entry.number}.</span>'
               f"{_e(item.caption)}")
        return (f'<figure class="table">{table_html(item.table, cap, entry.anchor)}'
                f'{_notes(item.notes, app.label("notes"))}</figure>')
    if entry.kind == "figure":
        data = base64.b64encode(item.png).decode("ascii")
        width = round(item.width_px * 96 / 150)
        height = round(item.height_px * 96 / 150)
        return (f'<figure class="fig" id="{entry.anchor}"><img src="data:image/png;base64,'
                f'{data}" alt="{_e(item.alt)}" width="{width}" height="{height}">'
                f'<figcaption><span class="label">{_e(app.label("figure"))} '
                f"{entry.number}.</span>{_e(item.caption)}</figcaption></figure>")
    if isinstance(item, Paragraph):
        return f"<p>{_e(item.text)}</p>"
    if isinstance(item, DefinitionList):
        return _facts(item.items)
    raise TypeError(f"Unknown appendix block {type(item).__name__}.")


def _toc(app: Appendix, entries: list[OutlineEntry]) -> str:
    parts: list[str] = []
    depth = 0
    for e in (x for x in entries if x.kind == "section"):
        if e.depth > depth:
            parts.append("<ol>")
        else:
            parts.append("</li>")
            parts.extend("</ol></li>" for _ in range(depth - e.depth))
        depth = e.depth
        parts.append(f'<li><a href="#{e.anchor}"><span class="secnum">{e.number}</span>'
                     f"{_e(e.item.title)}</a>")
    if depth:
        parts.append("</li>" + "</ol></li>" * (depth - 1) + "</ol>")
    label = app.label("contents")
    return (f'<nav class="toc" aria-label="{_e(label)}"><h2>{_e(label)}</h2>'
            f'{"".join(parts)}</nav>')


def render_html(app: Appendix) -> str:
    """Render the appendix as one HTML document (same content, same bytes)."""
    entries = app.outline()
    head = [f"<h1>{_e(app.title)}</h1>"]
    if app.subtitle:
        head.append(f'<p class="subtitle">{_e(app.subtitle)}</p>')
    if app.metadata:
        head.append(_facts(tuple(app.metadata.items())))
    body = "\n".join(_entry_html(app, e) for e in entries)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{app.language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="surveykit">\n'
        f"<title>{_e(app.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f'<header class="title">{"".join(head)}</header>\n{_toc(app, entries)}\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )
