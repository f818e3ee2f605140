"""One number per estimate: the demo appendix agrees with itself in every table and file.

The same item, wave, domain and measure must show the same estimate and the same unweighted
n in the wave tables (means, indices, shares) and in the comparison table, in the CSV tables,
the HTML, the DOCX and the XLSX appendix.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from docx import Document

from surveykit.reporting._vocabulary import english_words

pytestmark = pytest.mark.slow

Table = tuple[str, list[str], list[list[str]]]  # caption, header, rows (as displayed)


@pytest.fixture(scope="module")
def run(reputation_appendix):
    return reputation_appendix


# ------------------------------------------------------------------ reading each format


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip()


def html_tables(path: Path) -> list[Table]:
    out = []
    for body in re.findall(r"<table>(.*?)</table>", path.read_text(encoding="utf-8"), re.S):
        cap = re.search(r"<caption>(?:<span[^>]*>.*?</span>)?(.*?)</caption>", body, re.S)
        head = [_cell(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", body, re.S)]
        rows = [[_cell(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
                for r in re.findall(r"<tr>(.*?)</tr>", body.split("</thead>")[-1], re.S)]
        out.append((_cell(cap.group(1)) if cap else "", head, rows))
    return out


def docx_tables(path: Path) -> list[Table]:
    doc = Document(str(path))
    out, caption = [], ""
    tables = iter(doc.tables)
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if re.match(r"^(Tabell|Table) \d+\.", text):
                caption = re.sub(r"^(Tabell|Table) \d+\.\s*", "", text).strip()
        elif tag == "tbl":
            t = next(tables)
            rows = [[c.text.strip() for c in r.cells] for r in t.rows]
            out.append((caption, rows[0], rows[1:]))
    return out


def _shown(cell: object) -> object:
    """A stored number as Excel shows it: percent formats multiply by 100."""
    value = getattr(cell, "value", None)
    fmt = str(getattr(cell, "number_format", ""))
    if isinstance(value, int | float) and fmt.endswith("%"):
        return 100 * value
    return value


def xlsx_tables(path: Path) -> list[Table]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for ws in wb.worksheets[1:]:
        values = [[_shown(c) for c in r] for r in ws.iter_rows()]
        caption = re.sub(r"^(Tabell|Table) \d+\.\s*", "", str(values[0][0] or ""))
        body = [r for r in values[1:] if any(v is not None for v in r)
                and not str(r[0] or "").startswith("\u2190")]  # the link back to contents
        head = [str(v) if v is not None else "" for v in body[0]]
        rows = [["" if v is None else v for v in r] for r in body[1:]
                if r[0] is None or not str(r[0]).startswith(("Merknad", "Note"))]
        out.append((caption, head, rows))
    return out


READERS = {"html": ("appendix.html", html_tables), "docx": ("appendix.docx", docx_tables),
           "xlsx": ("appendix.xlsx", xlsx_tables)}


def number(value: object) -> float:
    """A displayed number ("4,45", "1 043", "−0,02") or a stored one, as a float."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value).replace("\u2212", "-").replace(",", ".")
    return float(re.sub(r"[\s\u00a0\u2009\u202f]", "", text))


def _decimals(value: object) -> int | None:
    if isinstance(value, int | float):
        return None
    text = str(value)
    return len(text.split(",")[1]) if "," in text else 0


def same(a: object, b: object) -> bool:
    """Equal as shown: rounded to the coarser of the two displays (stored numbers exact)."""
    digits = [d for d in (_decimals(a), _decimals(b)) if d is not None]
    x, y = number(a), number(b)
    if not digits:
        return bool(np.isclose(x, y, rtol=1e-9, atol=0))
    d = min(digits)
    return round(x, d) == round(y, d) or abs(x - y) <= 0.5 * 10 ** -d + 1e-12


def find(tables: list[Table], caption: str) -> Table:
    hits = [t for t in tables if t[0] == caption]
    assert len(hits) == 1, (caption, [t[0] for t in tables])
    return hits[0]


def column(table: Table, name: str, key: str = "") -> dict[str, object]:
    """Values of a column by row label (the first column; for ``key`` that column too)."""
    _, head, rows = table
    j = head.index(name)
    k = head.index(key) if key else None
    out: dict[str, object] = {}
    last = ""
    for r in rows:
        label = str(r[0]).removesuffix(" †").removesuffix(" ‡").strip() or last
        last = label
        out[label + (f" | {r[k]}" if k is not None else "")] = r[j]
    return out


# --------------------------------------------------------------------------------- tests


def test_csv_tables_agree(run):
    """estimates.csv and the comparison CSV: same estimate and n for the same item."""
    est = pd.read_csv(run.out / "tables" / "estimates.csv", dtype={"wave": str})
    cmp = pd.read_csv(run.out / "tables" / "comparison_baseline_2026.csv")
    inst = run.waves["2024"].instrument
    checked = 0
    for r in cmp[cmp["comparable"] & (cmp["status"] == "identical")].itertuples():
        whole = est[(est["wave"] == "2024") & (est["domain"] == "(all)")]
        if r.measure == "mean" and r.item in {i.id for i in inst.indices}:
            row = whole[(whole["kind"] == "index") & (whole["variable"] == r.item)]
        elif r.measure == "mean":
            var = inst.variables_of(r.item)[0].var
            row = whole[(whole["kind"] == "mean") & (whole["variable"] == f"{var}.num")]
        elif r.measure == "proportion":
            var = inst.variables_of(r.item)[0].var
            row = whole[(whole["kind"] == "frequency") & (whole["variable"] == f"{var}.share")
                        & (whole["level"].astype(float) == float(r.level))]
        else:
            continue
        assert len(row) == 1, r.item
        assert row["estimate"].iloc[0] == pytest.approx(r.estimate_a, rel=1e-9), r.item
        assert int(row["n"].iloc[0]) == int(r.n_a), r.item
        checked += 1
    assert checked >= 20


def test_item_means_each_have_their_own_n(run):
    est = pd.read_csv(run.out / "tables" / "estimates.csv", dtype={"wave": str})
    means = est[(est["wave"] == "2024") & (est["kind"] == "mean") & (est["domain"] == "(all)")]
    assert means["n"].nunique() > 5
    assert int(means.loc[means["variable"] == "age.num", "n"].iloc[0]) == 1111


@pytest.mark.parametrize("fmt", list(READERS))
def test_every_file_shows_the_same_number_for_the_same_item(run, fmt):
    name, read = READERS[fmt]
    tables = read(run.out / name)
    cmp = find(tables, "Endring 2024–2026")
    now = column(cmp, "2024")
    n_now = column(cmp, "n 2024")
    checked = 0
    for caption in ("Gjennomsnitt, 2024 (alle)", "Indekser, 2024 (alle)"):
        table = find(tables, caption)
        values, bases = column(table, "Estimat"), column(table, "n (uvektet)")
        for label, value in values.items():
            if label in now and str(now[label]).strip():
                assert same(value, now[label]), (fmt, label, value, now[label])
                assert number(bases[label]) == number(n_now[label]), (fmt, label)
                checked += 1
    assert checked >= 13, checked  # 11 items worded alike in both waves, 2 indices
    question = run.waves["2024"].instrument.variable("employment").text["nb"]
    shares = column(find(tables, f"{question}, 2024 (alle)"), "Prosent")
    by_level = column(cmp, "2024", key="Svar")
    for level, value in shares.items():
        key = f"{question} | {level}"
        if key in by_level:
            assert same(value, by_level[key]), (fmt, level, value, by_level[key])
            checked += 1
    assert checked >= 20, checked


def _page_text(path: Path) -> str:
    """The HTML appendix's visible text, without the codebook (variable names are ids)."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    codebook = page.rfind(">Kodebok<")  # the heading, after the table of contents
    page = page[:codebook] if codebook > 0 else page
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_nb_appendix_speaks_bokmal_without_identifiers(run):
    text = _page_text(run.out / "appendix.html")
    for needle in ("reputation@", "sex_binary", "hot_deck", "${", "dispositions.json",
                   "(bh)", "->", "info_sources", "age_group"):
        assert needle not in text, needle
    assert not english_words(text)
    findings = text.split("Hovedfunn", 2)[2].split("Metode")[0]
    assert "Pulse-indeks (omdømme, 0–100): opp fra 58,40 til 63,01" in findings
