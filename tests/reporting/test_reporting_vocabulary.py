"""The one nb/en vocabulary: one text per language for every id, and nb texts in Bokmål."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from surveykit import reporting
from surveykit.reporting import VOCABULARY, term
from surveykit.reporting._vocabulary import english_words


def test_every_id_is_written_once_with_one_text_per_language():
    source = Path(reporting.__file__).with_name("_vocabulary.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    literal = next(n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign)
                   and getattr(n.target, "id", "") == "VOCABULARY")
    keys = [k.value for k in literal.keys]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
    for key, pair in VOCABULARY.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        nb, en = pair
        assert isinstance(nb, str) and nb.strip() and isinstance(en, str) and en.strip(), key


def test_both_languages_fill_the_same_fields():
    fields = string.Formatter()
    for key, (nb, en) in VOCABULARY.items():
        got = [{f for _, f, _, _ in fields.parse(t) if f} for t in (nb, en)]
        assert got[0] == got[1], key


def test_no_bokmal_text_contains_an_english_word():
    found = {k: english_words(nb) for k, (nb, _) in VOCABULARY.items()}
    assert not {k: w for k, w in found.items() if w}


def test_one_word_one_translation():
    """'Utelukket' everywhere for 'excluded': participation uses the shared term."""
    assert term("participation.acc.excluded", "nb") == term("column.excluded", "nb")
    assert not any("utelat" in nb.lower() for nb, _ in VOCABULARY.values())


@pytest.mark.parametrize("language", ["nb", "en"])
def test_term_fills_fields(language):
    assert "2024" in term("study.cap_accounting", language, wave="2024")
