"""Fixed phrases of the study appendix (headings, sentences, captions) in nb and en."""

from __future__ import annotations

import re
from typing import Any

from surveykit.ingestion import RULES
from surveykit.reporting import vocabulary_group as group
from surveykit.reporting import vocabulary_pairs as pairs

__all__ = ["adjust_name", "looks_english", "phrase", "rule_name", "rule_text",
           "status_name", "universe_text"]

_PHRASES: dict[str, dict[str, str]] = {lang: group("study", lang) for lang in ("nb", "en")}

#: Bokmål texts of the exclusion rules (English ones come from ingestion's RULES)
_RULE_TEXT_NB: dict[str, str] = group("rule_text", "nb")


#: short names of the exclusion rules: id -> (nb, en)
_RULE_NAMES: dict[str, tuple[str, str]] = pairs("rule")

#: crosswalk statuses: status -> (nb, en)
_STATUS_NAMES: dict[str, tuple[str, str]] = pairs("status")

_EN_WORDS = frozenset({"the", "and", "of", "is", "was", "from", "with", "to", "after", "are",
                       "there", "each", "those", "who", "have"})
_NB_WORDS = frozenset({"og", "er", "ikke", "som", "på", "fra", "med", "til", "etter", "har",
                       "det", "de", "en", "et", "av", "ble"})


def phrase(key: str, language: str, **fields: object) -> str:
    """Return a fixed phrase of the study appendix in ``language`` (``"nb"`` or ``"en"``)."""
    return _PHRASES[language][key].format(**fields)


#: ``${var} != code`` or ``${var} = code``: a universe rule that can be said in words
_SIMPLE_RULE = re.compile(r"^\$\{(?P<var>[a-z][a-z0-9_]*)\}\s*(?P<op>!=|=)\s*(?P<code>-?\d+)$")


def universe_text(expr: str, language: str, instrument: Any = None) -> str:
    """Say in words which rows a universe rule excludes (the rule keeps rows where true).

    A rule ``${var} != code`` (or ``= code``) on a single-choice item is told with the
    question and the answer's label; any other rule is named as the study's own, and its
    expression stays in the Excel sheet and the manifest.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.load_instrument("reputation", version="1.0.0")
    >>> universe_text("${municipality} != 9999", "nb", inst)
    'utenfor populasjonen: svarte «Annen kommune» på «Hvilken kommune bor du i?»'

    """
    found = _SIMPLE_RULE.match(expr.strip())
    if found is None or instrument is None:
        return phrase("universe", language)
    try:
        var = instrument.variable(found["var"])
    except ValueError:
        return phrase("universe", language)
    label = var.choices.label(int(found["code"]), language) if var.choices else None
    if label is None:
        return phrase("universe", language)
    key = "universe_is" if found["op"] == "!=" else "universe_is_not"
    return phrase(key, language, label=label, question=var.text.get(language, var.var))


def rule_text(rule: str, reason: str, language: str, instrument: Any = None) -> str:
    """Return the reason of an exclusion in ``language`` (rule texts, the universe).

    Reasons given by hand (not a rule's fixed text) are shown as written; the universe rule
    is said in words (:func:`universe_text`).

    Examples
    --------
    >>> rule_text("duplicate_answers", "the same answer vector as an earlier row", "nb")
    'samme svarmønster som en tidligere rad'
    >>> rule_text("manual", "outside the universe: not (${x} > 9)", "en")
    'outside the universe as the study defines it (the rule is in the Excel sheet and the manifest)'

    """
    prefix, suffix = "outside the universe: not (", ")"
    if reason.startswith(prefix) and reason.endswith(suffix):
        return universe_text(reason[len(prefix):-len(suffix)], language, instrument)
    if language == "nb" and rule in RULES and reason == RULES[rule][1]:
        return _RULE_TEXT_NB.get(rule, reason)
    return reason


#: multiple-comparison adjustments by name
_ADJUST_NAMES = {"bh": "Benjamini–Hochberg", "holm": "Holm", "bonferroni": "Bonferroni",
                 "none": "none"}


def adjust_name(adjust: str, language: str) -> str:
    """Name of a multiple-comparison adjustment (``bh`` -> Benjamini–Hochberg).

    Examples
    --------
    >>> adjust_name("bh", "nb")
    'Benjamini–Hochberg'

    """
    if adjust == "none":
        return "ingen" if language == "nb" else "none"
    return _ADJUST_NAMES.get(adjust, adjust)


def _pick(pair: tuple[str, str] | None, fallback: str, language: str) -> str:
    if pair is None:
        return fallback
    return pair[0] if language == "nb" else pair[1]


def rule_name(rule: str, language: str) -> str:
    """Short name of exclusion rule ``rule`` in ``language`` (unknown ids stay as given).

    Examples
    --------
    >>> rule_name("duplicate_answers", "nb"), rule_name("duplicate_answers", "en")
    ('Dublett svarmønster', 'Duplicate answers')

    """
    return _pick(_RULE_NAMES.get(rule), rule, language)


def status_name(status: str, language: str) -> str:
    """Crosswalk status ``status`` in ``language`` (unknown statuses stay as given).

    Examples
    --------
    >>> status_name("not_comparable", "nb"), status_name("new", "en")
    ('ikke sammenlignbar', 'new')

    """
    return _pick(_STATUS_NAMES.get(status), status, language)


def looks_english(texts: list[str]) -> bool:
    """Whether free texts are English rather than Bokmål, by counting common short words.

    Examples
    --------
    >>> looks_english(["Asked of those who have heard of it."])
    True
    >>> looks_english(["Spurt fra 2026, etter at møteplassene åpnet."])
    False

    """
    words = " ".join(texts).lower().replace(",", " ").replace(".", " ").split()
    english = sum(w in _EN_WORDS for w in words)
    return english > sum(w in _NB_WORDS for w in words)
