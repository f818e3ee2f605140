"""The compact CSV reader (category codes per column) gives exactly what the string reader gave.

``read_responses`` reads a CSV as categoricals when it has an instrument; the previous path
(every cell a Python string) is still what ``read_table`` and instrument-free reads use.
Both paths are run here on the demo exports and on messy files, and everything the user
gets back must be identical: data, report, accounting and metadata.
"""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest
from _ingestion_fixtures import instrument, valid_answers, wide_needs

from surveykit.datasets import make_demo_study
from surveykit.datasets._demo import DEMO_WAVES, demo_frames
from surveykit.errors import IngestionError
from surveykit.ingestion import _compact, _read, read_responses
from surveykit.ingestion._compact import read_codes
from surveykit.ingestion._delimited import read_delimited
from surveykit.ingestion._readers import read_file


def _strings_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make read_responses read every cell as a Python string (the path before codes)."""
    def read(path, *, encoding=None, sheet=None, compact=False):
        return read_file(path, encoding=encoding, sheet=sheet, compact=False)
    monkeypatch.setattr(_read, "read_file", read)


def _both(monkeypatch: pytest.MonkeyPatch, path, **kwargs):
    new = read_responses(path, **kwargs)
    with monkeypatch.context() as m:
        _strings_only(m)
        old = read_responses(path, **kwargs)
    return new, old


def _assert_same(new, old) -> None:
    pd.testing.assert_frame_equal(new.data, old.data)
    pd.testing.assert_frame_equal(new.report.to_frame(), old.report.to_frame())
    assert new.accounting == old.accounting
    assert new.metadata == old.metadata
    assert new.data.attrs == old.data.attrs
    assert new.accounting.read == new.accounting.accepted + new.accounting.excluded


def _body_is_compact(path) -> bool:
    raw, _ = read_file(path, compact=True)
    return any(isinstance(t, pd.CategoricalDtype) for t in raw.dtypes)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, make_demo_study(out, seed=20260301), demo_frames(20260301)


@pytest.mark.slow  # generates the demo study (about 20 s)
@pytest.mark.parametrize("index", range(len(DEMO_WAVES)))
def test_demo_exports_read_the_same_as_strings(demo, monkeypatch, index):
    out, manifest, frames = demo
    study, _name, _version, wave, platform, _n, _year = DEMO_WAVES[index]
    name = next(k for k in manifest["files"] if k.startswith(f"{study}/data/{wave}-"))
    if not name.endswith((".csv", ".txt")):
        pytest.skip("not a CSV export")
    assert _body_is_compact(out / name)
    new, old = _both(monkeypatch, out / name, instrument=frames[0][index][0],
                     deployment=out / study / "deployments" / f"{wave}-{platform}.yaml")
    _assert_same(new, old)


def _messy(tmp_path, text: str, *, bom: bool = False, encoding: str = "utf-8"):
    path = tmp_path / "messy.csv"
    raw = text.encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + raw)
    return path


def _messy_frame() -> pd.DataFrame:
    """Valid answers spoilt every way an export gets spoilt."""
    df = wide_needs(valid_answers(40, seed=3)).astype(object)
    df.loc[1, "age"] = ""                      # blank
    df.loc[2, "age"] = "  "                    # whitespace only
    df.loc[3, "age"] = " 31 "                  # padded number
    df.loc[4, "age"] = "30,0"                  # decimal comma
    df.loc[5, "age"] = "tretti"                # not a number
    df.loc[6, "sat_region"] = "7"              # unknown code
    df.loc[7, "sat_region"] = "3.0"            # code written as a float
    df.loc[8, "sat_region"] = " 2"             # padded code
    df.loc[9, "svc_housing"] = "sat_region"    # another column's header as a value
    df.loc[10, "municipality"] = "9999"        # screener out of universe
    df.loc[11, "respondent_id"] = df.loc[12, "respondent_id"]  # duplicate id
    df.loc[13, "needs__jobs"] = "Ja"           # a word for selected
    df.loc[14, "needs__jobs"] = "kanskje"      # neither selected nor not
    df.loc[15, "needs_oth"] = 'sa "hei"; og gikk\nhjem'  # quotes, delimiter, newline
    df.loc[16, "duration"] = "1,5e2"
    df.loc[17, "svc_transport"] = "age"        # the header of a column as its value
    df["svc_leisure"] = df["svc_leisure"].astype(str)
    df.loc[18, "svc_leisure"] = "svc_leisure"  # a column's own header as a value
    return df


@pytest.mark.parametrize("variant", ["plain", "bom", "comma", "crlf", "cp1252_line", "short"])
def test_messy_files_read_the_same_as_strings(tmp_path, monkeypatch, variant):
    df = _messy_frame()
    sep = "," if variant == "comma" else ";"
    text = df.to_csv(sep=sep, index=False, lineterminator="\n")
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    if variant == "short":  # a record with fewer fields than the header is padded with NA
        lines = text.split("\n")
        lines[5] = lines[5].rsplit(sep, 2)[0]
        text = "\n".join(lines)
    path = _messy(tmp_path, text, bom=variant == "bom")
    if variant == "cp1252_line":
        raw = path.read_bytes().replace(b"mer kultur", "Bjørn Ås".encode("cp1252"), 1)
        path.write_bytes(raw.replace(b"r001", "Åse".encode(), 1))
    assert _body_is_compact(path) == (variant != "short")  # Arrow refuses the short record
    new, old = _both(monkeypatch, path, instrument=instrument())
    _assert_same(new, old)
    assert len(new.report.to_frame()) > 5  # the spoilt cells were found


def test_identical_errors_when_a_row_has_too_many_fields(tmp_path, monkeypatch):
    text = valid_answers(5).to_csv(sep=";", index=False) + "a;b;c;d;e;f;g;h;i;j;k;l;m;n\n"
    path = _messy(tmp_path, text)
    with pytest.raises(IngestionError) as new:
        read_responses(path, instrument())
    _strings_only(monkeypatch)
    with pytest.raises(IngestionError) as old:
        read_responses(path, instrument())
    assert str(new.value) == str(old.value)


CELLS = [
    b'a;b;c\n1;x;"q;1"\n2;;"say ""hi"""\n',
    b'a;b;c\n"1\n2";  ;x\n;;\n\n3;b;a\n',
    b'a;a;\n1;2;3\n1;2;3\n',
    'navn;by\nÅse;Hamar\nØystein;"Løten"\n'.encode(),
    b'a;b\n"x"y;z\n x ;"" \n',
    b'a;b\n1;2',
    b'\n\na;b\n1;2\n\n3;4\n',           # blank lines before the header
    b'"a\nx";"b;c"\n1;2\n"a\nx";3\n',     # a header cell with a newline, also an answer
]


@pytest.mark.parametrize("text", CELLS)
def test_codes_decode_to_the_cells_of_the_string_reader(text):
    strings, header = read_delimited(text, "x.csv", ";")
    codes, header_codes = read_delimited(text, "x.csv", ";", compact=True)
    assert header_codes == header
    decoded = codes.apply(lambda s: s.astype(object) if isinstance(s.dtype, pd.CategoricalDtype)
                          else s)
    pd.testing.assert_frame_equal(decoded, strings)
    for col in strings.columns:  # categories in the order pandas.factorize finds them
        if isinstance(codes[col].dtype, pd.CategoricalDtype):
            want = pd.factorize(strings[col])[1].tolist()
            assert codes[col].cat.categories.tolist() == want


@pytest.mark.parametrize("text", CELLS[-3:])
def test_the_header_record_is_skipped_by_the_compact_reader(text):
    """Blank lines before the header and a quoted newline in it are not read as data."""
    n = len(read_delimited(text, "x.csv", ";")[1])
    codes = read_codes(text, ";", n)
    assert codes is not None
    assert [c.tolist()[0] for c in codes] == ["1", "2"]


@pytest.mark.parametrize("text", [b"a\n1\n  \n2\n", b"a;b\n1;x\ry\n", b'a;b\n"1;2\n', b"a;b\n"])
def test_text_the_parsers_might_read_differently_goes_to_the_string_reader(text):
    n = text.split(b"\n", 1)[0].count(b";") + 1
    assert read_codes(text, ";", n) is None


def test_many_batches_keep_the_values_of_every_batch(monkeypatch):
    monkeypatch.setattr(_compact, "_BLOCK_BYTES", 4096)
    rng = np.random.default_rng(5)
    values = np.array(["1", "2", "3", "ukjent", "", "9" * 40])
    body = rng.choice(values, size=(5_000, 3))
    text = "a;b;c\n" + "\n".join(";".join(r) for r in body) + "\n"
    strings, _ = read_delimited(text.encode(), "x.csv", ";")
    codes, _ = read_delimited(text.encode(), "x.csv", ";", compact=True)
    assert (codes.dtypes == "category").all()
    pd.testing.assert_frame_equal(codes.apply(lambda s: s.astype(object)), strings)


def test_decoded_columns_are_the_string_readers_columns(tmp_path):
    """Columns that are not data columns go back to exactly what the string reader gave."""
    path = _messy(tmp_path, _messy_frame().to_csv(sep=";", index=False, lineterminator="\n"))
    codes, meta = read_file(path, compact=True)
    strings, meta_strings = read_file(path)
    assert meta == meta_strings
    pd.testing.assert_frame_equal(_compact.decode_columns(codes, set()), strings)
    kept = _compact.decode_columns(codes, {"age"})
    assert isinstance(kept["age"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(kept.drop(columns="age"), strings.drop(columns="age"))
