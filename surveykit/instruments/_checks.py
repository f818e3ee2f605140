"""Consistency rules of one instrument file (beyond its shape), all reported at once.

Each ``_check_*`` function returns a list of :class:`Problem` for one rule family; the
loader and ``surveykit lint`` run them all. Rules: languages and every text in every
language; unique ids, row ids, columns and codes; which keys each item type allows; choice
lists that exist, with ``exclusive`` only where every user is a multi-select; skip logic that
parses and refers to earlier items (``_checks_logic.py``); attention checks, reverse coding,
indices and release metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from surveykit.instruments._checks_logic import check_logic
from surveykit.instruments._instrument import Instrument
from surveykit.instruments._problems import Problem
from surveykit.instruments._schema import CODE_PATTERN, Item, LocalizedText

__all__ = ["check_instrument"]

_CHOICE_TYPES = ("single", "multi", "grid")
_NUMERIC_TYPES = ("integer", "decimal")


_p = Problem.at


def _texts(inst: Instrument) -> Iterator[tuple[str, LocalizedText]]:
    yield "title", inst.title
    yield "universe", inst.universe
    for i, item in enumerate(inst.items):
        yield f"items[{i}].text", item.text
        if item.hint is not None:
            yield f"items[{i}].hint", item.hint
        if item.constraint_message is not None:
            yield f"items[{i}].constraint_message", item.constraint_message
        for j, row in enumerate(item.rows or ()):
            yield f"items[{i}].rows[{j}].text", row.text
    for name, cl in inst.choice_lists.items():
        for k, opt in enumerate(cl.options):
            yield f"choice_lists.{name}.options[{k}].label", opt.label
        for k, miss in enumerate(cl.missing):
            yield f"choice_lists.{name}.missing[{k}].label", miss.label
    for i, index in enumerate(inst.indices):
        yield f"indices[{i}].label", index.label


def _check_languages(inst: Instrument) -> list[Problem]:
    out = []
    langs = inst.languages
    if langs.source in langs.targets:
        out.append(_p("languages.targets", f"the source language {langs.source!r} is also "
                      "listed as a target.", f"remove {langs.source!r} from targets."))
    for code in langs.codes:
        if code not in langs.names:
            out.append(_p("languages.names", f"no display name for language {code!r}.",
                          f"add '{code}: <name>' (e.g. 'en: English') under languages.names."))
    for code in langs.translation:
        if code not in langs.targets:
            out.append(_p(f"languages.translation.{code}", f"translation notes for {code!r}, "
                          f"which is not a target language {list(langs.targets)}.",
                          f"add {code!r} to languages.targets or remove these notes."))
    codes = set(langs.codes)
    for path, text in _texts(inst):
        missing = [c for c in langs.codes if not text.get(c, "").strip()]
        extra = sorted(set(text) - codes)
        if missing:
            out.append(_p(path, f"text missing or empty in language(s) {missing}.",
                          f"add the {', '.join(missing)} text(s)."))
        if extra:
            out.append(_p(path, f"text in undeclared language(s) {extra}.",
                          f"declare {extra} in languages.targets or remove the text(s)."))
    return out


def _check_unique(inst: Instrument) -> list[Problem]:
    out: list[Problem] = []
    seen_ids: dict[str, int] = {}
    columns: dict[str, str] = {}
    for i, item in enumerate(inst.items):
        if item.id in seen_ids:
            out.append(_p(f"items[{i}].id", f"item id {item.id!r} is also used by "
                          f"items[{seen_ids[item.id]}].", "give each item a unique id."))
        seen_ids.setdefault(item.id, i)
        row_ids: set[str] = set()
        for j, row in enumerate(item.rows or ()):
            if row.id in row_ids:
                out.append(_p(f"items[{i}].rows[{j}].id", f"row id {row.id!r} is used twice "
                              f"in grid {item.id!r}.", "give each row a unique id."))
            row_ids.add(row.id)
    for i, item in enumerate(inst.items):
        for var in inst._flatten(item):
            where = _var_path(inst, i, item, var.var)
            if var.var in columns:
                out.append(_p(where, f"data column {var.var!r} is also produced by "
                              f"{columns[var.var]}.", "give each item (and grid row) a "
                              "unique var; multi-selects produce <var>__<code> columns."))
            columns.setdefault(var.var, where)
    return out


def _var_path(inst: Instrument, i: int, item: Item, column: str) -> str:
    for j, row in enumerate(item.rows or ()):
        if row.var == column:
            return f"items[{i}].rows[{j}].var"
    return f"items[{i}].var"


def _check_codes(inst: Instrument) -> list[Problem]:
    out = []
    multi_lists = {it.choices for it in inst.items if it.type == "multi"}
    other_users = {it.choices: it.id for it in inst.items if it.type in ("single", "grid")}
    for name, cl in inst.choice_lists.items():
        seen: set[tuple[type, object]] = set()
        entries = [("options", k, o.code) for k, o in enumerate(cl.options)]
        entries += [("missing", k, m.code) for k, m in enumerate(cl.missing)]
        for part, k, code in entries:
            path = f"choice_lists.{name}.{part}[{k}].code"
            if (type(code), code) in seen:
                out.append(_p(path, f"code {code!r} appears twice in list {name!r} "
                              "(missing codes included).", "give every option a unique code."))
            seen.add((type(code), code))
            if name in multi_lists and not (isinstance(code, str) and re.match(CODE_PATTERN,
                                                                                code)):
                out.append(_p(path, f"code {code!r} of multi-select list {name!r} is not a "
                              "snake_case string; it becomes the column suffix var__code.",
                              "use a snake_case text code such as 'housing'."))
        for k, opt in enumerate(cl.options):
            if opt.exclusive and (name not in multi_lists or name in other_users):
                user = other_users.get(name)
                why = f"used by the {user!r} item, which is not multi" if user else \
                    "not used by any multi-select item"
                out.append(_p(f"choice_lists.{name}.options[{k}].exclusive", "'exclusive' "
                              f"only applies to multi-select options, but list {name!r} is "
                              f"{why}.", "remove 'exclusive', or give the multi-select item "
                              "a list of its own."))
    return out


def _allowed(item: Item, i: int, key: str, types: tuple[str, ...]) -> list[Problem]:
    value = getattr(item, key)
    if value in (None, False, ()) or item.type in types:
        return []
    return [_p(f"items[{i}].{key}", f"'{key}' is not allowed on a {item.type} item "
               f"(only on {', '.join(types)}).", f"remove '{key}' from item {item.id!r}.")]


def _check_item_keys(inst: Instrument) -> list[Problem]:
    out: list[Problem] = []
    for i, item in enumerate(inst.items):
        if item.type == "grid" and item.var is not None:
            out.append(_p(f"items[{i}].var", "a grid has no var of its own; each row has one.",
                          "move the var to the rows and remove it from the grid."))
        if item.type != "grid" and item.var is None:
            out.append(_p(f"items[{i}]", f"item {item.id!r} has no 'var' (its data column).",
                          f"add 'var: {item.id}' (or another snake_case column name)."))
        if item.type == "grid" and not item.rows:
            out.append(_p(f"items[{i}].rows", f"grid {item.id!r} has no rows.",
                          "add rows: [{id, var, text}, ...]."))
        out += _allowed(item, i, "rows", ("grid",))
        out += _allowed(item, i, "min_selected", ("multi",))
        out += _allowed(item, i, "max_selected", ("multi",))
        out += _allowed(item, i, "max_length", ("text",))
        out += _allowed(item, i, "quality", ("grid",))
        out += _allowed(item, i, "reverse", ("single",))
        out += _check_choices_ref(inst, item, i)
        out += _check_measure(inst, item, i)
        out += _check_constraint_range(item, i)
        out += _check_selected_counts(inst, item, i)
    return out


def _check_choices_ref(inst: Instrument, item: Item, i: int) -> list[Problem]:
    path = f"items[{i}].choices"
    if item.type not in _CHOICE_TYPES:
        return _allowed(item, i, "choices", _CHOICE_TYPES)
    if item.choices is None:
        return [_p(path, f"{item.type} item {item.id!r} names no choice list.",
                   f"add 'choices: <list>' naming one of {sorted(inst.choice_lists)}.")]
    if item.choices not in inst.choice_lists:
        from difflib import get_close_matches

        close = get_close_matches(item.choices, list(inst.choice_lists), n=1)
        hint = f"change it to {close[0]!r}" if close else "define it under choice_lists"
        return [_p(path, f"choice list {item.choices!r} is not defined; defined lists are "
                   f"{sorted(inst.choice_lists)}.", f"{hint}.")]
    return []


def _check_measure(inst: Instrument, item: Item, i: int) -> list[Problem]:
    """Check that an item's analysis level fits its answers (order, numeric codes)."""
    level, path = item.measure, f"items[{i}].measure"
    if level is None:
        return []
    if item.type in ("text", "date"):
        return [_p(path, f"a {item.type} item has no measurement level.",
                   f"remove 'measure' from item {item.id!r}.")]
    if item.type == "multi" and level != "nominal":
        return [_p(path, f"the options of multi-select item {item.id!r} are counted, not "
                   f"ordered; 'measure: {level}' does not apply.", "remove 'measure' or set "
                   "it to nominal.")]
    cl = inst.choice_lists.get(item.choices or "")
    if cl is None:
        return []
    if level != "nominal" and cl.measure == "nominal":
        return [_p(path, f"item {item.id!r} is analysed as {level}, but its list "
                   f"{item.choices!r} is nominal (its codes have no order).",
                   "set the list's measure to ordinal, or the item's to nominal.")]
    if level == "interval" and cl.scale_range is None:
        return [_p(path, f"item {item.id!r} is analysed as interval, but list "
                   f"{item.choices!r} has codes that are not numbers "
                   f"{list(cl.codes)}; a mean of them means nothing.",
                   "use numeric codes in scale order, or set 'measure: ordinal'.")]
    return []


def _check_constraint_range(item: Item, i: int) -> list[Problem]:
    c = item.constraint
    if c is None or isinstance(c, str):
        return []
    path = f"items[{i}].constraint"
    if item.type not in _NUMERIC_TYPES:
        return [_p(path, f"the {{min, max}} constraint needs a numeric item, not {item.type}.",
                   "write the constraint as an expression using '.' instead.")]
    if c.min is None and c.max is None:
        return [_p(path, "the constraint gives neither min nor max.", "add min and/or max.")]
    if c.min is not None and c.max is not None and c.min > c.max:
        return [_p(path, f"min {c.min} is larger than max {c.max}.", "swap min and max.")]
    return []


def _check_selected_counts(inst: Instrument, item: Item, i: int) -> list[Problem]:
    cl = inst.choice_lists.get(item.choices or "")
    lo, hi = item.min_selected, item.max_selected
    if item.type != "multi" or cl is None:
        return []
    n = len(cl.options)
    if lo is not None and hi is not None and lo > hi:
        return [_p(f"items[{i}].min_selected", f"min_selected {lo} exceeds max_selected {hi}.",
                   "lower min_selected or raise max_selected.")]
    if hi is not None and hi > n:
        return [_p(f"items[{i}].max_selected", f"max_selected {hi} exceeds the {n} options of "
                   f"list {item.choices!r}.", f"use at most {n}.")]
    return []


def _check_scoring(inst: Instrument) -> list[Problem]:
    out = []
    for i, item in enumerate(inst.items):
        cl = inst.choice_lists.get(item.choices or "")
        units = [(f"items[{i}]", item.role, item.reverse, item.expected)]
        if item.type == "grid":
            units = [(f"items[{i}].rows[{j}]", r.role + item.role, r.reverse, r.expected)
                     for j, r in enumerate(item.rows or ())]
        for path, roles, reverse, expected in units:
            if reverse and cl is not None and cl.measure == "nominal":
                out.append(_p(f"{path}.reverse", f"reverse coding needs an ordinal or interval "
                              f"scale, but list {item.choices!r} is nominal.",
                              "remove 'reverse' or set the list's measure."))
            if "attention_check" in roles and expected is None:
                out.append(_p(path, "an attention_check has no 'expected' answer.",
                              "add 'expected: <code>' (the instructed answer)."))
            if expected is not None and "attention_check" not in roles:
                out.append(_p(f"{path}.expected", "'expected' is only used by attention "
                              "checks.", "add role [attention_check] or remove 'expected'."))
            elif expected is not None and cl is not None and expected not in cl.all_codes:
                out.append(_p(f"{path}.expected", f"expected answer {expected!r} is not a code "
                              f"of list {item.choices!r} {list(cl.all_codes)}.",
                              "use one of the list's codes."))
    return out


def _check_indices(inst: Instrument) -> list[Problem]:
    out: list[Problem] = []
    keys = inst.item_keys
    ids: set[str] = set()
    for i, index in enumerate(inst.indices):
        if index.id in ids:
            out.append(_p(f"indices[{i}].id", f"index id {index.id!r} is used twice.",
                          "give each index a unique id."))
        ids.add(index.id)
        for k, key in enumerate(index.items):
            cols = [v for v in inst.variables if v.key == key]
            if not cols:
                out.append(_p(f"indices[{i}].items[{k}]", f"{key!r} is not an item key; keys "
                              "are item ids, with grid rows written grid.row.",
                              "use one of " + ", ".join(keys[:8]) + "."))
            elif cols[0].type not in ("single", "grid", *_NUMERIC_TYPES) or (
                cols[0].choices is not None and cols[0].choices.scale_range is None
            ):
                out.append(_p(f"indices[{i}].items[{k}]", f"{key!r} is not numerically "
                              "scored (it needs integer codes or a numeric type).",
                              "remove it from the index."))
        if index.min_valid is not None and index.min_valid > len(index.items):
            out.append(_p(f"indices[{i}].min_valid", f"min_valid {index.min_valid} exceeds "
                          f"the {len(index.items)} items.", "lower min_valid."))
    return out


def _check_release(inst: Instrument) -> list[Problem]:
    out = []
    if inst.status in ("released", "retired") and inst.released is None:
        out.append(_p("released", f"a {inst.status} version needs its release date.",
                      "add 'released: YYYY-MM-DD'."))
    if inst.supersedes:
        other_id, other_version = inst.supersedes.split("@")
        older = tuple(int(p) for p in other_version.split("."))
        if other_id == inst.id and older >= inst.version_info:
            out.append(_p("supersedes", f"{inst.supersedes} is not older than {inst.version}.",
                          "name the previous version."))
    return out


CHECKS: tuple[Callable[[Instrument], list[Problem]], ...] = (
    _check_languages,
    _check_unique,
    _check_codes,
    _check_item_keys,
    _check_scoring,
    check_logic,
    _check_indices,
    _check_release,
)


def check_instrument(inst: Instrument, file: str) -> list[Problem]:
    """Run every consistency rule; return all problems, each naming ``file``."""
    return [replace(p, file=file) for check in CHECKS for p in check(inst)]
